/**
 * The export half of a run: the core rows changed since the instance's change-version cursor, the
 * consent filter for the instance's purpose, write(), and per-row results (the outside system's
 * ids into the crosswalk; counts sent, skipped, withheld, failed). A person whose consent is
 * refused is never handed to write(); if they were sent before, write() gets a tombstone instead.
 */
import type { Connector, ExportRow, StreamSpec, WriteContext } from '../core/contract.ts';
import { PermanentError } from '../core/errors.ts';
import { committedWatermark } from '../db/change-versions.ts';
import { findLinks, saveLinks } from '../db/crosswalk.ts';
import { nowIso } from '../db/ids.ts';
import { consentFor } from '../domain/consent/store.ts';
import type { InstanceConfig } from '../config/schema.ts';
import type { Runtime } from '../runtime.ts';
import { exportSources } from './export-sources.ts';
import { runStreamingExport, streamingSources } from './export-stream.ts';
import type { RunRow } from './runs-store.ts';

export interface ExportCounts {
  read: number;
  sent: number;
  skipped: number;
  withheld: number;
  failed: number;
}

export async function runExportStream(
  rt: Runtime, run: RunRow, inst: InstanceConfig, spec: StreamSpec, connector: Connector<unknown, unknown>, config: unknown, signal: AbortSignal,
  cache?: Map<string, unknown>,
): Promise<ExportCounts & { notes: Record<string, number>; failures: { publicId: string; code: string; message: string }[] }> {
  if (!connector.write) throw new PermanentError('not_an_export', `connector ${connector.id} has no write side`);
  const streaming = streamingSources.get(spec.exportSource ?? '');
  if (streaming) return runStreamingExport(rt, run, inst, spec, connector, config, signal, streaming);
  const source = exportSources.get(spec.exportSource ?? '');
  if (!source) throw new PermanentError('bad_stream', `export stream ${spec.name} names no known source (${spec.exportSource ?? 'none'})`);
  const purpose = inst.purpose;
  if (!purpose) throw new PermanentError('bad_config', `instance ${inst.name} exports personal data and must declare a purpose`);
  const unknownMeans = rt.hub.consent.unknownMeans[purpose] ?? 'refused';
  const cur = await rt.db('export_cursors').where({ instance: inst.name, stream: spec.name }).first('change_version');
  // A snapshot stream hands write() its whole scope on every run: the outside system is diffed
  // against it (an LMS roster), so drift made there is corrected even when the hub changed nothing.
  const after = spec.kind === 'snapshot' ? 0 : Number(cur?.change_version ?? 0);
  const upTo = await committedWatermark(rt.db);
  const orgCodes = rt.orgs.subtree(inst.organization).map((o) => o.code);
  const orgIds = (await rt.db('organizations').whereIn('code', orgCodes).select('id')).map((r: { id: number }) => Number(r.id));
  const rows = after >= upTo ? [] : await source.changed(rt.db, { after, upTo }, orgIds);
  const consent = await consentFor(rt.db, rows.flatMap((r) => (r.personId === null ? [] : [r.personId])), purpose, unknownMeans);
  const links = await findLinks(rt.db, inst.name, spec.name, rows.map((r) => r.publicId));
  const counts: ExportCounts = { read: rows.length, sent: 0, skipped: 0, withheld: 0, failed: 0 };
  const toWrite: ExportRow[] = [];
  for (const r of rows) {
    const ext = links.get(r.publicId);
    const extra = ext !== undefined ? { externalId: String(ext) } : {};
    if (r.personId !== null && consent.get(r.personId) === 'refused') {
      counts.withheld++;
      if (ext !== undefined) toWrite.push({ publicId: r.publicId, kind: 'tombstone', reason: 'consent_refused', data: {}, ...extra });
      continue;
    }
    toWrite.push(r.deleted ? { publicId: r.publicId, kind: 'tombstone', reason: 'deleted', data: {}, ...extra } : { publicId: r.publicId, kind: 'upsert', data: r.data, ...extra });
  }
  // A dry run hands nothing to the outside system (writing there could not be rolled back): the rows are only counted.
  if (run.dry_run) return { ...counts, notes: { not_sent_dry_run: toWrite.length }, failures: [] };
  const org = rt.orgs.get(inst.organization);
  const ctx: WriteContext = { instance: inst.name, organization: { code: org.code, timeZone: org.timeZone }, log: rt.log, now: rt.now, signal, ...(cache ? { cache } : {}) };
  const failures: { publicId: string; code: string; message: string }[] = [];
  const newLinks: { externalId: string; coreId: number }[] = [];
  async function* feed() { yield* toWrite; }
  for await (const res of connector.write(spec.name, config, feed(), ctx)) {
    const row = toWrite.find((t) => t.publicId === res.publicId);
    if (res.status === 'failed') {
      counts.failed++;
      failures.push({ publicId: res.publicId, code: res.code ?? 'failed', message: res.message ?? '' });
    } else if (res.status === 'skipped') counts.skipped++;
    else if (row?.kind !== 'tombstone') counts.sent++;
    if (res.externalId && /^\d+$/.test(res.externalId)) newLinks.push({ externalId: res.publicId, coreId: Number(res.externalId) });
  }
  if (!run.dry_run) {
    await rt.db.transaction(async (trx) => {
      // Crosswalk of exports: (instance, stream, public id) -> the outside system's numeric id.
      if (newLinks.length) await saveLinks(trx, inst.name, spec.name, org.code, newLinks, rt.now());
      if (failures.length) {
        await trx('rejected_records').insert(failures.map((f) => ({ run_id: run.id, stream: spec.name, position: f.publicId, field: null, code: f.code.slice(0, 64), message: f.message.slice(0, 2000), raw: null })));
      }
      // A row that failed is retried next time: the cursor stays where it was when anything failed.
      if (counts.failed === 0) {
        await trx('export_cursors').insert({ instance: inst.name, stream: spec.name, change_version: upTo, updated_at: nowIso(rt.now()) })
          .onConflict(['instance', 'stream']).merge(['change_version', 'updated_at']);
      }
    });
  }
  return { ...counts, notes: {}, failures };
}
