/**
 * Load target `journal.attendance`: a teacher's attendance entries. They take precedence 100, a
 * turnstile-derived status 10 (ARCHITECTURE.md: journal > turnstile-derived > nothing): readers
 * take the highest precedence per student, date and lesson, and a per-lesson journal entry
 * overrides a day-level derived status for that lesson only. An entry naming a period must find
 * that lesson (else it is rejected: stored without its lesson it would read as the whole day);
 * an entry without one is a day-level status.
 */
import { z } from 'zod';
import { organizationId } from '../../db/organizations-store.ts';
import { upsertByNk } from '../../db/upsert.ts';
import type { LoadTarget, TargetReject } from '../../pipeline/target.ts';
import { coreId, deletedFlag, isoDate, journalId, journalNk, lastPerId, lookedUp, period, requiredUnlessDeleted } from './journal-common.ts';
import { lessonMatcher, placements } from './lesson-match.ts';
import { resolveSubjects, subjectKey } from './subjects.ts';
import { deleteByNk } from './write-marks.ts';

/** Agreed with the turnstile derivation through the `attendance.precedence` column. */
export const JOURNAL_PRECEDENCE = 100;

export const attendanceStatuses = ['present', 'absent', 'late', 'excused', 'ill', 'left_early'] as const;

export const journalAttendanceRecord = z
  .object({
    journal_id: journalId,
    deleted: deletedFlag,
    student_id: lookedUp.nullish(),
    date: isoDate.nullish(),
    period,
    subject: z.string().min(1).max(191).nullish(),
    status: z.enum(attendanceStatuses).nullish(),
    minutes_late: z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v === '' ? null : v), z.number().int().min(0).max(600).nullish()),
  })
  .superRefine(requiredUnlessDeleted(['student_id', 'date', 'status']));
export type JournalAttendanceRecord = z.infer<typeof journalAttendanceRecord>;

export const journalAttendanceTarget: LoadTarget<JournalAttendanceRecord> = {
  name: 'journal.attendance',
  schema: journalAttendanceRecord,
  async loadChunk(trx, versions, chunk, ctx) {
    const { latest: records, notes } = lastPerId(chunk);
    const orgId = await organizationId(trx, ctx.org.code);
    const nk = (id: string) => journalNk(ctx.org.code, 'attendance', id);
    const live = records.filter((r) => !r.data.deleted);
    const deleted = await deleteByNk(trx, versions, ctx, 'attendance', records.filter((r) => r.data.deleted).map((r) => nk(r.data.journal_id)));
    const subjects = await resolveSubjects(trx, versions, ctx, orgId, live.flatMap((r) => (r.data.subject ? [r.data.subject] : [])));
    const placeOf = await placements(trx, orgId, live.map((r) => ({ studentId: coreId(r.data.student_id), date: r.data.date! })));
    const queries = live.map((r) => {
      const place = placeOf(coreId(r.data.student_id), r.data.date!);
      if (!place || r.data.period === null || r.data.period === undefined) return undefined;
      // The period names the lesson; the subject only tells two lessons of a split class apart.
      const subjectHint = r.data.subject ? (subjects.get(subjectKey(r.data.subject)) ?? null) : null;
      return { date: r.data.date!, subjectId: null, subjectHint, classId: place.classId, groupId: place.groupId, period: r.data.period };
    });
    const match = await lessonMatcher(trx, orgId, queries.filter((q) => q !== undefined));
    const rejects: TargetReject[] = [];
    const rows = [];
    for (const [i, r] of live.entries()) {
      const d = r.data;
      const q = queries[i];
      const lessonId = q ? match(q) : null;
      if (d.period !== null && d.period !== undefined && lessonId === null) {
        rejects.push({ index: r.index, field: 'period', code: 'no_lesson', message: `no lesson of the student's class in period ${d.period} on ${d.date}: load the timetable, then replay this run` });
        continue;
      }
      rows.push({
        nk: nk(d.journal_id),
        attrs: { student_id: coreId(d.student_id), date: d.date, lesson_id: lessonId, organization_id: orgId, status: d.status, minutes_late: d.minutes_late ?? null, precedence: JOURNAL_PRECEDENCE },
      });
    }
    const res = await upsertByNk(trx, versions, 'attendance', rows, { source: ctx.instance.name, now: ctx.now, dryRun: ctx.dryRun, refs: false });
    return { created: res.created, updated: res.updated, unchanged: res.unchanged, deleted, rejects, notes };
  },
};
