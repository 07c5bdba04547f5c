/** Load target `person.student`: identity, the year's classes, enrollments (movement) and consents. */
import { z } from 'zod';
import { PermanentError } from '../../core/errors.ts';
import { organizationId } from '../../db/organizations-store.ts';
import type { LoadTarget } from '../../pipeline/target.ts';
import { recordConsents, type ConsentEntry } from '../consent/store.ts';
import { parseClassName } from '../class-name.ts';
import { resolvePersons } from './identity.ts';
import { ensureClasses, today, yearCodeFor } from './classes.ts';
import { closeEnrollments, place } from './enrollments.ts';

const consent = z.enum(['granted', 'refused', 'unknown']).nullish();
const optional = z.string().nullish();

export const studentRecord = z.object({
  external_id: z.string().min(1).max(191),
  last_name: z.string().min(1).max(128),
  first_name: z.string().min(1).max(128),
  middle_name: optional,
  birth_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  sex: z.enum(['male', 'female']).nullish(),
  snils: optional,
  esia_id: optional,
  class_name: z.string().min(1).max(32),
  group_name: optional,
  enrolled_on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullish(),
  consent_diary_portal: consent,
  consent_lms: consent,
  consent_sms: consent,
});
export type StudentRecord = z.infer<typeof studentRecord>;

const PURPOSES = ['diary_portal', 'lms', 'sms'] as const;

export const studentTarget: LoadTarget<StudentRecord> = {
  name: 'person.student',
  schema: studentRecord,
  keyOf: (r) => r.external_id,
  async loadChunk(trx, versions, records, ctx) {
    const persons = await resolvePersons(trx, versions, records.map((r) => ({ index: r.index, ...r.data })), ctx);
    const orgId = await organizationId(trx, ctx.org.code);
    const day = today(ctx);
    const year = yearCodeFor(ctx, day);
    const placed = records.filter((r) => persons.ids.has(r.index));
    const { classes, groups } = await ensureClasses(trx, versions, ctx, orgId, year, placed.map((r) => ({ className: r.data.class_name, group: r.data.group_name })));
    const placements = placed.map((r) => {
      const c = parseClassName(r.data.class_name);
      return {
        personId: persons.ids.get(r.index)!, orgId, classId: classes.get(c.name)!, grade: c.grade,
        groupId: r.data.group_name ? (groups.get(`${c.name}|${r.data.group_name}`) ?? null) : null,
        from: r.data.enrolled_on ?? day,
      };
    });
    const moved = await place(trx, versions, ctx, placements, day);
    const consents: ConsentEntry[] = placed.flatMap((r) => PURPOSES.map((purpose) => ({
      personId: persons.ids.get(r.index)!, purpose, status: r.data[`consent_${purpose}`] ?? 'unknown', decidedOn: null, origin: `${ctx.instance.name}: ${r.position}`,
    })));
    await recordConsents(trx, versions, consents, { recordedBy: `run ${ctx.runId}`, now: ctx.now, dryRun: ctx.dryRun });
    const notes = { ...moved.notes, ...(persons.reviews ? { review_items: persons.reviews } : {}) };
    return {
      created: persons.created + moved.created,
      updated: persons.updated + moved.updated,
      unchanged: persons.unchanged,
      rejects: persons.rejects,
      notes,
    };
  },
  async finish(trx, versions, seen, ctx) {
    const orgId = await organizationId(trx, ctx.org.code);
    const open = await trx('enrollments').where({ organization_id: orgId, source: ctx.instance.name }).whereNull('to_date').whereNull('deleted_at').select('id', 'person_id');
    if (open.length === 0) return { deleted: 0 };
    const byPerson = new Map<number, number[]>();
    for (const e of open) byPerson.set(Number(e.person_id), [...(byPerson.get(Number(e.person_id)) ?? []), Number(e.id)]);
    const links = await trx('external_ids').where({ source: ctx.instance.name, entity: 'person' }).whereIn('core_id', [...byPerson.keys()]).select('external_id', 'core_id');
    const present = new Set(links.filter((l: { external_id: string }) => seen.has(l.external_id)).map((l: { core_id: number }) => Number(l.core_id)));
    const leaving = [...byPerson.entries()].filter(([p]) => !present.has(p)).flatMap(([, ids]) => ids);
    const share = leaving.length / open.length;
    if (leaving.length > 0 && share > ctx.instance.maxCloseRatio && !ctx.confirm) {
      throw new PermanentError('snapshot_too_small', `this roster would close ${leaving.length} of ${open.length} open enrollments of ${ctx.org.code} (${Math.round(share * 100)}%, limit ${Math.round(ctx.instance.maxCloseRatio * 100)}%); nothing was closed. If the students really left, re-run with --confirm`);
    }
    const day = today(ctx);
    await closeEnrollments(trx, versions, leaving, day, 'leaving', ctx.now);
    return { deleted: 0, notes: leaving.length ? { left: leaving.length } : {} };
  },
};
