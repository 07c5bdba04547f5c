/** Runs, their checkpoints and rejected records (engine tables). */
import type { Knex } from 'knex';
import { nowIso } from '../db/ids.ts';
import type { Counts } from './target.ts';

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted';

export interface RunInput {
  files: string[];
  from?: string | undefined;
  to?: string | undefined;
  confirm?: boolean | undefined;
  streams?: string[] | undefined;
  /** Ingest runs: the stored batch (ingest_batches.id) whose records this run loads. */
  batchId?: string | undefined;
}

export interface RunRow {
  id: string;
  instance: string;
  status: RunStatus;
  kind: string;
  input: RunInput;
  counts: Record<string, Counts> | null;
  error_code: string | null;
  error_message: string | null;
  replay_of: string | null;
  dry_run: boolean;
  queued_at: string;
  started_at: string | null;
  finished_at: string | null;
  worker: string | null;
}

export interface StreamCheckpoint {
  records: number;
  done: boolean;
  counts: Counts;
  notes: Record<string, number>;
  connectorState?: unknown;
}

export async function createRun(db: Knex, r: { id: string; instance: string; kind: string; input: RunInput; replayOf?: string | undefined; dryRun?: boolean; now: Date }): Promise<void> {
  await db('runs').insert({
    id: r.id, instance: r.instance, status: 'queued', kind: r.kind, input: JSON.stringify(r.input),
    replay_of: r.replayOf ?? null, dry_run: r.dryRun ?? false, queued_at: nowIso(r.now),
  });
}

export async function getRun(db: Knex, id: string): Promise<RunRow | undefined> {
  const row = await db('runs').where({ id }).first();
  return row ? decode(row) : undefined;
}

export async function listRuns(db: Knex, opts: { instance?: string; limit?: number } = {}): Promise<RunRow[]> {
  const q = db('runs').orderBy('queued_at', 'desc').limit(opts.limit ?? 20);
  if (opts.instance) q.where({ instance: opts.instance });
  return (await q).map(decode);
}

function decode(row: Record<string, unknown>): RunRow {
  return {
    ...(row as unknown as RunRow),
    input: JSON.parse(String(row.input ?? '{"files":[]}')) as RunInput,
    counts: row.counts ? (JSON.parse(String(row.counts)) as Record<string, Counts>) : null,
    dry_run: Boolean(row.dry_run),
  };
}

export async function markRun(db: Knex, id: string, patch: Partial<Omit<RunRow, 'counts' | 'input'>> & { counts?: Record<string, Counts> }): Promise<void> {
  const { counts, ...rest } = patch;
  await db('runs').where({ id }).update({ ...rest, ...(counts ? { counts: JSON.stringify(counts) } : {}) });
}

export async function loadCheckpoints(db: Knex, runId: string): Promise<Map<string, StreamCheckpoint>> {
  const rows = await db('checkpoints').where({ run_id: runId });
  return new Map(rows.map((r: { stream: string; state: string }) => [r.stream, JSON.parse(r.state) as StreamCheckpoint]));
}

/** The connector state a stream of an instance ended its last succeeded run with (an incremental stream's cursor). */
export async function lastStreamState(db: Knex, instance: string, stream: string): Promise<unknown> {
  const rows = await db('checkpoints as c').join('runs as r', 'r.id', 'c.run_id')
    .where({ 'r.instance': instance, 'r.status': 'succeeded', 'c.stream': stream }).orderBy('r.finished_at', 'desc').limit(20).select('c.state');
  // A run that read nothing new may have saved no state: the one before it still holds the cursor.
  for (const r of rows) {
    const state = (JSON.parse(String(r.state)) as StreamCheckpoint).connectorState;
    if (state !== undefined) return state;
  }
  return undefined;
}

/** Written inside the chunk's transaction: a checkpoint never runs ahead of committed data. */
export async function saveCheckpoint(trx: Knex.Transaction, runId: string, stream: string, cp: StreamCheckpoint, now: Date): Promise<void> {
  const row = { run_id: runId, stream, state: JSON.stringify(cp), counts: JSON.stringify(cp.counts), updated_at: nowIso(now) };
  await trx('checkpoints').insert(row).onConflict(['run_id', 'stream']).merge(['state', 'counts', 'updated_at']);
}

export interface RejectRow {
  stream: string;
  position: string;
  field?: string | undefined;
  code: string;
  message: string;
  raw: unknown;
}

export async function saveRejects(trx: Knex.Transaction, runId: string, rejects: RejectRow[]): Promise<void> {
  const rows = rejects.map((r) => ({
    run_id: runId, stream: r.stream, position: r.position.slice(0, 191), field: r.field?.slice(0, 128) ?? null,
    code: r.code.slice(0, 64), message: r.message.slice(0, 2000), raw: truncateRaw(r.raw),
  }));
  for (let i = 0; i < rows.length; i += 200) await trx('rejected_records').insert(rows.slice(i, i + 200));
}

/** Raw records are kept for replay, but a 10 MB cell is not: long strings are cut. */
function truncateRaw(raw: unknown): string {
  const json = JSON.stringify(raw, (_k, v: unknown) => (typeof v === 'string' && v.length > 4096 ? `${v.slice(0, 4096)}…(${v.length} chars)` : v));
  return json.length > 1_000_000 ? json.slice(0, 1_000_000) : json;
}

export async function listRejects(db: Knex, runId: string, opts: { onlyPending?: boolean } = {}) {
  const q = db('rejected_records').where({ run_id: runId }).orderBy('id');
  if (opts.onlyPending) q.whereNull('replayed_in');
  return q.select('id', 'stream', 'position', 'field', 'code', 'message', 'raw', 'replayed_in');
}
