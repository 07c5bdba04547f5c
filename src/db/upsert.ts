/**
 * Set-based, idempotent upsert by natural key that compiles the same on SQLite and MariaDB:
 * `insert … on conflict (nk) do update` / `on duplicate key update … = values(…)` via knex's
 * onConflict().merge() (never knex .upsert(), which is REPLACE INTO on MySQL). Rows whose content
 * hash is unchanged are not written and take no change version.
 */
import type { Knex } from 'knex';
import type { VersionSource } from './change-versions.ts';
import { contentHash, nowIso, uuidv7 } from './ids.ts';
import { insertNewRows } from './bulk-insert.ts';
import { isMysql } from './knex.ts';

export interface CoreRowInput {
  nk: string;
  attrs: Record<string, unknown>;
}

export interface RowRef {
  id: number;
  uid: string;
}

export interface UpsertOutcome {
  created: number;
  updated: number;
  unchanged: number;
  /** nk -> ids of every row in the input (written or not). */
  refs: Map<string, RowRef>;
  /** nks of rows created or changed by this call. */
  changed: Set<string>;
}

/** Rows per statement: SQLite caps compound selects at 500 and host parameters at 32,766. */
export function statementRows(db: Knex, columns: number): number {
  return isMysql(db) ? Math.max(1, Math.floor(20_000 / columns)) : Math.min(500, Math.floor(32_000 / columns));
}

export async function selectByNk<T extends Record<string, unknown>>(
  trx: Knex | Knex.Transaction,
  table: string,
  nks: string[],
  columns: string[],
): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < nks.length; i += 5000) {
    const part = nks.slice(i, i + 5000);
    out.push(...((await trx(table).whereIn('nk', part).select(columns)) as T[]));
  }
  return out;
}

export async function upsertByNk(
  trx: Knex.Transaction,
  versions: VersionSource,
  table: string,
  input: CoreRowInput[],
  /**
   * `refs: false`: the caller needs no ids of new rows, so they are not read back. `bulk`: new rows
   * go in through LOAD DATA on MySQL/MariaDB (src/db/bulk-insert.ts); for large event loads.
   */
  opts: { source: string | null; now: Date; dryRun?: boolean; refs?: boolean; bulk?: boolean },
): Promise<UpsertOutcome> {
  const byNk = new Map<string, CoreRowInput>();
  for (const r of input) byNk.set(r.nk, r);
  const existing = await selectByNk<{ id: number; uid: string; nk: string; content_hash: string; deleted_at: string | null }>(
    trx, table, [...byNk.keys()], ['id', 'uid', 'nk', 'content_hash', 'deleted_at'],
  );
  const found = new Map(existing.map((e) => [e.nk, e]));
  const refs = new Map<string, RowRef>();
  const changed = new Set<string>();
  const writes: Record<string, unknown>[] = [];
  const stamp = nowIso(opts.now);
  let created = 0;
  let updated = 0;
  let unchanged = 0;
  for (const [nk, row] of byNk) {
    const hash = contentHash(row.attrs);
    const cur = found.get(nk);
    if (cur) refs.set(nk, { id: Number(cur.id), uid: cur.uid });
    if (cur && cur.content_hash === hash && cur.deleted_at === null) {
      unchanged++;
      continue;
    }
    if (cur) updated++;
    else created++;
    changed.add(nk);
    // Object.assign, not `{ ...row.attrs, uid, ... }`: V8 builds a spread followed by more keys
    // on a slow path, about 15 µs a row, a fifth of a bulk load's CPU (bench/marks.ts).
    writes.push(Object.assign({}, row.attrs, {
      uid: cur?.uid ?? uuidv7(opts.now.getTime()),
      nk,
      content_hash: hash,
      change_version: await versions.take(),
      created_at: stamp,
      updated_at: stamp,
      deleted_at: null,
      source: opts.source,
    }));
  }
  if (writes.length > 0 && !opts.dryRun) {
    const cols = Object.keys(writes[0] ?? {});
    const merge = cols.filter((c) => c !== 'uid' && c !== 'nk' && c !== 'created_at');
    const per = statementRows(trx, cols.length);
    const upsert = async (rows: Record<string, unknown>[]) => {
      for (let i = 0; i < rows.length; i += per) await trx(table).insert(rows.slice(i, i + per)).onConflict('nk').merge(merge);
    };
    if (opts.bulk) {
      await insertNewRows(trx, table, cols, writes.filter((w) => !found.has(w.nk as string)), upsert);
      await upsert(writes.filter((w) => found.has(w.nk as string)));
    } else {
      await upsert(writes);
    }
    const fresh = opts.refs === false ? [] : writes.filter((w) => !refs.has(w.nk as string)).map((w) => w.nk as string);
    for (const r of await selectByNk<{ id: number; uid: string; nk: string }>(trx, table, fresh, ['id', 'uid', 'nk'])) {
      refs.set(r.nk, { id: Number(r.id), uid: r.uid });
    }
  }
  return { created, updated, unchanged, refs, changed };
}

/** Soft-deletes rows by id: deleted_at + a new change version, so change feeds see the delete. */
export async function softDelete(
  trx: Knex.Transaction,
  versions: VersionSource,
  table: string,
  ids: number[],
  now: Date,
): Promise<number> {
  const stamp = nowIso(now);
  for (let i = 0; i < ids.length; i += PER_STATEMENT) {
    const live = ((await trx(table).whereIn('id', ids.slice(i, i + PER_STATEMENT)).whereNull('deleted_at').pluck('id')) as unknown[]).map(Number);
    if (live.length === 0) continue;
    const cv = await perRow(versions, live);
    await trx(table).whereIn('id', live).whereNull('deleted_at')
      .update({ deleted_at: stamp, updated_at: stamp, change_version: trx.raw(cv.sql, cv.bindings) });
  }
  return ids.length;
}

/** Rows per statement of per-row updates (softDelete, closeEnrollments): an id and two bindings a row per `case`, under SQLite's 999. */
export const PER_STATEMENT = 150;

/**
 * `case id when … then <value> … end` for one UPDATE of many rows: each row's own value, by
 * default a change version of its own (the feed orders rows by version), taken in the order of
 * `ids`. Returned as SQL and bindings, not as a knex Raw: awaiting a Raw would run it.
 */
export async function perRow(versions: VersionSource, ids: number[], values?: (id: number) => unknown): Promise<{ sql: string; bindings: Knex.RawBinding[] }> {
  const bindings: Knex.RawBinding[] = [];
  for (const id of ids) bindings.push(id, (values ? values(id) : await versions.take()) as Knex.RawBinding);
  return { sql: `case id ${ids.map(() => 'when ? then ?').join(' ')} end`, bindings };
}
