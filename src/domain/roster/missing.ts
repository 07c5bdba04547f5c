/** Soft-deletes rows a snapshot owned (same source) that the new snapshot no longer holds. */
import type { Knex } from 'knex';
import type { VersionSource } from '../../db/change-versions.ts';
import { softDelete } from '../../db/upsert.ts';
import type { LoadContext } from '../../pipeline/target.ts';
import { PermanentError } from '../../core/errors.ts';

type Row = Record<string, unknown> & { id: number };

export async function softDeleteMissing(
  trx: Knex.Transaction,
  versions: VersionSource,
  ctx: LoadContext,
  table: string,
  seen: Set<string>,
  keysOf: (rows: Row[]) => Promise<(r: Row) => string[]>,
  columns: string[],
): Promise<{ deleted: number }> {
  const rows = (await trx(table).where({ source: ctx.instance.name }).whereNull('deleted_at').select('id', ...columns)) as Row[];
  if (rows.length === 0) return { deleted: 0 };
  const keys = await keysOf(rows);
  const missing = rows.filter((r) => !keys(r).some((k) => seen.has(k))).map((r) => Number(r.id));
  if (missing.length > 0 && missing.length / rows.length > ctx.instance.maxCloseRatio && !ctx.confirm) {
    throw new PermanentError('snapshot_too_small', `this snapshot would remove ${missing.length} of ${rows.length} ${table} rows (limit ${Math.round(ctx.instance.maxCloseRatio * 100)}%); nothing was removed. Re-run with --confirm if that is right`);
  }
  return { deleted: await softDelete(trx, versions, table, missing, ctx.now) };
}
