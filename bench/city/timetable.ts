/**
 * A weekly timetable for one school, filled slot by slot (day, then period) so every class starts
 * at period 1 and teachers are spread over the day. Guarantees: a class (or subgroup) and a
 * teacher are never in two places at once; rooms belong to teachers, so rooms never clash either.
 * A class may get a free period ("window") when all its free lessons' teachers are busy (about 7%
 * of class-days in the benchmark city); hours the main pass could not place go to the least busy
 * day afterwards.
 */
import { MAX_PERIODS } from './calendar.ts';
import type { SchoolClass, StaffMember, TimetableEntry } from './model.ts';
import type { Rng } from './rng.ts';
import type { Assignment, Staffing } from './staffing.ts';

const SLOTS = 7 * (MAX_PERIODS + 1);
const slot = (day: number, period: number): number => day * (MAX_PERIODS + 1) + period;

export interface TimetableInput {
  classes: readonly SchoolClass[];
  staffing: Staffing;
  /** Staff members by teacher index (same order as staffing.teachers). */
  teachers: readonly StaffMember[];
  workDays: 5 | 6;
  rng: Rng;
}

interface Unit {
  assignment: Assignment;
  remaining: number;
}

/** Weekly hours spread over the days, heavier days first (Monday..). */
function dailyTargets(hours: number, days: number): number[] {
  const base = Math.floor(hours / days);
  return Array.from({ length: days }, (_, d) => Math.min(MAX_PERIODS, base + (d < hours % days ? 1 : 0)));
}

export function buildTimetable(input: TimetableInput): TimetableEntry[] {
  const { classes, staffing, teachers, workDays, rng } = input;
  const busy = new Uint8Array(staffing.teachers.length * SLOTS);
  const classBusy = new Uint8Array(classes.length * SLOTS);
  const units: Unit[][] = classes.map(() => []);
  for (const a of staffing.assignments) units[a.classIndex]?.push({ assignment: a, remaining: a.hours });
  const days = classes.map((c) => (c.grade === 1 ? 5 : workDays));
  const targets = classes.map((_, c) => dailyTargets(sumRemaining(units[c] ?? []), days[c] ?? 5));
  const entries: TimetableEntry[] = [];
  const order = classes.map((_, i) => i);
  const teacherLeft = new Array<number>(staffing.teachers.length).fill(0);
  for (const a of staffing.assignments)
    for (const t of a.teachers) teacherLeft[t] = (teacherLeft[t] ?? 0) + a.hours;

  const free = (u: Unit, day: number, period: number): boolean =>
    u.assignment.teachers.every((t) => busy[t * SLOTS + slot(day, period)] === 0);

  const place = (c: number, u: Unit, day: number, period: number): void => {
    const cls = classes[c] as SchoolClass;
    const split = u.assignment.teachers.length > 1;
    u.assignment.teachers.forEach((t, i) => {
      busy[t * SLOTS + slot(day, period)] = 1;
      teacherLeft[t] = (teacherLeft[t] ?? 0) - 1;
      const teacher = teachers[t] as StaffMember;
      const entry: TimetableEntry = {
        className: cls.name,
        weekday: day,
        period,
        subject: u.assignment.subject,
        teacher: teacher.shortName,
        room: teacher.room ?? cls.room,
      };
      if (split) entry.group = i === 0 ? '1' : '2';
      entries.push(entry);
    });
    classBusy[c * SLOTS + slot(day, period)] = 1;
    u.remaining--;
  };

  for (let day = 1; day <= workDays; day++) {
    const placedToday = classes.map(() => 0);
    const subjectsToday = classes.map(() => new Map<string, number>());
    for (let period = 1; period <= MAX_PERIODS; period++) {
      // Most constrained classes first: those with the fewest lessons whose teachers are free.
      const active = rng.shuffle(
        order.filter((c) => day <= (days[c] ?? 5) && (placedToday[c] ?? 0) < (targets[c]?.[day - 1] ?? 0)),
      );
      const options = active.map(
        (c) => (units[c] ?? []).filter((u) => u.remaining > 0 && free(u, day, period)).length,
      );
      const byOptions = active.map((c, i) => [options[i] ?? 0, c] as const).sort((a, b) => a[0] - b[0]);
      for (const [, c] of byOptions) {
        const today = subjectsToday[c] as Map<string, number>;
        let best: Unit | undefined;
        let bestScore = -Infinity;
        for (const u of units[c] ?? []) {
          if (u.remaining === 0 || !free(u, day, period)) continue;
          // Teachers with the most hours left first (they have the fewest spare slots), then big
          // subjects; a subject repeats within a day only when nothing else fits.
          const pressure = Math.max(...u.assignment.teachers.map((t) => teacherLeft[t] ?? 0));
          const score =
            pressure / 2 + u.remaining - 20 * (today.get(u.assignment.subject) ?? 0) + rng.float();
          if (score > bestScore) [best, bestScore] = [u, score];
        }
        if (!best) continue;
        place(c, best, day, period);
        placedToday[c] = (placedToday[c] ?? 0) + 1;
        today.set(best.assignment.subject, (today.get(best.assignment.subject) ?? 0) + 1);
      }
    }
  }
  for (let c = 0; c < classes.length; c++) {
    for (const u of units[c] ?? []) {
      while (u.remaining > 0) {
        const found = leftoverSlot(c, u);
        if (!found) throw new Error(`timetable: no slot for ${u.assignment.subject} in ${classes[c]?.name}`);
        place(c, u, found[0], found[1]);
      }
    }
  }
  return entries;

  /** A free slot for an hour the main pass could not place: least busy day, earliest period. */
  function leftoverSlot(c: number, u: Unit): [number, number] | undefined {
    const candidates: [number, number, number][] = [];
    for (let day = 1; day <= (days[c] ?? 5); day++) {
      let count = 0;
      for (let p = 1; p <= MAX_PERIODS; p++) count += classBusy[c * SLOTS + slot(day, p)] ?? 0;
      for (let p = 1; p <= MAX_PERIODS; p++) {
        if (classBusy[c * SLOTS + slot(day, p)] === 0 && free(u, day, p)) candidates.push([count, p, day]);
      }
    }
    candidates.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    const best = candidates[0];
    return best && [best[2], best[1]];
  }
}

function sumRemaining(units: readonly Unit[]): number {
  return units.reduce((s, u) => s + u.remaining, 0);
}
