/**
 * aSc's 0/1 strings (formats.md §1 "Day and week strings"): one character per day, week or
 * term of the timetable's cycle. On a card they are concrete; a comma list means "any of these"
 * and only belongs on a lesson's definition, so on a card it cannot be placed.
 */
import type { WeekPattern } from '../../src/domain/timetable/model.ts';

export type MaskResult<T> = { ok: T } | { code: string; message: string };

/** Positions of the 1s in a card's `days`, or the old variant's `day="n"`. */
export function cardDayIndexes(attrs: Record<string, string>): MaskResult<number[]> {
  const days = attrs['days']?.trim();
  if (days === undefined || days === '') {
    const day = Number((attrs['day'] ?? '').trim());
    if (attrs['day'] !== undefined && attrs['day'].trim() !== '' && Number.isInteger(day) && day >= 0) {
      return { ok: [day] };
    }
    return { code: 'missing_day', message: 'the card has neither a days mask nor a day number' };
  }
  if (!/^[01]+$/.test(days)) {
    return { code: 'bad_days', message: `days="${days}" is not a single 0/1 mask` };
  }
  const idx = [...days].flatMap((c, i) => (c === '1' ? [i] : []));
  if (idx.length === 0) return { code: 'bad_days', message: `days="${days}" names no day` };
  return { ok: idx };
}

/** `11`/`1` -> all, `10` -> A, `01` -> B (formats.md §1), longer cycles stay a mask. */
export function weekPattern(mask: string): MaskResult<WeekPattern> {
  const m = mask.trim();
  if (!/^[01]+$/.test(m)) return { code: 'bad_weeks', message: `weeks="${mask}" is not a single 0/1 mask` };
  if (!m.includes('1')) return { code: 'bad_weeks', message: `weeks="${mask}" names no week` };
  if (!m.includes('0')) return { ok: 'all' };
  if (m === '10') return { ok: 'A' };
  if (m === '01') return { ok: 'B' };
  return { ok: { mask: m } };
}

/** All 1s (`1` is the only value seen in real files) -> all; otherwise the mask itself. */
export function termMask(mask: string): MaskResult<string> {
  const m = mask.trim();
  if (!/^[01]+$/.test(m)) return { code: 'bad_terms', message: `terms="${mask}" is not a single 0/1 mask` };
  if (!m.includes('1')) return { code: 'bad_terms', message: `terms="${mask}" names no term` };
  return { ok: m.includes('0') ? m : 'all' };
}
