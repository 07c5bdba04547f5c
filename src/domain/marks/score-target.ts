/**
 * Load target `marks.score`: a test, quiz or voting result (a score out of a maximum) becomes a
 * diary mark. The assessment register gives subject, work type, weight and scale; the shared mark
 * transform turns the percentage into "2".."5" or "зач"/"незач"; score and maximum stay beside the
 * mark. One mark per test and student (natural key): a corrected score updates that mark, the
 * same file again writes nothing. Results that are not final (in progress, awaiting grading,
 * anonymous) are skipped and counted in the run's notes.
 */
import { z } from 'zod';
import { RecordRejected } from '../../core/errors.ts';
import { scoreToMark } from '../../mapping/mark.ts';
import { organizationId } from '../../db/organizations-store.ts';
import type { LoadTarget, TargetReject } from '../../pipeline/target.ts';
import { lessonMatcher, placements } from './lesson-match.ts';
import { participantKey, resolveParticipants, type ParticipantQuery } from './participants.ts';
import { registeredAssessments } from './register-target.ts';
import { scaleFor } from './scales.ts';
import { localParts, writeMarks, type MarkRow } from './write-marks.ts';

export const scoreRecord = z.object({
  test_id: z.string().min(1).max(191),
  participant: z.string().max(191).nullish(),
  participant_kind: z.enum(['person', 'device']).default('person'),
  status: z.enum(['final', 'in_progress', 'pending', 'anonymous']).default('final'),
  /** UTC instant (the mapping's datetime cast). */
  taken_at: z.string().nullish(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullish(),
  score: z.number().nullish(),
  max_score: z.number().nullish(),
});
export type ScoreRecord = z.infer<typeof scoreRecord>;

export const scoreMarkNk = (org: string, testId: string, studentId: number): string => `score|${org}|${testId}|${studentId}`;

interface Pending {
  index: number;
  row: Omit<MarkRow, 'lessonId'>;
  time: string | null;
}

export const scoreTarget: LoadTarget<ScoreRecord> = {
  name: 'marks.score',
  schema: scoreRecord,
  async loadChunk(trx, versions, records, ctx) {
    const notes: Record<string, number> = {};
    const rejects: TargetReject[] = [];
    const reject = (index: number, field: string, code: string, message: string) => rejects.push({ index, field, code, message });
    const final = records.filter((r) => {
      if (r.data.status === 'final') return true;
      notes[`skipped_${r.data.status}`] = (notes[`skipped_${r.data.status}`] ?? 0) + 1;
      return false;
    });
    const orgId = await organizationId(trx, ctx.org.code);
    const register = await registeredAssessments(trx, ctx.org.code, final.map((r) => r.data.test_id));
    const queries: (ParticipantQuery & { index: number })[] = [];
    for (const r of final) {
      const reg = register.get(r.data.test_id);
      if (!reg) {
        reject(r.index, 'test_id', 'unregistered_test', `test "${r.data.test_id}" is not in the assessment register of ${ctx.org.code}: register its subject, class, work type and weight, then replay this run`);
      } else if (!r.data.participant) {
        reject(r.index, 'participant', 'missing_participant', `a result of test "${r.data.test_id}" names no participant`);
      } else {
        queries.push({ index: r.index, participant: r.data.participant, kind: r.data.participant_kind, classId: reg.classId });
      }
    }
    const people = await resolveParticipants(trx, ctx, orgId, queries);
    const byIndex = new Map(final.map((r) => [r.index, r.data]));
    const pending: Pending[] = [];
    for (const q of queries) {
      const d = byIndex.get(q.index)!;
      const reg = register.get(d.test_id)!;
      const studentId = people.get(participantKey(q));
      if (studentId === undefined) {
        const what = q.kind === 'device' ? `device "${q.participant}" is not assigned to a student of the test's class in the participant register` : `participant "${q.participant}" is not a student known to the hub (public id, roster code or registered account)`;
        reject(q.index, 'participant', 'unknown_participant', `${what} (test "${d.test_id}")`);
        continue;
      }
      const max = d.max_score ?? reg.maxScore;
      if (d.score === null || d.score === undefined) {
        reject(q.index, 'score', 'no_score', `participant "${q.participant}" has no score in test "${d.test_id}"`);
        continue;
      }
      if (max === null || max === undefined) {
        reject(q.index, 'max_score', 'no_max_score', `test "${d.test_id}" gives no maximum score and the register has none`);
        continue;
      }
      const local = d.taken_at ? localParts(d.taken_at, ctx.org.timeZone) : undefined;
      const date = local?.date ?? d.date ?? reg.date;
      if (!date) {
        reject(q.index, 'taken_at', 'no_date', `test "${d.test_id}" gives no date and the register has none`);
        continue;
      }
      let mark;
      try {
        mark = scoreToMark(d.score, max, scaleFor(ctx.hub.markScales, ctx.org.chain, reg.workType, reg.scale));
      } catch (err) {
        if (!(err instanceof RecordRejected)) throw err;
        reject(q.index, err.field ?? 'score', err.code, `participant "${q.participant}", test "${d.test_id}": ${err.message}`);
        continue;
      }
      pending.push({
        index: q.index,
        time: local?.time ?? null,
        row: {
          nk: scoreMarkNk(ctx.org.code, d.test_id, studentId), studentId, subjectId: reg.subjectId, organizationId: orgId, date,
          value: mark.value, numeric: mark.numeric, weight: reg.weight, workType: reg.workType, score: d.score, maxScore: max,
          assessment: d.test_id, takenAt: d.taken_at ?? null,
        },
      });
    }
    const placeOf = await placements(trx, orgId, pending.map((p) => ({ studentId: p.row.studentId, date: p.row.date })));
    const lessonQueries = pending.map((p) => {
      const place = placeOf(p.row.studentId, p.row.date);
      return place ? { date: p.row.date, subjectId: p.row.subjectId, classId: place.classId, groupId: place.groupId, time: p.time } : undefined;
    });
    const match = await lessonMatcher(trx, orgId, lessonQueries.filter((q) => q !== undefined));
    const rows: MarkRow[] = pending.map((p, i) => {
      const q = lessonQueries[i];
      return Object.assign({}, p.row, { lessonId: q ? match(q) : null });
    });
    const lessons = rows.filter((r) => r.lessonId !== null).length;
    if (lessons > 0) notes.attached_to_lessons = lessons;
    const res = await writeMarks(trx, versions, ctx, rows);
    return { created: res.created, updated: res.updated, unchanged: res.unchanged, rejects, notes };
  },
};
