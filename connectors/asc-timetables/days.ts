/**
 * Which weekday each position of an aSc `days` mask means. The mask follows the timetable's own
 * day list, which is not always Monday-first (formats.md §1: a Saudi export has Sunday first),
 * so the first day is read from the names of the single-day `daysdef` rows (or the pre-2012
 * `<day>` rows); when the names are not recognisable the instance config must say it.
 */
import { PermanentError } from '../../src/core/errors.ts';
import type { IsoWeekday } from '../../src/domain/timetable/model.ts';
import { type FirstDayName, weekdayFromName, weekdayOfFirstDayName } from '../../src/domain/timetable/weekday-names.ts';
import type { AscTables } from './xml.ts';

export interface DayOrder {
  firstDay: IsoWeekday;
  source: 'file' | 'config';
  /** The weekday at a 0-based mask position; undefined past a week (cycles longer than 7 days). */
  weekdayAt(index: number): IsoWeekday | undefined;
}

export function resolveDayOrder(tables: AscTables, configured?: FirstDayName): DayOrder {
  const votes = new Map<IsoWeekday, string[]>();
  for (const { index, name, short } of namedDays(tables)) {
    const weekday = weekdayFromName(name) ?? weekdayFromName(short);
    if (weekday === undefined) continue;
    const first = (((((weekday - 1 - index) % 7) + 7) % 7) + 1) as IsoWeekday;
    votes.set(first, [...(votes.get(first) ?? []), name || short]);
  }
  if (votes.size === 1) {
    const [first] = [...votes.keys()];
    return order(first as IsoWeekday, 'file');
  }
  if (configured !== undefined) return order(weekdayOfFirstDayName(configured), 'config');
  const why =
    votes.size === 0
      ? 'its day definitions carry no recognisable weekday names'
      : `its day names disagree about the first day (${[...votes.values()].map((v) => v.join(', ')).join(' / ')})`;
  throw new PermanentError(
    'first_day_unknown',
    `cannot tell which weekday the timetable's first day is: ${why}. ` +
      "Set firstDay (monday, sunday, ...) in this connector instance's config.",
  );
}

function order(firstDay: IsoWeekday, source: DayOrder['source']): DayOrder {
  return {
    firstDay,
    source,
    weekdayAt: (index) => (index >= 0 && index < 7 ? ((((firstDay - 1 + index) % 7) + 1) as IsoWeekday) : undefined),
  };
}

/** Rows naming exactly one day: a daysdef whose mask has a single 1, or an old `<day day="n">`. */
function namedDays(tables: AscTables): { index: number; name: string; short: string }[] {
  const out: { index: number; name: string; short: string }[] = [];
  for (const { attrs } of tables.get('daysdef') ?? []) {
    const mask = (attrs['days'] ?? '').trim();
    if (!/^[01]+$/.test(mask) || mask.indexOf('1') !== mask.lastIndexOf('1') || !mask.includes('1')) continue;
    out.push({ index: mask.indexOf('1'), name: (attrs['name'] ?? '').trim(), short: (attrs['short'] ?? '').trim() });
  }
  for (const { attrs } of tables.get('day') ?? []) {
    const index = Number((attrs['day'] ?? '').trim());
    if (!Number.isInteger(index) || index < 0) continue;
    out.push({ index, name: (attrs['name'] ?? '').trim(), short: (attrs['short'] ?? '').trim() });
  }
  return out;
}
