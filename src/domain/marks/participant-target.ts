/**
 * Load target `marks.participant`: the participant register. A row assigns a voting device of a
 * class, or a testing-system account (a Google e-mail, a login), to a student. Re-assigning a
 * device to another student updates the same row.
 */
import { z } from 'zod';
import { organizationId } from '../../db/organizations-store.ts';
import { upsertByNk } from '../../db/upsert.ts';
import type { LoadTarget, TargetReject } from '../../pipeline/target.ts';
import { today } from '../roster/classes.ts';
import { classKey, findClasses } from './classes.ts';
import { coreId, lookedUp } from './journal-common.ts';
import { accountKey } from './participants.ts';

export const participantRecord = z
  .object({
    class_name: z.string().min(1).max(32).nullish(),
    device: z.string().min(1).max(191).nullish(),
    account: z.string().min(1).max(191).nullish(),
    /** The roster's student code or public id, resolved by the mapping's `lookup: student`. */
    student_id: lookedUp,
  })
  .refine((r) => !!r.device !== !!r.account, { message: 'a row assigns either a device or an account', path: ['device'] })
  .refine((r) => !r.device || !!r.class_name, { message: 'a device is assigned within a class', path: ['class_name'] });
export type ParticipantRecord = z.infer<typeof participantRecord>;

export const participantTarget: LoadTarget<ParticipantRecord> = {
  name: 'marks.participant',
  schema: participantRecord,
  async loadChunk(trx, versions, records, ctx) {
    const orgId = await organizationId(trx, ctx.org.code);
    const day = today(ctx);
    const classes = await findClasses(trx, ctx, orgId, records.flatMap((r) => (r.data.class_name ? [{ name: r.data.class_name, date: day }] : [])));
    const rejects: TargetReject[] = [];
    const rows = [];
    for (const r of records) {
      const d = r.data;
      const classId = d.class_name ? classes.ids.get(classKey(d.class_name, classes.yearOf(day))) : null;
      if (classId === undefined) {
        rejects.push({ index: r.index, field: 'class_name', code: 'unknown_class', message: `class ${d.class_name} is not in the roster of ${ctx.org.code} for ${classes.yearOf(day)}` });
        continue;
      }
      const kind = d.device ? 'device' : 'account';
      const id = accountKey(d.device ?? d.account ?? '');
      rows.push({
        nk: kind === 'device' ? `${ctx.org.code}|device|${classId}|${id}` : `${ctx.org.code}|account|${id}`,
        attrs: { organization_id: orgId, class_id: classId, kind, external_id: id, person_id: coreId(d.student_id) },
      });
    }
    const res = await upsertByNk(trx, versions, 'assessment_participants', rows, { source: ctx.instance.name, now: ctx.now, dryRun: ctx.dryRun });
    return { created: res.created, updated: res.updated, unchanged: res.unchanged, rejects };
  },
};
