/**
 * The access audit (issue 8): one `audit_log` row per person whose data an API client read, or
 * was refused, so that "who read this child's data" has an answer. Written before the answer
 * leaves (awaited, not buffered): a crash must not lose a read that already happened.
 */
import type { Knex } from 'knex';
import { nowIso } from '../db/ids.ts';

/** ok: data sent; withheld: consent refused; denied: outside the client's scope; not_found. */
export type AccessResult = 'ok' | 'withheld' | 'denied' | 'not_found';

export interface AccessEntry {
  clientId: string;
  /** Internal persons.id; null when the request named no resolvable person. */
  personId: number | null;
  resource: string;
  result: AccessResult;
  requestId: string | null;
  at?: Date;
}

export interface AccessRecord {
  at: string;
  clientId: string;
  clientName: string | null;
  personId: number | null;
  resource: string;
  result: string;
  requestId: string | null;
}

/** Keeps a multi-row insert under SQLite's bound-parameter limit (6 columns a row). */
const CHUNK = 150;

export async function recordAccess(db: Knex, entry: AccessEntry | AccessEntry[]): Promise<void> {
  const list = Array.isArray(entry) ? entry : [entry];
  if (list.length === 0) return;
  const fallback = new Date();
  const rows = list.map((e) => ({
    at: nowIso(e.at ?? fallback),
    client_id: e.clientId,
    person_id: e.personId,
    resource: e.resource,
    result: e.result,
    request_id: e.requestId,
  }));
  // One statement is atomic by itself: only a list split into chunks needs batchInsert's transaction.
  if (rows.length <= CHUNK) await db('audit_log').insert(rows);
  else await db.batchInsert('audit_log', rows, CHUNK);
}

/**
 * Group commit of the per-request audit rows: rows of requests answered in the same moment go in
 * one INSERT (one round trip, one log flush instead of one per request), and each request still
 * waits until its own row is written before it answers. At most a few INSERTs are in flight; rows
 * that arrive meanwhile wait for the next one.
 */
class AuditBatcher {
  private pending: { row: AccessEntry; done: (err?: unknown) => void }[] = [];
  private inFlight = 0;
  constructor(private readonly db: Knex) {}

  add(row: AccessEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ row, done: (err) => (err ? reject(err) : resolve()) });
      if (this.pending.length === 1 && this.inFlight < MAX_AUDIT_FLUSHES) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0 || this.inFlight >= MAX_AUDIT_FLUSHES) return;
    const batch = this.pending.splice(0, CHUNK);
    this.inFlight++;
    try {
      await recordAccess(this.db, batch.map((b) => b.row));
      for (const b of batch) b.done();
    } catch (err) {
      for (const b of batch) b.done(err);
    } finally {
      this.inFlight--;
      if (this.pending.length) void this.flush();
    }
  }
}

const MAX_AUDIT_FLUSHES = 4;
const batchers = new WeakMap<Knex, AuditBatcher>();

/** recordAccess() for one row per request under load: resolves once the row is written. */
export function recordAccessBatched(db: Knex, entry: AccessEntry): Promise<void> {
  let b = batchers.get(db);
  if (!b) batchers.set(db, (b = new AuditBatcher(db)));
  return b.add(entry);
}

export async function findAccess(db: Knex, q: { personIds: number[]; from: Date; to: Date }): Promise<AccessRecord[]> {
  const rows: Record<string, unknown>[] = await db('audit_log as a')
    .leftJoin('api_clients as c', 'c.client_id', 'a.client_id')
    .whereIn('a.person_id', q.personIds)
    .where('a.at', '>=', nowIso(q.from))
    .where('a.at', '<', nowIso(q.to))
    .orderBy('a.at')
    .orderBy('a.id')
    .select('a.at', 'a.client_id', 'c.name as client_name', 'a.person_id', 'a.resource', 'a.result', 'a.request_id');
  return rows.map((r) => ({
    at: String(r.at),
    clientId: String(r.client_id),
    clientName: r.client_name == null ? null : String(r.client_name),
    personId: r.person_id == null ? null : Number(r.person_id),
    resource: String(r.resource),
    result: String(r.result),
    requestId: r.request_id == null ? null : String(r.request_id),
  }));
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A person by public uuid or СНИЛС (any usual spelling), with the ids of persons merged into it:
 * reads logged before a merge were reads of the same child.
 */
export async function resolveAuditPerson(db: Knex, key: string): Promise<{ uid: string; ids: number[] } | undefined> {
  const k = key.trim();
  const snils = k.replace(/[\s\u00A0-]/g, '');
  const where = uuidPattern.test(k) ? { uid: k.toLowerCase() } : /^\d{11}$/.test(snils) ? { snils } : undefined;
  if (!where) return undefined;
  const p: { id: number; uid: string } | undefined = await db('persons').where(where).first('id', 'uid');
  if (!p) return undefined;
  const merged: number[] = await db('persons').where({ merged_into: p.id }).pluck('id');
  return { uid: p.uid, ids: [Number(p.id), ...merged.map(Number)] };
}

/** The UTC instant a calendar day starts in a time zone ("from 2026-10-01" means local midnight). */
export function startOfDayIn(zone: string, isoDate: string): Date {
  const guess = Date.parse(`${isoDate}T00:00:00Z`);
  const offsetAt = (t: number) => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    }).formatToParts(new Date(t));
    const n = (type: string) => Number(parts.find((x) => x.type === type)?.value);
    return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - t;
  };
  // Twice: the offset at the guessed instant may differ from the one at the answer (DST edges).
  const first = guess - offsetAt(guess);
  return new Date(guess - offsetAt(first));
}
