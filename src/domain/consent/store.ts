/**
 * Consent per person and purpose (ARCHITECTURE.md, "Consent"): the current status in
 * person_consents, every change appended to consent_history (who, when, source).
 */
import type { Knex } from 'knex';
import type { VersionSource } from '../../db/change-versions.ts';
import { nowIso } from '../../db/ids.ts';
import { insertNewRows } from '../../db/bulk-insert.ts';
import { upsertByNk } from '../../db/upsert.ts';

export type ConsentStatus = 'granted' | 'refused' | 'unknown';

export interface ConsentEntry {
  personId: number;
  purpose: string;
  status: ConsentStatus;
  decidedOn: string | null;
  origin: string;
}

export async function recordConsents(
  trx: Knex.Transaction,
  versions: VersionSource,
  entries: ConsentEntry[],
  opts: { recordedBy: string; now: Date; dryRun: boolean },
): Promise<{ changed: number }> {
  // "unknown" from a source never overwrites a known answer: it only means the column was empty.
  const known = new Map<string, { status: string; decided: boolean }>();
  const ids = [...new Set(entries.map((e) => e.personId))];
  for (let i = 0; i < ids.length; i += 5000) {
    for (const r of await trx('person_consents').whereIn('person_id', ids.slice(i, i + 5000)).select('person_id', 'purpose', 'status', 'decided_on')) {
      known.set(`${r.person_id}|${r.purpose}`, { status: r.status, decided: r.decided_on != null });
    }
  }
  const rows = new Map<string, { nk: string; attrs: Record<string, unknown> }>();
  for (const e of entries) {
    const nk = `${e.personId}|${e.purpose}`;
    if (e.status === 'unknown') continue;
    // An undated answer (a roster column) never overrides a dated decision (a consent file).
    if (e.decidedOn === null && known.get(nk)?.decided) continue;
    rows.set(nk, { nk, attrs: { person_id: e.personId, purpose: e.purpose, status: e.status, decided_on: e.decidedOn, origin: e.origin } });
  }
  const res = await upsertByNk(trx, versions, 'person_consents', [...rows.values()], { source: opts.recordedBy, now: opts.now, dryRun: opts.dryRun, bulk: true, refs: false });
  const history = [...res.changed].map((nk) => {
    const a = rows.get(nk)!.attrs;
    return { person_id: a.person_id, purpose: a.purpose, status: a.status, decided_on: a.decided_on, origin: a.origin, recorded_by: opts.recordedBy, recorded_at: nowIso(opts.now) };
  });
  if (history.length > 0 && !opts.dryRun) {
    const insert = async (rows: Record<string, unknown>[]) => {
      for (let i = 0; i < rows.length; i += 400) await trx('consent_history').insert(rows.slice(i, i + 400));
    };
    await insertNewRows(trx, 'consent_history', Object.keys(history[0]!), history, insert);
  }
  return { changed: res.changed.size };
}

/** Effective consent of persons for a purpose: any refusal wins; unknown resolves per config. */
export async function consentFor(
  db: Knex | Knex.Transaction,
  personIds: number[],
  purpose: string,
  unknownMeans: 'granted' | 'refused',
): Promise<Map<number, 'granted' | 'refused'>> {
  const out = new Map<number, 'granted' | 'refused'>(personIds.map((id) => [id, unknownMeans]));
  for (let i = 0; i < personIds.length; i += 5000) {
    const rows = await db('person_consents').where({ purpose }).whereNull('deleted_at').whereIn('person_id', personIds.slice(i, i + 5000)).select('person_id', 'status');
    for (const r of rows) {
      const s = r.status as ConsentStatus;
      if (s !== 'unknown') out.set(Number(r.person_id), s);
    }
  }
  return out;
}
