/**
 * Plain calendar dates (ISO `YYYY-MM-DD`) as day numbers, so that weekday and week arithmetic
 * never meets a time zone or a daylight-saving jump.
 */
import type { IsoWeekday } from './model.ts';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Days since 1970-01-01; throws RangeError on anything but a real ISO date. */
export function dayNumber(iso: string): number {
  const m = ISO_DATE.exec(iso);
  if (!m) throw new RangeError(`not an ISO date: "${iso}"`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new RangeError(`not a calendar date: "${iso}"`);
  }
  return ms / DAY_MS;
}

export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function isoWeekday(day: number): IsoWeekday {
  // 1970-01-01 was a Thursday (ISO 4).
  return (((((day + 3) % 7) + 7) % 7) + 1) as IsoWeekday;
}

/** Day number of the Monday of the week containing `day`. */
export function mondayOf(day: number): number {
  return day - (isoWeekday(day) - 1);
}

export function isIsoDate(s: string): boolean {
  try {
    dayNumber(s);
    return true;
  } catch {
    return false;
  }
}

/** `20250901` (Untis) -> `2025-09-01`; undefined when it is not a real date. */
export function fromCompactDate(s: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(s.trim());
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  return isIsoDate(iso) ? iso : undefined;
}

/**
 * `8:30`, `08:30`, `8.30`, `0830` -> `08:30`; undefined for anything else. aSc writes `H:MM`
 * without a leading zero (formats.md §1 "Numbers"), Untis time.txt `HHMM` (§2 "Times").
 */
export function normalizeTime(s: string): string | undefined {
  const m = /^(\d{1,2})[:.]?(\d{2})$/.exec(s.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return undefined;
  return `${String(h).padStart(2, '0')}:${m[2]}`;
}
