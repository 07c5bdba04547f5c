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
  await db.batchInsert('audit_log', rows, CHUNK);
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
