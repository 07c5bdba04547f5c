/**
 * The city's school calendar: one academic year of four quarters (четверти) with holidays, the
 * bell periods, the week-A anchor, and the benchmark term (a 10-week window the timetable,
 * turnstile and marks benchmarks replay). Dates follow the 2026/2027 pattern for any start year.
 */
import { addDays, toDay, weekday, type IsoDate } from './dates.ts';

export interface BellPeriod {
  period: number;
  /** HH:MM local time. */
  start: string;
  end: string;
}

export interface Term {
  code: string;
  name: string;
  from: IsoDate;
  to: IsoDate;
}

export interface Holiday {
  from: IsoDate;
  to: IsoDate;
  name: string;
}

export interface AcademicYear {
  code: string;
  from: IsoDate;
  to: IsoDate;
  terms: Term[];
  holidays: Holiday[];
}

export interface CityCalendar {
  year: AcademicYear;
  bellPeriods: BellPeriod[];
  /** The Monday of a week A (alternating-week timetables). */
  weekA: IsoDate;
  /** The benchmark window, inclusive. */
  term: { from: IsoDate; to: IsoDate };
}

/** Lessons last 45 minutes from 08:30; long (20-minute) breaks after periods 2 and 3. */
const LESSON_MINUTES = 45;
const BREAKS_AFTER = [10, 20, 20, 10, 10, 10, 10];
export const MAX_PERIODS = BREAKS_AFTER.length + 1;

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export function bellPeriods(): BellPeriod[] {
  const periods: BellPeriod[] = [];
  let start = 8 * 60 + 30;
  for (let period = 1; period <= MAX_PERIODS; period++) {
    periods.push({ period, start: hhmm(start), end: hhmm(start + LESSON_MINUTES) });
    start += LESSON_MINUTES + (BREAKS_AFTER[period - 1] ?? 0);
  }
  return periods;
}

export function academicYear(startYear: number): AcademicYear {
  const a = (md: string): IsoDate => `${startYear}-${md}`;
  const b = (md: string): IsoDate => `${startYear + 1}-${md}`;
  return {
    code: `${startYear}/${startYear + 1}`,
    from: a('09-01'),
    to: b('05-31'),
    terms: [
      { code: '1', name: '1 четверть', from: a('09-01'), to: a('10-25') },
      { code: '2', name: '2 четверть', from: a('11-05'), to: a('12-27') },
      { code: '3', name: '3 четверть', from: b('01-12'), to: b('03-21') },
      { code: '4', name: '4 четверть', from: b('04-01'), to: b('05-31') },
    ],
    holidays: [
      { from: a('10-26'), to: a('11-03'), name: 'Осенние каникулы' },
      { from: a('11-04'), to: a('11-04'), name: 'День народного единства' },
      { from: a('12-28'), to: b('01-11'), name: 'Зимние каникулы' },
      { from: b('02-23'), to: b('02-23'), name: 'День защитника Отечества' },
      { from: b('03-08'), to: b('03-08'), name: 'Международный женский день' },
      { from: b('03-22'), to: b('03-31'), name: 'Весенние каникулы' },
      { from: b('05-01'), to: b('05-03'), name: 'Праздник Весны и Труда' },
      { from: b('05-09'), to: b('05-10'), name: 'День Победы' },
    ],
  };
}

/** `termFrom` defaults to 1 September 2026; `termTo` to ten weeks later. */
export function buildCalendar(termFrom?: IsoDate, termTo?: IsoDate): CityCalendar {
  const from = termFrom ?? '2026-09-01';
  const month = Number(from.slice(5, 7));
  const startYear = Number(from.slice(0, 4)) - (month < 9 ? 1 : 0);
  const year = academicYear(startYear);
  return {
    year,
    bellPeriods: bellPeriods(),
    weekA: addDays(year.from, 1 - weekday(year.from)),
    term: { from, to: termTo ?? addDays(from, 7 * 10 - 1) },
  };
}

export function isHoliday(calendar: CityCalendar, date: IsoDate): boolean {
  return calendar.year.holidays.some((h) => h.from <= date && date <= h.to);
}

/** School days of the benchmark term for a five- or six-day week. */
export function schoolDays(calendar: CityCalendar, workDays: 5 | 6 = 5): IsoDate[] {
  const days: IsoDate[] = [];
  const last = toDay(calendar.term.to);
  for (let d = calendar.term.from; toDay(d) <= last; d = addDays(d, 1)) {
    if (weekday(d) <= workDays && !isHoliday(calendar, d)) days.push(d);
  }
  return days;
}
