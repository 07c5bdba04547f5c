/**
 * What every journal stream shares: the journal's own id (the natural key, so a re-sent item
 * changes nothing and a corrected one updates its row), the deletion flag, and the shapes of
 * dates, periods and marks as the mapping hands them over.
 */
import { z } from 'zod';
import { parseMark } from '../../mapping/mark.ts';

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');

const TRUE = new Set(['1', 'true', 'да', 'yes']);

/** JSON gives booleans; a CSV export gives text. */
export const deletedFlag = z.preprocess((v) => (typeof v === 'string' ? TRUE.has(v.trim().toLowerCase()) : (v ?? false)), z.boolean());

export const journalId = z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().min(1).max(128));

export const period = z.preprocess((v) => (typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v), z.number().int().min(0).max(20)).nullish();

/** A mark as the mapping's `mark` cast gives it, or a bare number from JSON. */
export const markValue = z.preprocess(
  (v) => (typeof v === 'number' || typeof v === 'string' ? parseMark(String(v)) : v),
  z.object({ value: z.string().min(1).max(16), numeric: z.number().nullable() }),
);

/**
 * A field with `lookup:` in its mapping: validated while it is still the source's id (lookups run
 * after validation, per chunk), a core id by the time loadChunk sees it.
 */
export const lookedUp = z.union([z.string().min(1).max(191), z.number().int().positive()]);
export const coreId = (v: string | number | null | undefined): number => Number(v);

export const journalNk = (org: string, kind: string, id: string): string => `journal|${org}|${kind}|${id}`;

/**
 * The last item of each journal id in a chunk: batches that arrive while a run is queued join it,
 * so one chunk may hold an item and, later, its correction or deletion. Earlier ones are dropped
 * and counted (`superseded`); order across chunks is the order of arrival.
 */
export function lastPerId<R extends { data: { journal_id: string } }>(records: R[]): { latest: R[]; notes: Record<string, number> } {
  const last = new Map<string, R>();
  for (const r of records) last.set(r.data.journal_id, r);
  const superseded = records.length - last.size;
  return { latest: [...last.values()], notes: superseded > 0 ? { superseded } : {} };
}

/** Required unless the item only deletes: a deletion carries the id alone. */
export function requiredUnlessDeleted<T extends { deleted: boolean }>(fields: (keyof T & string)[]) {
  return (r: T, ctx: z.RefinementCtx) => {
    if (r.deleted) return;
    for (const f of fields) {
      const v = r[f];
      if (v === null || v === undefined || v === '') ctx.addIssue({ code: 'custom', path: [f], message: `${f} is required` });
    }
  };
}
