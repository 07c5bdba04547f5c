/**
 * Organization codes (what tokens and hub.yaml speak) to internal ids (what core rows carry). The
 * organizations table mirrors hub.yaml at start, so the map is read once per database handle and
 * read again only when a code is missing.
 */
import type { Knex } from 'knex';
import type { ApiPrincipal } from '../auth/guard.ts';

const maps = new WeakMap<Knex, Map<string, number>>();

async function load(db: Knex): Promise<Map<string, number>> {
  const rows: { code: string; id: number }[] = await db('organizations').whereNull('deleted_at').select('code', 'id');
  const m = new Map(rows.map((r) => [r.code, Number(r.id)]));
  maps.set(db, m);
  return m;
}

/** Internal ids of every organization the client may see (its granted subtrees). */
export async function scopeOrgIds(db: Knex, client: ApiPrincipal): Promise<Set<number>> {
  let m = maps.get(db) ?? (await load(db));
  if (client.orgs.some((c) => !m.has(c))) m = await load(db);
  return new Set(client.orgs.flatMap((c) => (m.has(c) ? [m.get(c)!] : [])));
}
