/**
 * Change queries (the Ed-Fi model): rows of a table whose change version is above a cursor and at
 * or below the committed watermark, in version order, keyset-paged. A page never skips a row that
 * commits later with a lower version, because the watermark stays below every open lease.
 */
import type { Knex } from 'knex';
import { committedWatermark } from './change-versions.ts';

export interface ChangePage<T> {
  rows: T[];
  /** Cursor for the next page: the last version returned, or the window's end when exhausted. */
  next: number;
  watermark: number;
  done: boolean;
}

export async function readChanges<T extends { change_version: number | string }>(
  db: Knex,
  table: string,
  opts: { after: number; limit: number; upTo?: number; where?: (q: Knex.QueryBuilder) => void; columns?: string[] },
): Promise<ChangePage<T>> {
  const watermark = await committedWatermark(db);
  const top = Math.min(watermark, opts.upTo ?? Number.MAX_SAFE_INTEGER);
  if (opts.after >= top) return { rows: [], next: opts.after, watermark, done: true };
  const q = db(table).where('change_version', '>', opts.after).andWhere('change_version', '<=', top).orderBy('change_version').limit(opts.limit);
  if (opts.where) opts.where(q);
  const rows = (await q.select(opts.columns ?? '*')) as T[];
  const last = rows.at(-1);
  const done = rows.length < opts.limit;
  return { rows, next: done ? top : Number(last?.change_version ?? opts.after), watermark, done };
}
