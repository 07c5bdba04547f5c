/**
 * Small reference rows the diary needs on every request — organizations, classes, subgroups,
 * subjects, rooms and teachers' names — kept in memory per database handle for a minute, so a diary costs its
 * student's own rows and not a join to each of these. A rename shows within `ttlMs`.
 */
import type { Knex } from 'knex';

export interface OrgRef { id: number; uid: string; code: string; name: string; timeZone: string }
export interface ClassRef { id: number; uid: string; name: string; grade: number | null; yearCode: string; organizationId: number }
export interface GroupRef { id: number; name: string }
export interface PersonRef { id: number; uid: string; name: string }
export interface NamedRef { id: number; uid: string; name: string }

const TTL_MS = 60_000;
/** Far above a region's classes and teachers; a cache that grows past it starts over. */
const MAX_ENTRIES = 200_000;

class RowCache<T> {
  private readonly rows = new Map<number, { value: T; until: number }>();
  constructor(private readonly load: (ids: number[]) => Promise<[number, T][]>) {}

  async get(ids: Iterable<number>): Promise<Map<number, T>> {
    const now = Date.now();
    const out = new Map<number, T>();
    const missing: number[] = [];
    for (const id of new Set(ids)) {
      const hit = this.rows.get(id);
      if (hit && hit.until > now) out.set(id, hit.value);
      else missing.push(id);
    }
    if (missing.length) {
      if (this.rows.size > MAX_ENTRIES) this.rows.clear();
      for (let i = 0; i < missing.length; i += 1000) {
        for (const [id, value] of await this.load(missing.slice(i, i + 1000))) {
          this.rows.set(id, { value, until: now + TTL_MS });
          out.set(id, value);
        }
      }
    }
    return out;
  }
}

export const fullName = (p: { last_name: unknown; first_name: unknown; middle_name: unknown }): string =>
  [p.last_name, p.first_name, p.middle_name].filter((x) => typeof x === 'string' && x !== '').join(' ');

export interface References {
  orgs: RowCache<OrgRef>;
  classes: RowCache<ClassRef>;
  groups: RowCache<GroupRef>;
  persons: RowCache<PersonRef>;
  subjects: RowCache<NamedRef>;
  rooms: RowCache<NamedRef>;
}

const byDb = new WeakMap<Knex, References>();

export function references(db: Knex): References {
  let r = byDb.get(db);
  if (!r) {
    r = {
      orgs: new RowCache(async (ids) => (await db('organizations').whereIn('id', ids).select('id', 'uid', 'code', 'name', 'time_zone'))
        .map((o: Record<string, unknown>) => [Number(o.id), { id: Number(o.id), uid: String(o.uid), code: String(o.code), name: String(o.name), timeZone: String(o.time_zone) }])),
      classes: new RowCache(async (ids) => (await db('classes').whereIn('id', ids).select('id', 'uid', 'name', 'grade', 'year_code', 'organization_id'))
        .map((c: Record<string, unknown>) => [Number(c.id), { id: Number(c.id), uid: String(c.uid), name: String(c.name), grade: c.grade == null ? null : Number(c.grade), yearCode: String(c.year_code), organizationId: Number(c.organization_id) }])),
      groups: new RowCache(async (ids) => (await db('class_groups').whereIn('id', ids).select('id', 'name')).map((g: Record<string, unknown>) => [Number(g.id), { id: Number(g.id), name: String(g.name) }])),
      persons: new RowCache(async (ids) => (await db('persons').whereIn('id', ids).select('id', 'uid', 'last_name', 'first_name', 'middle_name'))
        .map((p: Record<string, unknown>) => [Number(p.id), { id: Number(p.id), uid: String(p.uid), name: fullName(p as never) }])),
      subjects: new RowCache(async (ids) => (await db('subjects').whereIn('id', ids).select('id', 'uid', 'name')).map((x: Record<string, unknown>) => [Number(x.id), { id: Number(x.id), uid: String(x.uid), name: String(x.name) }])),
      rooms: new RowCache(async (ids) => (await db('rooms').whereIn('id', ids).select('id', 'uid', 'name')).map((x: Record<string, unknown>) => [Number(x.id), { id: Number(x.id), uid: String(x.uid), name: String(x.name) }])),
    };
    byDb.set(db, r);
  }
  return r;
}
