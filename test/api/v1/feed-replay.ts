/**
 * A consumer of the change feed: pages through GET /api/v1/changes and applies each item to a
 * copy keyed by kind and public id. `sourceState` is what the copy must equal: every live row in
 * the client's organizations, without the rows of students who refused the purpose.
 */
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { consentFor } from '../../../src/domain/consent/store.ts';
import { FEED_KINDS, fetchItems, type FeedItem } from '../../../src/domain/diary/feed-items.ts';

export type Copy = Map<string, Record<string, unknown>>;

export interface Pull {
  next: number;
  pages: number;
  items: FeedItem[];
}

export async function pull(app: FastifyInstance, token: string, copy: Copy, from: number, limit: number): Promise<Pull> {
  let min = from;
  let pages = 0;
  const items: FeedItem[] = [];
  for (;;) {
    const res = await app.inject({ url: `/api/v1/changes?minChangeVersion=${min}&limit=${limit}`, headers: { authorization: `Bearer ${token}` } });
    if (res.statusCode !== 200) throw new Error(`changes: ${res.statusCode} ${res.body}`);
    const page = res.json() as { items: FeedItem[]; nextMinChangeVersion: number; hasMore: boolean; maxChangeVersion: number };
    pages++;
    for (const i of page.items) {
      items.push(i);
      if (i.op === 'upsert') copy.set(`${i.kind}:${i.id}`, i.data!);
      else copy.delete(`${i.kind}:${i.id}`);
    }
    min = page.nextMinChangeVersion;
    if (!page.hasMore) return { next: min, pages, items };
    if (pages > 10_000) throw new Error('feed does not end');
  }
}

export async function sourceState(db: Knex, orgCodes: string[], purpose: string, unknownMeans: 'granted' | 'refused'): Promise<Copy> {
  const orgIds = (await db('organizations').whereIn('code', orgCodes).pluck('id')).map(Number);
  const rows = (await Promise.all(FEED_KINDS.map((k) => fetchItems(db, k, (q, a) => q.whereIn(`${a}.organization_id`, orgIds), { liveOnly: true })))).flat();
  const persons = [...new Set(rows.flatMap((r) => (r.personId === null ? [] : [r.personId])))];
  const consent = await consentFor(db, persons, purpose, unknownMeans);
  const out: Copy = new Map();
  for (const r of rows) if (r.personId === null || consent.get(r.personId) !== 'refused') out.set(`${r.item.kind}:${r.item.id}`, r.item.data!);
  return out;
}

/** The copy as sorted entries, for readable diffs. */
export const sorted = (c: Copy) => [...c.entries()].sort(([a], [b]) => a.localeCompare(b));
