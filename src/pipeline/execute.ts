/**
 * One run of a connector instance: read -> map -> validate -> resolve -> load, in chunks; one
 * transaction per chunk holding its rows, its rejections and its checkpoint. A crashed run resumes
 * from its last checkpoint: snapshot streams are re-read from the start and the records already
 * committed are only counted as seen (so "missing from the snapshot" stays exact); event streams
 * resume from the connector's own state.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ReadContext } from '../core/contract.ts';
import { PermanentError, isHubError } from '../core/errors.ts';
import { writeTransaction } from '../db/change-versions.ts';
import { loadMapping } from '../mapping/load.ts';
import type { Runtime } from '../runtime.ts';
import { createRun, getRun, lastStreamState, loadCheckpoints, markRun, type RunInput } from './runs-store.ts';
import { streamOrder } from './stream-order.ts';
import { runStream, type Progress } from './stream-run.ts';
import { zeroCounts, type Counts } from './target.ts';
import { uuidv7 } from '../db/ids.ts';
import { runExportStream } from './export.ts';

export interface RunRequest {
  instance: string;
  files?: string[] | undefined;
  from?: string | undefined;
  to?: string | undefined;
  dryRun?: boolean | undefined;
  confirm?: boolean | undefined;
  replayOf?: string | undefined;
  streams?: string[] | undefined;
}

export interface RunSummary {
  runId: string;
  instance: string;
  status: 'succeeded' | 'failed';
  dryRun: boolean;
  streams: Record<string, Counts & { notes: Record<string, number> }>;
  totals: Counts;
  error?: { code: string; message: string };
  /** Follow-up jobs the run queued (attendance derivation...) that were run before the answer (`rso-hub run`, embedded). */
  followUps?: number;
}

/** Creates the run row (status queued) and resolves its input files now, so a retry reads the same. */
export async function createRunFor(rt: Runtime, req: RunRequest): Promise<string> {
  const inst = rt.instance(req.instance);
  const id = uuidv7(rt.now().getTime());
  const files = req.files?.map((f) => path.resolve(f)) ?? dropFolderFiles(rt, inst.dropFolder);
  const input: RunInput = { files, from: req.from, to: req.to, confirm: req.confirm, streams: req.streams };
  await createRun(rt.db, { id, instance: inst.name, kind: req.replayOf ? 'replay' : 'import', input, replayOf: req.replayOf, dryRun: req.dryRun ?? false, now: rt.now() });
  return id;
}

export function dropFolderFiles(rt: Runtime, folder: string | undefined): string[] {
  if (!folder) return [];
  const dir = path.resolve(rt.configDir, folder);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isFile() && !d.name.startsWith('.'))
    .map((d) => path.join(dir, d.name))
    .sort();
}

export async function executeRun(rt: Runtime, runId: string, opts: { signal?: AbortSignal; onProgress?: (p: Progress) => void; worker?: string } = {}): Promise<RunSummary> {
  const run = await getRun(rt.db, runId);
  if (!run) throw new PermanentError('unknown_run', `run ${runId} does not exist`);
  const inst = rt.instance(run.instance);
  const connector = rt.connectors.get(inst.connector);
  if (!connector) throw new PermanentError('unknown_connector', `connector ${inst.connector} is not installed`);
  const org = rt.orgs.get(inst.organization);
  const config = connector.configSchema.parse(inst.config);
  await markRun(rt.db, runId, { status: 'running', started_at: run.started_at ?? rt.now().toISOString(), worker: opts.worker ?? null, error_code: null, error_message: null });
  const checkpoints = await loadCheckpoints(rt.db, runId);
  const summary: RunSummary = { runId, instance: inst.name, status: 'succeeded', dryRun: run.dry_run, streams: {}, totals: zeroCounts() };
  const cache = new Map<string, unknown>();
  const controller = new AbortController();
  opts.signal?.addEventListener('abort', () => controller.abort(opts.signal?.reason));
  try {
    const wanted = run.input.streams ?? inst.streams;
    for (const spec of streamOrder(connector.streams, wanted)) {
      if (spec.direction === 'export') {
        const res = await runExportStream(rt, run, inst, spec, connector, config, controller.signal, cache);
        const { failures: _f, ...counts } = res;
        summary.streams[spec.name] = { ...zeroCounts(), ...counts, rejected: counts.failed };
        summary.totals.read += counts.read;
        continue;
      }
      const mapping = await loadMapping(connector.id, spec.mapping ?? spec.name, inst.mapping, new Set(rt.targets.keys()));
      if (!mapping.mapping) throw new PermanentError('bad_mapping', mapping.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
      const target = rt.targets.get(mapping.mapping.target);
      if (!target) throw new PermanentError('bad_mapping', `unknown target ${mapping.mapping.target}`);
      const cp = checkpoints.get(spec.name);
      // An incremental stream (one with a cursor field) starts where its last succeeded run ended.
      const state = cp ? cp.connectorState : spec.cursorField ? await lastStreamState(rt.db, inst.name, spec.name) : undefined;
      const readCtx: ReadContext = {
        instance: inst.name, organization: { code: org.code, timeZone: org.timeZone }, files: run.input.files,
        ...(run.input.from ? { from: run.input.from } : {}), ...(run.input.to ? { to: run.input.to } : {}),
        ...(spec.kind === 'events' && state !== undefined ? { state } : {}),
        limits: rt.limitsFor(inst), log: rt.log, now: rt.now, signal: controller.signal,
      };
      const result = await runStream({
        rt, run, inst, spec, connector, config, readCtx, mapping: mapping.mapping, target, checkpoint: cp, cache,
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      });
      summary.streams[spec.name] = result;
      for (const k of ['read', 'created', 'updated', 'unchanged', 'deleted', 'rejected'] as const) summary.totals[k] += result[k];
    }
    await markRun(rt.db, runId, { status: 'succeeded', finished_at: rt.now().toISOString(), counts: summary.streams });
    return summary;
  } catch (err) {
    const permanent = !isHubError(err) || err.kind === 'permanent' || err.kind === 'record';
    const code = isHubError(err) ? err.code : 'internal_error';
    const message = err instanceof Error ? err.message : String(err);
    await markRun(rt.db, runId, { status: permanent ? 'failed' : 'interrupted', finished_at: rt.now().toISOString(), error_code: code, error_message: message.slice(0, 4000), counts: summary.streams });
    if (permanent && isHubError(err)) return { ...summary, status: 'failed', error: { code, message } };
    throw err;
  }
}

/** Creates and executes a run in this process (the inline path of `rso-hub run`). */
export async function runNow(rt: Runtime, req: RunRequest, opts: { onProgress?: (p: Progress) => void } = {}): Promise<RunSummary> {
  const id = await createRunFor(rt, req);
  return executeRun(rt, id, opts);
}

export { writeTransaction };
