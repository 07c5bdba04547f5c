/** The chunk loop of one stream of a run (see execute.ts for the resume rules). */
import type { Connector, ReadContext, ReadEvent, StreamSpec } from '../core/contract.ts';
import { PermanentError, RecordRejected } from '../core/errors.ts';
import { writeTransaction } from '../db/change-versions.ts';
import type { CompiledMapping } from '../mapping/compile.ts';
import type { InstanceConfig } from '../config/schema.ts';
import type { Runtime } from '../runtime.ts';
import { resolveLookups } from './lookups.ts';
import { listRejects, saveCheckpoint, saveRejects, type RejectRow, type RunRow, type StreamCheckpoint } from './runs-store.ts';
import { zeroCounts, type Counts, type LoadContext, type LoadTarget, type MappedRecord } from './target.ts';

export interface Progress {
  stream: string;
  read: number;
  rejected: number;
}

interface StreamArgs {
  rt: Runtime;
  run: RunRow;
  inst: InstanceConfig;
  spec: StreamSpec;
  connector: Connector<unknown, unknown>;
  config: unknown;
  readCtx: ReadContext;
  mapping: CompiledMapping;
  target: LoadTarget;
  checkpoint: StreamCheckpoint | undefined;
  cache: Map<string, unknown>;
  onProgress?: (p: Progress) => void;
}

/** Below this many records the reject ratio is not judged (one bad row of three is not a trend). */
const MIN_RECORDS_FOR_RATIO = 20;

export async function runStream(a: StreamArgs): Promise<Counts & { notes: Record<string, number> }> {
  const { rt, run, inst, spec, target } = a;
  if (a.checkpoint?.done) return { ...a.checkpoint.counts, notes: a.checkpoint.notes };
  const skip = a.checkpoint?.records ?? 0;
  const counts: Counts = a.checkpoint ? { ...a.checkpoint.counts } : zeroCounts();
  const notes: Record<string, number> = { ...(a.checkpoint?.notes ?? {}) };
  const seen = new Set<string>();
  const org = rt.orgs.get(inst.organization);
  const ctx: LoadContext = {
    db: rt.db, hub: rt.hub, orgs: rt.orgs, org, instance: inst, runId: run.id, stream: spec.name, now: rt.now(),
    dryRun: run.dry_run, confirm: run.input.confirm ?? false, connector: a.connector.id, cache: a.cache,
  };
  let index = 0;
  let chunk: MappedRecord[] = [];
  let rejects: (RejectRow & { index: number })[] = [];
  let replayIds: number[] = [];
  let connectorState: unknown = a.checkpoint?.connectorState;

  const flush = async () => {
    if (chunk.length === 0 && rejects.length === 0 && index <= (a.checkpoint?.records ?? 0)) return;
    ctx.now = rt.now();
    const mapped = chunk;
    const pre = rejects;
    chunk = [];
    rejects = [];
    await writeTransaction(rt.db, async (trx, versions) => {
      // Roughly: a record writes a few rows (a person, an enrollment, a link, consents).
      versions.expect(mapped.length * 4);
      const lookedUp = await resolveLookups(trx, mapped, a.mapping.lookups, ctx);
      const res = lookedUp.ok.length ? await target.loadChunk(trx, versions, lookedUp.ok, ctx) : { created: 0, updated: 0, unchanged: 0, rejects: [] };
      const byIndex = new Map(mapped.map((m) => [m.index, m]));
      const all = [...pre, ...[...lookedUp.rejects, ...res.rejects].map((r) => {
        const m = byIndex.get(r.index);
        return { index: r.index, stream: spec.name, position: m?.position ?? `#${r.index}`, field: r.field, code: r.code, message: r.message, raw: m?.raw ?? null };
      })];
      counts.created += res.created;
      counts.updated += res.updated;
      counts.unchanged += res.unchanged;
      counts.deleted += res.deleted ?? 0;
      counts.rejected += all.length;
      for (const [k, v] of Object.entries(res.notes ?? {})) notes[k] = (notes[k] ?? 0) + v;
      if (!run.dry_run) {
        await saveRejects(trx, run.id, all);
        if (replayIds.length) await trx('rejected_records').whereIn('id', replayIds).update({ replayed_in: run.id });
        await saveCheckpoint(trx, run.id, spec.name, { records: index, done: false, counts, notes, connectorState }, rt.now());
      }
      replayIds = [];
      if (run.dry_run) await trx.rollback(new DryRunRollback());
    }).catch((e: unknown) => {
      if (!(e instanceof DryRunRollback)) throw e;
    });
    a.onProgress?.({ stream: spec.name, read: counts.read, rejected: counts.rejected });
    if (counts.read >= MIN_RECORDS_FOR_RATIO && counts.rejected / counts.read > inst.maxRejectRatio) {
      throw new PermanentError('reject_ratio_exceeded', `${counts.rejected} of ${counts.read} records of ${spec.name} rejected (limit ${Math.round(inst.maxRejectRatio * 100)}%); see \`rso-hub rejects ${run.id}\``);
    }
  };

  for await (const ev of source(a)) {
    if (a.readCtx.signal.aborted) throw a.readCtx.signal.reason instanceof Error ? a.readCtx.signal.reason : new Error('aborted');
    if (ev.kind === 'checkpoint') {
      connectorState = ev.state;
      continue;
    }
    const i = index++;
    if (ev.kind === 'reject') {
      if (i < skip) continue;
      counts.read++;
      rejects.push({ index: i, stream: spec.name, position: ev.position, field: ev.field, code: ev.code, message: ev.message, raw: ev.data });
    } else {
      let data: Record<string, unknown>;
      try {
        data = validate(target, a.mapping.map(ev.data, org.timeZone));
      } catch (err) {
        if (!(err instanceof RecordRejected)) throw err;
        if (i < skip) continue;
        counts.read++;
        rejects.push({ index: i, stream: spec.name, position: ev.position, field: err.field, code: err.code, message: err.message, raw: ev.data });
        continue;
      }
      if (target.keyOf) seen.add(target.keyOf(data));
      if (i < skip) continue;
      counts.read++;
      chunk.push({ index: i, position: ev.position, raw: ev.data, data });
      const rid = (ev as { replayId?: number }).replayId;
      if (rid !== undefined) replayIds.push(rid);
    }
    if (chunk.length + rejects.length >= inst.chunkSize) await flush();
  }
  await flush();
  // Snapshot end: what the snapshot no longer holds (never on a replay: its input is partial).
  // A snapshot stream that yielded nothing (no input file for it, or a header only) is not taken
  // as "everything left": that is how a failed export looks, and it must not empty a school.
  const finishing = spec.kind === 'snapshot' && target.finish && !run.replay_of && index > 0;
  if (spec.kind === 'snapshot' && index === 0) notes.empty_snapshot_ignored = 1;
  await writeTransaction(rt.db, async (trx, versions) => {
    if (finishing && target.finish) {
      const fin = await target.finish(trx, versions, seen, ctx);
      counts.deleted += fin.deleted;
      for (const [k, v] of Object.entries(fin.notes ?? {})) notes[k] = (notes[k] ?? 0) + v;
    }
    if (!run.dry_run) await saveCheckpoint(trx, run.id, spec.name, { records: index, done: true, counts, notes, connectorState }, rt.now());
    else await trx.rollback(new DryRunRollback());
  }).catch((e: unknown) => {
    if (!(e instanceof DryRunRollback)) throw e;
  });
  if (counts.read >= MIN_RECORDS_FOR_RATIO && counts.rejected / counts.read > inst.maxRejectRatio) {
    throw new PermanentError('reject_ratio_exceeded', `${counts.rejected} of ${counts.read} records of ${spec.name} rejected`);
  }
  return { ...counts, notes };
}

class DryRunRollback extends Error {}

function validate(target: LoadTarget, data: Record<string, unknown>): Record<string, unknown> {
  const r = target.schema.safeParse(data);
  if (r.success) return r.data as Record<string, unknown>;
  const issue = r.error.issues[0];
  const field = issue?.path.map(String).join('.') || undefined;
  throw new RecordRejected('invalid_record', `${field ?? 'record'}: ${issue?.message ?? 'invalid'}`, field);
}

/** The records of a stream: from the connector, or, on a replay, the original run's rejections. */
async function* source(a: StreamArgs): AsyncIterable<ReadEvent & { replayId?: number }> {
  if (a.run.input.batchId) {
    // Every batch that joined the run, in the order they arrived (the same order on a resume).
    const ids: string[] = await a.rt.db('ingest_batches').where({ run_id: a.run.id }).orderBy('received_at').orderBy('id').pluck('id');
    if (ids.length === 0) throw new PermanentError('unknown_batch', `ingest batch ${a.run.input.batchId} does not exist`);
    for (let i = 0; i < ids.length; i += 200) {
      const page = ids.slice(i, i + 200);
      const bodies = new Map((await a.rt.db('ingest_batches').whereIn('id', page).select('id', 'body')).map((b: { id: string; body: string }) => [b.id, String(b.body)]));
      for (const id of page) {
        for (const ev of a.connector.ingest!.parse(Buffer.from(bodies.get(id) ?? '[]', 'utf8'), a.config)) {
          if (ev.kind === 'checkpoint') yield ev;
          // With several batches in the run, a position names its batch too.
          else if (ev.stream === a.spec.name) yield ids.length > 1 ? { ...ev, position: `${ev.position} of batch ${id}` } : ev;
        }
      }
    }
    return;
  }
  if (!a.run.replay_of) {
    if (!a.connector.read) return;
    yield* a.connector.read(a.spec.name, a.config, a.readCtx);
    return;
  }
  for (const r of await listRejects(a.rt.db, a.run.replay_of, { onlyPending: true })) {
    if (r.stream !== a.spec.name) continue;
    const raw = JSON.parse(String(r.raw ?? 'null')) as unknown;
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      yield { kind: 'record', stream: r.stream, data: raw as Record<string, unknown>, position: r.position, replayId: Number(r.id) };
    } else {
      yield { kind: 'reject', stream: r.stream, data: raw, position: r.position, code: r.code, message: `${r.message} (not replayable: the source row could not be parsed)` };
    }
  }
}
