/**
 * Load target `journal.mark`: marks a teacher put in the school's electronic journal, pushed in
 * batches (or read from a journal export). Attached to the lesson of the given period, else to
 * the day's first lesson of the subject for the student's class or subgroup.
 */
import { z } from 'zod';
import { organizationId } from '../../db/organizations-store.ts';
import type { LoadTarget } from '../../pipeline/target.ts';
import { coreId, deletedFlag, isoDate, journalId, journalNk, lastPerId, lookedUp, markValue, period, requiredUnlessDeleted } from './journal-common.ts';
import { lessonMatcher, placements } from './lesson-match.ts';
import { resolveSubjects, subjectKey } from './subjects.ts';
import { deleteByNk, writeMarks, type MarkRow } from './write-marks.ts';

export const journalMarkRecord = z
  .object({
    journal_id: journalId,
    deleted: deletedFlag,
    student_id: lookedUp.nullish(),
    subject: z.string().min(1).max(191).nullish(),
    date: isoDate.nullish(),
    period,
    value: markValue.nullish(),
    weight: z.number().positive().max(100).nullish(),
    work_type: z.string().min(1).max(64).nullish(),
  })
  .superRefine(requiredUnlessDeleted(['student_id', 'subject', 'date', 'value']));
export type JournalMarkRecord = z.infer<typeof journalMarkRecord>;

export const journalMarkTarget: LoadTarget<JournalMarkRecord> = {
  name: 'journal.mark',
  schema: journalMarkRecord,
  async loadChunk(trx, versions, chunk, ctx) {
    const { latest: records, notes } = lastPerId(chunk);
    const orgId = await organizationId(trx, ctx.org.code);
    const nk = (id: string) => journalNk(ctx.org.code, 'mark', id);
    const live = records.filter((r) => !r.data.deleted);
    const deleted = await deleteByNk(trx, versions, ctx, 'marks', records.filter((r) => r.data.deleted).map((r) => nk(r.data.journal_id)));
    const subjects = await resolveSubjects(trx, versions, ctx, orgId, live.map((r) => r.data.subject!));
    const placeOf = await placements(trx, orgId, live.map((r) => ({ studentId: coreId(r.data.student_id), date: r.data.date! })));
    const queries = live.map((r) => {
      const place = placeOf(coreId(r.data.student_id), r.data.date!);
      const subjectId = subjects.get(subjectKey(r.data.subject!)) ?? null;
      return place ? { date: r.data.date!, subjectId, classId: place.classId, groupId: place.groupId, period: r.data.period ?? null } : undefined;
    });
    const match = await lessonMatcher(trx, orgId, queries.filter((q) => q !== undefined));
    const rows: MarkRow[] = live.map((r, i) => {
      const d = r.data;
      const q = queries[i];
      return {
        nk: nk(d.journal_id), studentId: coreId(d.student_id), subjectId: subjects.get(subjectKey(d.subject!)) ?? null, lessonId: q ? match(q) : null,
        organizationId: orgId, date: d.date!, value: d.value!.value, numeric: d.value!.numeric, weight: d.weight ?? 1,
        workType: d.work_type ?? null, score: null, maxScore: null, assessment: null, takenAt: null,
      };
    });
    const res = await writeMarks(trx, versions, ctx, rows);
    return { created: res.created, updated: res.updated, unchanged: res.unchanged, deleted, rejects: [], notes };
  },
};
