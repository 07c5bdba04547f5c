/**
 * The calendar a timetable run expands into (ARCHITECTURE.md, "Decisions": years, terms, holidays,
 * bell periods and the week-A anchor are declared per organization in hub.yaml and inherited).
 * The range is one academic year: the one holding `--from` (or today, else the next one to
 * start, else the last one), narrowed by `--from/--to`. Days outside the year's terms are no
 * school days, like holidays.
 */
import { PermanentError } from '../../core/errors.ts';
import type { ResolvedOrganization } from '../../config/organizations.ts';
import { dayNumber, isoDate, isIsoDate } from './dates.ts';
import type { DateRange, TimetableCalendar } from './expand.ts';
import type { BellPeriod } from './model.ts';

export interface RunCalendar {
  /** The academic year code the classes of this range belong to ("2026/2027"). */
  yearCode: string;
  /** What `expandLessons` needs; `bellPeriods` are the organization's (they win over the file's). */
  calendar: TimetableCalendar;
}

type Year = ResolvedOrganization['calendar']['years'][number];

export function runCalendar(org: ResolvedOrganization, today: string, narrow: { from?: string | undefined; to?: string | undefined }): RunCalendar {
  for (const [flag, value] of [['--from', narrow.from], ['--to', narrow.to]] as const) {
    if (value !== undefined && !isIsoDate(value)) throw new PermanentError('bad_date_range', `${flag} "${value}" is not a date YYYY-MM-DD`);
  }
  const year = pickYear(org.calendar.years, narrow.from ?? today);
  if (!year) {
    if (narrow.from === undefined || narrow.to === undefined) {
      throw new PermanentError('calendar_missing', `organization ${org.code} declares no academic year in hub.yaml: declare its calendar (years, terms, holidays), or give --from and --to`);
    }
    return { yearCode: fallbackYearCode(narrow.from), calendar: withOrgCalendar(org, narrow.from, narrow.to, []) };
  }
  const from = max(year.from, narrow.from ?? year.from);
  const to = min(year.to, narrow.to ?? year.to);
  if (from > to) {
    throw new PermanentError('bad_date_range', `the range ${narrow.from ?? year.from}..${narrow.to ?? year.to} has no day in academic year ${year.code} (${year.from}..${year.to})`);
  }
  const calendar = withOrgCalendar(org, from, to, [...year.holidays.map((h) => ({ from: h.from, to: h.to })), ...outsideTerms(year)]);
  if (year.terms.length > 0) calendar.terms = year.terms.map((t) => ({ from: t.from, to: t.to }));
  return { yearCode: year.code, calendar };
}

function withOrgCalendar(org: ResolvedOrganization, from: string, to: string, holidays: DateRange[]): TimetableCalendar {
  const cal: TimetableCalendar = { from, to, holidays };
  if (org.calendar.weekA !== undefined) cal.weekAAnchor = org.calendar.weekA;
  if (org.calendar.bellPeriods.length > 0) cal.bellPeriods = org.calendar.bellPeriods.map((b): BellPeriod => ({ period: b.period, start: b.start, end: b.end }));
  return cal;
}

function pickYear(years: Year[], day: string): Year | undefined {
  const sorted = [...years].sort((a, b) => (a.from < b.from ? -1 : 1));
  return sorted.find((y) => y.from <= day && day <= y.to) ?? sorted.find((y) => y.from > day) ?? sorted.at(-1);
}

/** The gaps of the year that no term covers (between quarters, before the first, after the last). */
function outsideTerms(year: Year): DateRange[] {
  if (year.terms.length === 0) return [];
  const gaps: DateRange[] = [];
  let next = dayNumber(year.from);
  for (const t of [...year.terms].sort((a, b) => (a.from < b.from ? -1 : 1))) {
    const start = dayNumber(t.from);
    if (start > next) gaps.push({ from: isoDate(next), to: isoDate(start - 1) });
    next = Math.max(next, dayNumber(t.to) + 1);
  }
  if (next <= dayNumber(year.to)) gaps.push({ from: isoDate(next), to: year.to });
  return gaps;
}

/** September-to-August, as the roster names a year the calendar does not declare. */
function fallbackYearCode(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const start = m >= 8 ? y : y - 1;
  return `${start}/${start + 1}`;
}

const max = (a: string, b: string): string => (a > b ? a : b);
const min = (a: string, b: string): string => (a < b ? a : b);
