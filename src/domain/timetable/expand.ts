/**
 * Weekly timetable -> dated lessons for a date range, with the organization's calendar
 * (ARCHITECTURE.md, "Decisions": holidays, bell periods and the week-A anchor are declared per
 * organization). Pure: the same inputs always give the same list in the same order.
 */
import { PermanentError } from '../../core/errors.ts';
import { dayNumber, isoDate, isoWeekday, mondayOf } from './dates.ts';
import type {
  BellPeriod,
  LessonGroup,
  LessonSubject,
  LessonTeacher,
  WeekPattern,
  WeeklyLesson,
  WeeklyTimetable,
} from './model.ts';

export interface DateRange {
  from: string;
  to: string;
}

export interface TimetableCalendar extends DateRange {
  /** Inclusive ranges without lessons (vacations, public holidays). */
  holidays: DateRange[];
  /** Any day of a week A, normally its Monday; A/B and longer cycles count weeks from it. */
  weekAAnchor?: string;
  /** The organization's bells; they win over the file's periods, period by period. */
  bellPeriods?: BellPeriod[];
  /** The terms a term mask refers to, in mask order ("10" = first term only). */
  terms?: DateRange[];
}

export interface DatedLesson {
  date: string;
  period: number;
  start: string;
  end: string;
  classes: string[];
  groups: LessonGroup[];
  subject: LessonSubject;
  teachers: LessonTeacher[];
  room?: string;
  extraRooms?: string[];
  /** The `key` of the weekly lesson this date came from. */
  sourceKey: string;
}

export function expandLessons(tt: WeeklyTimetable, cal: TimetableCalendar): DatedLesson[] {
  const from = dayNumber(cal.from);
  const to = dayNumber(cal.to);
  const holidays = cal.holidays.map((h) => [dayNumber(h.from), dayNumber(h.to)] as const);
  const terms = cal.terms?.map((t) => [dayNumber(t.from), dayNumber(t.to)] as const);
  const anchor = cal.weekAAnchor === undefined ? undefined : mondayOf(dayNumber(cal.weekAAnchor));
  const bells = bellTable(tt.periods, cal.bellPeriods);
  checkCalendarCovers(tt.lessons, bells, anchor, terms);

  const byWeekday = new Map<number, WeeklyLesson[]>();
  for (const l of tt.lessons) byWeekday.set(l.weekday, [...(byWeekday.get(l.weekday) ?? []), l]);

  const out: DatedLesson[] = [];
  for (let day = from; day <= to; day++) {
    if (holidays.some(([a, b]) => day >= a && day <= b)) continue;
    const date = isoDate(day);
    const week = anchor === undefined ? 0 : Math.floor((mondayOf(day) - anchor) / 7);
    const term = terms?.findIndex(([a, b]) => day >= a && day <= b) ?? -1;
    for (const l of byWeekday.get(isoWeekday(day)) ?? []) {
      if (l.validFrom !== undefined && date < l.validFrom) continue;
      if (l.validTo !== undefined && date > l.validTo) continue;
      if (!inWeek(l.weeks, week)) continue;
      if (!inTerm(l.terms, term)) continue;
      const bell = bells.get(l.period);
      if (!bell) continue; // unreachable: checkCalendarCovers threw
      out.push(dated(l, date, bell));
    }
  }
  return out.sort(compareDated);
}

function dated(l: WeeklyLesson, date: string, bell: BellPeriod): DatedLesson {
  const d: DatedLesson = {
    date,
    period: l.period,
    start: bell.start,
    end: bell.end,
    classes: l.classes,
    groups: l.groups,
    subject: l.subject,
    teachers: l.teachers,
    sourceKey: l.key,
  };
  if (l.room !== undefined) d.room = l.room;
  if (l.extraRooms !== undefined) d.extraRooms = l.extraRooms;
  return d;
}

function bellTable(file: BellPeriod[], org: BellPeriod[] | undefined): Map<number, BellPeriod> {
  const m = new Map<number, BellPeriod>();
  for (const p of file) m.set(p.period, p);
  for (const p of org ?? []) m.set(p.period, p);
  return m;
}

/** `week` counts from the anchor week (0 = A); negative before the anchor. */
function inWeek(weeks: WeekPattern, week: number): boolean {
  if (weeks === 'all') return true;
  const mask = weeks === 'A' ? '10' : weeks === 'B' ? '01' : weeks.mask;
  return mask[((week % mask.length) + mask.length) % mask.length] === '1';
}

/** `term` is the index of the calendar term containing the date, -1 when none does. */
function inTerm(mask: string | undefined, term: number): boolean {
  if (mask === undefined || mask === 'all') return true;
  return term >= 0 && mask[term] === '1';
}

/**
 * A lesson the calendar cannot place is a configuration problem of the organization, not of
 * the file: fail with every missing piece named rather than drop lessons silently.
 */
function checkCalendarCovers(
  lessons: readonly WeeklyLesson[],
  bells: Map<number, BellPeriod>,
  anchor: number | undefined,
  terms: readonly (readonly [number, number])[] | undefined,
): void {
  const missingBells = new Set<number>();
  let needsAnchor = false;
  let needsTerms = false;
  for (const l of lessons) {
    if (!bells.has(l.period)) missingBells.add(l.period);
    if (l.weeks !== 'all') needsAnchor = true;
    if (l.terms !== undefined && l.terms !== 'all') needsTerms = true;
  }
  if (missingBells.size > 0) {
    const list = [...missingBells].sort((a, b) => a - b).join(', ');
    throw new PermanentError(
      'bell_period_unknown',
      `no start/end time for period(s) ${list}: declare them in the organization's bell periods`,
    );
  }
  if (needsAnchor && anchor === undefined) {
    throw new PermanentError(
      'week_a_anchor_missing',
      'the timetable has A/B-week lessons: declare the Monday of a week A (weekAAnchor)',
    );
  }
  if (needsTerms && terms === undefined) {
    throw new PermanentError(
      'terms_calendar_missing',
      'the timetable has lessons for some terms only: declare the terms of the academic year',
    );
  }
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function compareDated(a: DatedLesson, b: DatedLesson): number {
  return (
    byText(a.date, b.date) ||
    a.period - b.period ||
    byText(a.classes.join('+'), b.classes.join('+')) ||
    byText(
      a.groups.map((g) => `${g.class}:${g.group}`).join('+'),
      b.groups.map((g) => `${g.class}:${g.group}`).join('+'),
    ) ||
    byText(a.sourceKey, b.sourceKey)
  );
}
