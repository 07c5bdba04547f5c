/**
 * A student's day from turnstile passes, against that student's own lessons of the day. Pure:
 * times are epoch milliseconds, `now` is the hub's clock.
 *
 * - The first entry decides arrival: by the first lesson's start (+ `lateAfterMinutes`) present,
 *   later late, with whole minutes after the start.
 * - No pass at all: absent once the first lesson's start + `graceMinutes` has passed (and only
 *   then: before it the day is still open and nothing is derived).
 * - An exit with no entry before it (tailgating in) still shows the student was inside: present,
 *   arrival time unknown, so never late.
 * - Left early: the last pass before the last lesson starts is an exit (no return in time). It
 *   wins over late; minutes late are kept.
 */

export type DerivedStatus = 'present' | 'late' | 'absent' | 'left_early';

/** Agreed with the journal (precedence 100): a teacher's entry always beats a derived one. */
export const TURNSTILE_PRECEDENCE = 10;

export interface PassAt {
  at: number;
  direction: 'in' | 'out';
}

export interface StudentDay {
  /** Start of the student's first and last lesson of the day. */
  firstLessonAt: number;
  lastLessonAt: number;
  /** The student's passes of the day, in time order. */
  passes: PassAt[];
}

export interface DayRules {
  graceMinutes: number;
  lateAfterMinutes: number;
}

export interface DayVerdict {
  status: DerivedStatus;
  minutesLate: number | null;
  /** Absent because no pass came by the deadline: what the "absent, no entry" signal reports. */
  noEntry: boolean;
}

const MINUTE = 60_000;

export function absenceDeadline(day: Pick<StudentDay, 'firstLessonAt'>, rules: DayRules): number {
  return day.firstLessonAt + rules.graceMinutes * MINUTE;
}

export function judgeDay(day: StudentDay, now: number, rules: DayRules): DayVerdict | undefined {
  if (day.passes.length === 0) {
    return now >= absenceDeadline(day, rules) ? { status: 'absent', minutesLate: null, noEntry: true } : undefined;
  }
  const entry = day.passes.find((p) => p.direction === 'in');
  const late = entry ? Math.floor((entry.at - day.firstLessonAt) / MINUTE) : 0;
  const minutesLate = late > rules.lateAfterMinutes ? late : null;
  const beforeLast = day.passes.filter((p) => p.at < day.lastLessonAt);
  const leftEarly = beforeLast.length > 0 && beforeLast[beforeLast.length - 1]!.direction === 'out';
  const status: DerivedStatus = leftEarly ? 'left_early' : minutesLate !== null ? 'late' : 'present';
  return { status, minutesLate, noEntry: false };
}
