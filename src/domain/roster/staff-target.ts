/** Load target `person.staff`: staff persons and their post (position, short code) in the school. */
import { z } from 'zod';
import { organizationId } from '../../db/organizations-store.ts';
import { upsertByNk } from '../../db/upsert.ts';
import type { LoadTarget } from '../../pipeline/target.ts';
import { resolvePersons } from './identity.ts';
import { softDeleteMissing } from './missing.ts';

const optional = z.string().nullish();

export const staffRecord = z.object({
  external_id: z.string().min(1).max(191),
  last_name: z.string().min(1).max(128),
  first_name: z.string().min(1).max(128),
  middle_name: optional,
  birth_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullish(),
  sex: z.enum(['male', 'female']).nullish(),
  snils: optional,
  position: z.string().max(191).nullish(),
  short_code: z.string().max(64).nullish(),
});
export type StaffRecord = z.infer<typeof staffRecord>;

export const staffTarget: LoadTarget<StaffRecord> = {
  name: 'person.staff',
  schema: staffRecord,
  keyOf: (r) => r.external_id,
  async loadChunk(trx, versions, records, ctx) {
    const persons = await resolvePersons(trx, versions, records.map((r) => ({ index: r.index, ...r.data })), ctx);
    const orgId = await organizationId(trx, ctx.org.code);
    const rows = records.filter((r) => persons.ids.has(r.index)).map((r) => {
      const personId = persons.ids.get(r.index)!;
      return { nk: `${orgId}|${personId}`, attrs: { person_id: personId, organization_id: orgId, position: r.data.position ?? null, short_code: r.data.short_code ?? null } };
    });
    const posts = await upsertByNk(trx, versions, 'staff', rows, { source: ctx.instance.name, now: ctx.now, dryRun: ctx.dryRun });
    return { created: persons.created + posts.created, updated: persons.updated + posts.updated, unchanged: persons.unchanged + posts.unchanged, rejects: persons.rejects };
  },
  async finish(trx, versions, seen, ctx) {
    return softDeleteMissing(trx, versions, ctx, 'staff', seen, async (rows) => {
      const ext = await trx('external_ids').where({ source: ctx.instance.name, entity: 'person' }).whereIn('core_id', rows.map((r) => Number(r.person_id))).select('external_id', 'core_id');
      const byId = new Map<number, string[]>();
      for (const e of ext) byId.set(Number(e.core_id), [...(byId.get(Number(e.core_id)) ?? []), String(e.external_id)]);
      return (r) => byId.get(Number(r.person_id)) ?? [];
    }, ['person_id']);
  },
};
