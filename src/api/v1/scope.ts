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
export async function scopeOrgIds(db: Knex, client: ApiPrincipal): Promise<ReadonlySet<number>> {
  const known = idSets.get(client.orgs);
  if (known && known.map === maps.get(db)) return known.ids;
  let m = maps.get(db) ?? (await load(db));
  if (client.orgs.some((c) => !m.has(c))) m = await load(db);
  const ids = new Set(client.orgs.flatMap((c) => (m.has(c) ? [m.get(c)!] : [])));
  idSets.set(client.orgs, { map: m, ids });
  return ids;
}

/** The ids of a caller's organization list (the guard keeps one list per token and client row), and the map they came from. */
const idSets = new WeakMap<string[], { map: Map<string, number>; ids: ReadonlySet<number> }>();
