/** The crosswalk: (source system, entity, external id) -> core id. */
import type { Knex } from 'knex';
import { nowIso } from './ids.ts';
import { insertNewRows } from './bulk-insert.ts';
import { statementRows } from './upsert.ts';

export interface Link {
  externalId: string;
  coreId: number;
}

export async function findLinks(trx: Knex | Knex.Transaction, source: string, entity: string, externalIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < externalIds.length; i += 5000) {
    const rows = await trx('external_ids').where({ source, entity }).whereIn('external_id', externalIds.slice(i, i + 5000)).select('external_id', 'core_id');
    for (const r of rows) out.set(String(r.external_id), Number(r.core_id));
  }
  return out;
}

/** Writes only links that are new or point elsewhere now; returns how many were written. */
export async function saveLinks(trx: Knex.Transaction, source: string, entity: string, organization: string | null, links: Link[], now: Date, known?: Map<string, number>): Promise<number> {
  const current = known ?? (await findLinks(trx, source, entity, links.map((l) => l.externalId)));
  const rows = links
    .filter((l) => current.get(l.externalId) !== l.coreId)
    .map((l) => ({ source, entity, external_id: l.externalId, core_id: l.coreId, organization, updated_at: nowIso(now) }));
  const per = statementRows(trx, 6);
  const upsert = async (part: Record<string, unknown>[]) => {
    for (let i = 0; i < part.length; i += per) {
      await trx('external_ids').insert(part.slice(i, i + per)).onConflict(['source', 'entity', 'external_id']).merge(['core_id', 'organization', 'updated_at']);
    }
  };
  // Links not seen before go in through the bulk path; links that point elsewhere now are merged.
  const fresh = rows.filter((r) => !current.has(r.external_id));
  if (fresh.length) await insertNewRows(trx, 'external_ids', Object.keys(fresh[0]!), fresh, upsert);
  await upsert(rows.filter((r) => current.has(r.external_id)));
  return rows.length;
}
