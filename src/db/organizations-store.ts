/** Organizations, academic years, terms and bell periods are declared in hub.yaml and mirrored here. */
import type { Knex } from 'knex';
import type { OrgTree } from '../config/organizations.ts';
import { writeTransaction } from './change-versions.ts';
import { upsertByNk } from './upsert.ts';

export async function syncOrganizations(db: Knex, orgs: OrgTree, now: Date): Promise<void> {
  await writeTransaction(db, async (trx, versions) => {
    const all = [...orgs.byCode.values()];
    // Parents first so that parent ids exist.
    all.sort((a, b) => a.chain.length - b.chain.length);
    const ids = new Map<string, number>();
    for (const o of all) {
      const res = await upsertByNk(trx, versions, 'organizations', [{
        nk: o.code,
        attrs: {
          code: o.code, name: o.name, short_name: o.config.shortName ?? null, kind: o.kind,
          parent_id: o.parent ? (ids.get(o.parent) ?? null) : null, inn: o.config.inn ?? null,
          okpo: o.config.okpo ?? null, time_zone: o.timeZone,
        },
      }], { source: 'hub.yaml', now });
      const ref = res.refs.get(o.code);
      if (ref) ids.set(o.code, ref.id);
    }
    for (const o of all) {
      const orgId = ids.get(o.code);
      if (orgId === undefined || !o.config.calendar) continue;
      const cal = o.calendar;
      await upsertByNk(trx, versions, 'academic_years', cal.years.map((y) => ({
        nk: `${o.code}|${y.code}`, attrs: { organization_id: orgId, code: y.code, from_date: y.from, to_date: y.to },
      })), { source: 'hub.yaml', now });
      await upsertByNk(trx, versions, 'terms', cal.years.flatMap((y) => y.terms.map((t) => ({
        nk: `${o.code}|${y.code}|${t.code}`, attrs: { organization_id: orgId, year_code: y.code, code: t.code, name: t.name, from_date: t.from, to_date: t.to },
      }))), { source: 'hub.yaml', now });
      await upsertByNk(trx, versions, 'bell_periods', cal.bellPeriods.map((b) => ({
        nk: `${o.code}|${b.period}`, attrs: { organization_id: orgId, period: b.period, start_time: b.start, end_time: b.end },
      })), { source: 'hub.yaml', now });
    }
  });
}

/** Organization ids never change once created: cached per database handle. */
const idCache = new WeakMap<object, Map<string, number>>();

export async function organizationId(db: Knex | Knex.Transaction, code: string): Promise<number> {
  // A transaction's client inherits the root client's config object: one cache per database.
  const key = (db as unknown as { client: { config: object } }).client.config;
  const cached = idCache.get(key)?.get(code);
  if (cached !== undefined) return cached;
  const row = await db('organizations').where({ code }).first('id');
  if (!row) throw new Error(`organization ${code} is not in the database (run migrate)`);
  if (!idCache.has(key)) idCache.set(key, new Map());
  idCache.get(key)!.set(code, Number(row.id));
  return Number(row.id);
}
