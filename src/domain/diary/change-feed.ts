/**
 * The diary change feed (Ed-Fi change queries, reference/anchors.md §1.3): lessons, marks,
 * attendance and homework changed in a change-version window, in version order, keyset-paged
 * below the committed watermark, limited to the consumer's organizations and filtered by consent
 * for the consumer's purpose.
 *
 * Consent is applied as of now, so the feed never hands out a refused student's rows, whatever
 * their version. When a student's consent row changes (its change version is the event):
 * - refused: a `delete` with reason `consent_refused` for each of their live rows older than the
 *   event (everything the consumer may hold), and no upsert of theirs after it (deletes still go:
 *   they carry no data);
 * - granted, when they may have been withheld before (a refusal in the history, or unknown meaning
 *   refused): every live row of theirs older than the event again, as upserts.
 * Replaying the feed from any cursor onto a copy therefore ends in the source's consented state.
 */
import type { Knex } from 'knex';
import { committedWatermark } from '../../db/change-versions.ts';
import { consentFor } from '../consent/store.ts';
import { FEED_KINDS, fetchItems, type FeedItem, type FeedKind, type RawItem } from './feed-items.ts';

export interface FeedScope {
  /** Organizations (internal ids) whose rows the consumer may see. */
  orgIds: number[];
  purpose: string;
  unknownMeans: 'granted' | 'refused';
}

export interface FeedPage {
  items: FeedItem[];
  /** The window actually read: (after, upTo]; upTo is never above the committed watermark. */
  after: number;
  upTo: number;
  /** The cursor for the next page: pass it back as `after`. */
  next: number;
  hasMore: boolean;
  /** Persons whose rows were sent, and persons whose rows were withheld (for the access audit). */
  sentPersons: number[];
  withheldPersons: number[];
  withheldRows: number;
}

/** Consent events expand to a student's whole record: fewer of them per page keeps pages bounded. */
const CONSENT_EVENTS_PER_PAGE = 50;
const PERSON_KINDS: FeedKind[] = ['mark', 'attendance'];
const kindOrder = new Map(FEED_KINDS.map((k, i) => [k, i]));

export async function readFeed(db: Knex, scope: FeedScope, window: { after: number; upTo?: number; limit: number }): Promise<FeedPage> {
  const watermark = await committedWatermark(db);
  const upTo = Math.min(watermark, window.upTo ?? Number.MAX_SAFE_INTEGER);
  const empty = { items: [], after: window.after, upTo, next: Math.max(window.after, upTo), hasMore: false, sentPersons: [], withheldPersons: [], withheldRows: 0 };
  if (window.after >= upTo || scope.orgIds.length === 0) return empty;
  const inWindow = (q: Knex.QueryBuilder, a: string) =>
    q.where(`${a}.change_version`, '>', window.after).andWhere(`${a}.change_version`, '<=', upTo).whereIn(`${a}.organization_id`, scope.orgIds);
  const [tables, events] = await Promise.all([
    Promise.all(FEED_KINDS.map((k) => fetchItems(db, k, inWindow, { limit: window.limit }))),
    consentEvents(db, scope, window.after, upTo),
  ]);
  // Keyset merge of several tables: everything up to the lowest "last version" of a full page is
  // complete in every table; above it a full table may hold more.
  let cutoff = upTo;
  tables.forEach((rows) => {
    if (rows.length === window.limit) cutoff = Math.min(cutoff, rows.at(-1)!.item.changeVersion);
  });
  if (events.length === CONSENT_EVENTS_PER_PAGE) cutoff = Math.min(cutoff, events.at(-1)!.changeVersion);
  const raw = tables.flat().filter((r) => r.item.changeVersion <= cutoff);
  const pageEvents = events.filter((e) => e.changeVersion <= cutoff);

  const persons = [...new Set([...raw.flatMap((r) => (r.personId === null ? [] : [r.personId])), ...pageEvents.map((e) => e.personId)])];
  const consent = await consentFor(db, persons, scope.purpose, scope.unknownMeans);
  const refused = (p: number | null) => p !== null && consent.get(p) === 'refused';
  // Only upserts are withheld: a delete carries no data, and the consumer may hold the row (sent
  // before a refusal whose tombstones, at the consent version, cover live rows only).
  const kept = raw.filter((r) => r.item.op === 'delete' || !refused(r.personId));
  const withheld = raw.filter((r) => r.item.op === 'upsert' && refused(r.personId));
  const expanded = await expandEvents(db, scope, pageEvents, consent);

  const items = [...kept, ...expanded].map((r) => r.item)
    .sort((a, b) => a.changeVersion - b.changeVersion || kindOrder.get(a.kind)! - kindOrder.get(b.kind)! || a.id.localeCompare(b.id));
  const sent = new Set(kept.filter((r) => r.personId !== null && r.item.op === 'upsert').map((r) => r.personId!));
  for (const r of expanded) if (r.item.op === 'upsert' && r.personId !== null) sent.add(r.personId);
  return {
    items, after: window.after, upTo, next: cutoff, hasMore: cutoff < upTo,
    sentPersons: [...sent], withheldPersons: [...new Set(withheld.map((r) => r.personId!))], withheldRows: withheld.length,
  };
}

interface ConsentEvent {
  personId: number;
  changeVersion: number;
}

/** Consent rows of the purpose changed in the window, for persons ever enrolled in scope. */
async function consentEvents(db: Knex, scope: FeedScope, after: number, upTo: number): Promise<ConsentEvent[]> {
  const rows: Record<string, unknown>[] = await db('person_consents as pc')
    .where('pc.purpose', scope.purpose).andWhere('pc.change_version', '>', after).andWhere('pc.change_version', '<=', upTo)
    .whereExists((q) => q.select(db.raw('1')).from('enrollments as e').whereRaw('e.person_id = pc.person_id').whereIn('e.organization_id', scope.orgIds))
    .orderBy('pc.change_version').limit(CONSENT_EVENTS_PER_PAGE)
    .select('pc.person_id', 'pc.change_version');
  return rows.map((r) => ({ personId: Number(r.person_id), changeVersion: Number(r.change_version) }));
}

async function expandEvents(db: Knex, scope: FeedScope, events: ConsentEvent[], consent: Map<number, 'granted' | 'refused'>): Promise<RawItem[]> {
  if (events.length === 0) return [];
  const refusedBefore = new Set<number>(
    scope.unknownMeans === 'refused'
      ? events.map((e) => e.personId)
      : (await db('consent_history').whereIn('person_id', events.map((e) => e.personId)).where({ purpose: scope.purpose, status: 'refused' }).distinct('person_id'))
        .map((r: { person_id: number }) => Number(r.person_id)),
  );
  const refusals = events.filter((e) => consent.get(e.personId) === 'refused');
  const regrants = events.filter((e) => consent.get(e.personId) === 'granted' && refusedBefore.has(e.personId));
  const at = new Map(events.map((e) => [e.personId, e.changeVersion]));
  const ofPersons = (ids: number[]) => (q: Knex.QueryBuilder, a: string) => q.whereIn(`${a}.student_id`, ids).whereIn(`${a}.organization_id`, scope.orgIds);
  const out: RawItem[] = [];
  for (const [group, refusal] of [[refusals, true], [regrants, false]] as const) {
    if (group.length === 0) continue;
    const ids = group.map((e) => e.personId);
    const rows = (await Promise.all(PERSON_KINDS.map((k) => fetchItems(db, k, ofPersons(ids), { liveOnly: true })))).flat();
    for (const r of rows) {
      const version = at.get(r.personId!)!;
      // Rows newer than the event are their own changes: withheld (refusal) or sent (grant) anyway.
      if (r.item.changeVersion >= version) continue;
      const base = { changeVersion: version, kind: r.item.kind, id: r.item.id, key: r.item.key };
      out.push({ personId: r.personId, item: refusal ? { ...base, op: 'delete', reason: 'consent_refused' } : { ...base, op: 'upsert', ...(r.item.data ? { data: r.item.data } : {}) } });
    }
  }
  return out;
}

/** Ed-Fi's availableChangeVersions: we never purge tombstones, so the oldest is always 0. */
export async function availableVersions(db: Knex): Promise<{ oldestChangeVersion: number; newestChangeVersion: number }> {
  return { oldestChangeVersion: 0, newestChangeVersion: await committedWatermark(db) };
}
