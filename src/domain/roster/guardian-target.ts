/** Load target `person.guardian`: guardian persons and their link to a student (relation, phone). */
import { z } from 'zod';
import { findLinks } from '../../db/crosswalk.ts';
import { upsertByNk } from '../../db/upsert.ts';
import { softDeleteMissing } from './missing.ts';
import type { LoadTarget, TargetReject } from '../../pipeline/target.ts';
import { resolvePersons } from './identity.ts';

const optional = z.string().nullish();

export const guardianRecord = z.object({
  external_id: z.string().min(1).max(191),
  student_external_id: z.string().min(1).max(191),
  last_name: z.string().min(1).max(128),
  first_name: z.string().min(1).max(128),
  middle_name: optional,
  birth_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullish(),
  snils: optional,
  relation: z.enum(['mother', 'father', 'guardian', 'grandparent', 'other']).nullish(),
  phone: optional,
  email: z.string().max(191).nullish(),
});
export type GuardianRecord = z.infer<typeof guardianRecord>;

export const guardianTarget: LoadTarget<GuardianRecord> = {
  name: 'person.guardian',
  schema: guardianRecord,
  keyOf: (r) => `${r.external_id}|${r.student_external_id}`,
  async loadChunk(trx, versions, records, ctx) {
    const students = await findLinks(trx, ctx.instance.name, 'person', [...new Set(records.map((r) => r.data.student_external_id))]);
    const rejects: TargetReject[] = [];
    const known = records.filter((r) => {
      if (students.has(r.data.student_external_id)) return true;
      rejects.push({ index: r.index, field: 'student_external_id', code: 'unknown_student', message: `no student with id "${r.data.student_external_id}" in this roster` });
      return false;
    });
    // One guardian may appear once per child: resolve each guardian id once.
    const firstOf = new Map<string, (typeof known)[number]>();
    for (const r of known) if (!firstOf.has(r.data.external_id)) firstOf.set(r.data.external_id, r);
    const persons = await resolvePersons(trx, versions, [...firstOf.values()].map((r) => ({ index: r.index, ...r.data })), ctx);
    const guardianId = new Map<string, number>();
    for (const [ext, r] of firstOf) {
      const id = persons.ids.get(r.index);
      if (id !== undefined) guardianId.set(ext, id);
    }
    const rows = known.filter((r) => guardianId.has(r.data.external_id)).map((r) => {
      const g = guardianId.get(r.data.external_id)!;
      const s = students.get(r.data.student_external_id)!;
      return { nk: `${g}|${s}`, attrs: { guardian_id: g, student_id: s, relation: r.data.relation ?? null, phone: r.data.phone ?? null, email: r.data.email ?? null, notify_sms: true } };
    });
    const links = await upsertByNk(trx, versions, 'guardians', rows, { source: ctx.instance.name, now: ctx.now, dryRun: ctx.dryRun, bulk: true, refs: false });
    return {
      created: persons.created + links.created,
      updated: persons.updated + links.updated,
      unchanged: persons.unchanged + links.unchanged,
      rejects: [...rejects, ...persons.rejects],
    };
  },
  async finish(trx, versions, seen, ctx) {
    return softDeleteMissing(trx, versions, ctx, 'guardians', seen, async (rows) => {
      const ids = [...new Set(rows.flatMap((r) => [Number(r.guardian_id), Number(r.student_id)]))];
      const ext = await trx('external_ids').where({ source: ctx.instance.name, entity: 'person' }).whereIn('core_id', ids).select('external_id', 'core_id');
      const byId = new Map<number, string[]>();
      for (const e of ext) byId.set(Number(e.core_id), [...(byId.get(Number(e.core_id)) ?? []), String(e.external_id)]);
      return (r) => (byId.get(Number(r.guardian_id)) ?? []).flatMap((g) => (byId.get(Number(r.student_id)) ?? []).map((s) => `${g}|${s}`));
    }, ['guardian_id', 'student_id']);
  },
};
