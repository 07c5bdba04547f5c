/**
 * Export streams fed page by page (the nightly portal package): the source applies the consent
 * filter of the instance's purpose itself and yields bounded pages, so a night of a city's changes
 * never sits in memory at once. The cursor (export_cursors) moves to the window's end only when
 * write() finished without a failed row: a failed or interrupted run is re-run from the same
 * version, a successful one leaves nothing new for the next.
 */
import type { Knex } from 'knex';
import type { Connector, ExportRow, StreamSpec, WriteContext } from '../core/contract.ts';
import type { InstanceConfig } from '../config/schema.ts';
import { PermanentError } from '../core/errors.ts';
import { committedWatermark } from '../db/change-versions.ts';
import { nowIso } from '../db/ids.ts';
import { recordAccess } from '../api/audit.ts';
import type { Runtime } from '../runtime.ts';
import type { RunRow } from './runs-store.ts';
import { diaryChangesSource } from './sources/diary-changes.ts';

export interface ExportPage {
  rows: ExportRow[];
  /** Rows the consent filter kept back in this page. */
  withheld: number;
  /** Persons whose data the page carries, and persons withheld (the access audit). */
  sentPersons: number[];
  withheldPersons: number[];
}

export interface StreamingExportSource {
  name: string;
  pages(db: Knex, window: { after: number; upTo: number }, scope: { orgIds: number[]; purpose: string; unknownMeans: 'granted' | 'refused' }): AsyncIterable<ExportPage>;
}

export const streamingSources = new Map<string, StreamingExportSource>([[diaryChangesSource.name, diaryChangesSource]]);

export interface StreamingExportResult {
  read: number;
  sent: number;
  skipped: number;
  withheld: number;
  failed: number;
  notes: Record<string, number>;
  failures: { publicId: string; code: string; message: string }[];
}

/** Failures kept for rejected_records; the counts stay exact beyond it. */
const MAX_FAILURES_KEPT = 1000;

export async function runStreamingExport(
  rt: Runtime, run: RunRow, inst: InstanceConfig, spec: StreamSpec, connector: Connector<unknown, unknown>, config: unknown, signal: AbortSignal, source: StreamingExportSource,
): Promise<StreamingExportResult> {
  if (!connector.write) throw new PermanentError('not_an_export', `connector ${connector.id} has no write side`);
  const purpose = inst.purpose;
  if (!purpose) throw new PermanentError('bad_config', `instance ${inst.name} exports personal data and must declare a purpose`);
  const unknownMeans = rt.hub.consent.unknownMeans[purpose] ?? 'refused';
  const cur = await rt.db('export_cursors').where({ instance: inst.name, stream: spec.name }).first('change_version');
  const after = Number(cur?.change_version ?? 0);
  const upTo = Math.max(after, await committedWatermark(rt.db));
  const orgCodes = rt.orgs.subtree(inst.organization).map((o) => o.code);
  const orgIds = (await rt.db('organizations').whereIn('code', orgCodes).pluck('id')).map(Number);
  const res: StreamingExportResult = { read: 0, sent: 0, skipped: 0, withheld: 0, failed: 0, notes: { fromChangeVersion: after + 1, toChangeVersion: upTo }, failures: [] };
  const audited = `export:${inst.name}`.slice(0, 64);

  async function* rows(): AsyncGenerator<ExportRow> {
    if (after >= upTo) return;
    for await (const page of source.pages(rt.db, { after, upTo }, { orgIds, purpose: purpose!, unknownMeans })) {
      res.read += page.rows.length;
      res.withheld += page.withheld;
      if (!run.dry_run) {
        const at = rt.now();
        const entry = (personId: number, result: 'ok' | 'withheld') => ({ clientId: audited, personId, resource: spec.name, result, requestId: run.id, at });
        await recordAccess(rt.db, [...page.sentPersons.map((p) => entry(p, 'ok')), ...page.withheldPersons.map((p) => entry(p, 'withheld'))]);
      }
      yield* page.rows;
    }
  }

  if (run.dry_run) {
    // Nothing is handed to the outside system: the rows are only counted.
    for await (const _row of rows()) void _row;
    return res;
  }
  const org = rt.orgs.get(inst.organization);
  const ctx: WriteContext = { instance: inst.name, organization: { code: org.code, timeZone: org.timeZone }, log: rt.log, now: rt.now, signal, window: { after, upTo } };
  for await (const r of connector.write(spec.name, config, rows(), ctx)) {
    if (r.status === 'failed') {
      res.failed++;
      if (res.failures.length < MAX_FAILURES_KEPT) res.failures.push({ publicId: r.publicId, code: r.code ?? 'failed', message: r.message ?? '' });
    } else if (r.status === 'skipped') res.skipped++;
    else res.sent++;
  }
  await rt.db.transaction(async (trx) => {
    if (res.failures.length) {
      await trx('rejected_records').insert(res.failures.map((f) => ({ run_id: run.id, stream: spec.name, position: f.publicId, field: null, code: f.code.slice(0, 64), message: f.message.slice(0, 2000), raw: null })));
    }
    if (res.failed === 0) {
      await trx('export_cursors').insert({ instance: inst.name, stream: spec.name, change_version: upTo, updated_at: nowIso(rt.now()) })
        .onConflict(['instance', 'stream']).merge(['change_version', 'updated_at']);
    }
  });
  return res;
}
