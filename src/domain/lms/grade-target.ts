/**
 * Load target `moodle.grade`: a grade pulled from an LMS course becomes a diary mark. The course
 * key (course-key.ts) names the class and the subject; the item (an assignment, a quiz, a manual
 * gradebook column) is the mark's work type, and its score out of the item's maximum becomes
 * "2".."5" or "зач"/"незач" through the shared mark transform with the scale hub.yaml
 * `markScales` gives the school and that work type. Score and maximum stay beside the mark.
 *
 * Why not `marks.score`: that target needs each test in the school's assessment register, while
 * an LMS course already says its class and subject. The rows are the same (write-marks.ts).
 *
 * One mark per (instance, item, Moodle user), nk `moodle:<instance>:<item>:<user id>`, so the
 * same grade read by two streams (gradebook and assignment) is one mark, and an unchanged grade
 * writes nothing. A mark keeps the date it was first given until its score changes: streams that
 * know the grading time slightly differently (or not at all) do not move it back and forth.
 */
import { z } from 'zod';
import type { ResolvedOrganization } from '../../config/organizations.ts';
import { todayIn } from '../../config/organizations.ts';
import { RecordRejected } from '../../core/errors.ts';
import { selectByNk } from '../../db/upsert.ts';
import { scoreToMark } from '../../mapping/mark.ts';
import type { LoadTarget, TargetReject } from '../../pipeline/target.ts';
import { coreId, lookedUp } from '../marks/journal-common.ts';
import { scaleFor } from '../marks/scales.ts';
import { resolveSubjects } from '../marks/subjects.ts';
import { localParts, writeMarks, type MarkRow } from '../marks/write-marks.ts';
import { parseLmsCourseKey } from './course-key.ts';
import { inParts } from './scope.ts';

export const lmsGradeRecord = z.object({
  /** `assign:41`, `quiz:52`, `manual:903`: the same item whichever stream read it. */
  item: z.string().min(1).max(100),
  item_name: z.string().max(255).nullish(),
  moodle_user: z.union([z.number().int(), z.string().min(1).max(64)]),
  student_id: lookedUp,
  course: z.string().min(1).max(100),
  score: z.number(),
  max_score: z.number(),
  /** UTC instant; absent when the LMS does not say (a quiz's best grade). */
  graded_at: z.string().nullish(),
});
export type LmsGradeRecord = z.infer<typeof lmsGradeRecord>;

export const lmsGradeNk = (instance: string, item: string, user: string | number): string =>
  `moodle:${instance}:${item}:${user}`;

/** A subject the hub has no row for yet is created under its key with a capital first letter. */
const displayName = (key: string) => key.charAt(0).toUpperCase() + key.slice(1);

interface Place {
  orgId: number;
  org: ResolvedOrganization;
  classId: number;
}

export const lmsGradeTarget: LoadTarget<LmsGradeRecord> = {
  name: 'moodle.grade',
  schema: lmsGradeRecord,
  async loadChunk(trx, versions, records, ctx) {
    const rejects: TargetReject[] = [];
    const notes: Record<string, number> = {};
    const reject = (index: number, field: string, code: string, message: string) =>
      rejects.push({ index, field, code, message });
    const keys = new Map(records.map((r) => [r.index, parseLmsCourseKey(r.data.course)]));
    const classUids = [...new Set([...keys.values()].flatMap((k) => (k ? [k.classUid] : [])))];
    const classes = new Map(
      (
        await inParts(classUids, (part) => trx('classes').whereIn('uid', part).select('id', 'uid', 'organization_id'))
      ).map((c: { id: number; uid: string; organization_id: number }) => [c.uid, c]),
    );
    const inScope = new Set(ctx.orgs.subtree(ctx.instance.organization).map((o) => o.code));
    const orgRows = await trx('organizations')
      .whereIn('id', [...new Set([...classes.values()].map((c) => Number(c.organization_id)))])
      .select('id', 'code');
    const orgs = new Map(
      orgRows
        .filter((o: { code: string }) => inScope.has(o.code))
        .map((o: { id: number; code: string }) => [Number(o.id), ctx.orgs.get(o.code)]),
    );
    const nkOf = (d: LmsGradeRecord) => lmsGradeNk(ctx.instance.name, d.item, d.moodle_user);
    const existing = new Map(
      (
        await selectByNk<{ nk: string; date: string; taken_at: string | null; score: unknown; max_score: unknown }>(
          trx,
          'marks',
          records.map((r) => nkOf(r.data)),
          ['nk', 'date', 'taken_at', 'score', 'max_score'],
        )
      ).map((m) => [m.nk, m]),
    );

    const placed: { index: number; d: LmsGradeRecord; at: Place; subject: string }[] = [];
    for (const r of records) {
      const key = keys.get(r.index);
      const cls = key ? classes.get(key.classUid) : undefined;
      if (!key || !cls) {
        reject(
          r.index,
          'course',
          'unknown_course',
          `course "${r.data.course}" is not a course the hub made (no class with that public id)`,
        );
        continue;
      }
      const org = orgs.get(Number(cls.organization_id));
      if (!org) {
        // A Moodle site shared with schools outside this instance's organization: theirs to load.
        notes.outside_scope = (notes.outside_scope ?? 0) + 1;
        continue;
      }
      placed.push({
        index: r.index,
        d: r.data,
        at: { orgId: Number(cls.organization_id), org, classId: Number(cls.id) },
        subject: key.subject,
      });
    }

    const subjectIds = new Map<number, Map<string, number>>();
    for (const orgId of new Set(placed.map((p) => p.at.orgId))) {
      const here = placed.filter((p) => p.at.orgId === orgId);
      subjectIds.set(
        orgId,
        await resolveSubjects(
          trx,
          versions,
          { ...ctx, org: here[0]!.at.org },
          orgId,
          here.map((p) => displayName(p.subject)),
        ),
      );
    }

    const rows: MarkRow[] = [];
    for (const { index, d, at, subject } of placed) {
      const nk = nkOf(d);
      const workType = (d.item_name || d.item).slice(0, 64);
      let mark;
      try {
        mark = scoreToMark(d.score, d.max_score, scaleFor(ctx.hub.markScales, at.org.chain, workType, null));
      } catch (err) {
        if (!(err instanceof RecordRejected)) throw err;
        reject(index, err.field ?? 'score', err.code, `${d.item} of Moodle user ${d.moodle_user}: ${err.message}`);
        continue;
      }
      const before = existing.get(nk);
      const sameScore =
        before !== undefined && Number(before.score) === d.score && Number(before.max_score) === d.max_score;
      const takenAt = sameScore || !d.graded_at ? (before?.taken_at ?? d.graded_at ?? null) : d.graded_at;
      const date =
        sameScore || !d.graded_at
          ? (before?.date ??
            (d.graded_at ? localParts(d.graded_at, at.org.timeZone).date : todayIn(at.org.timeZone, ctx.now)))
          : localParts(d.graded_at, at.org.timeZone).date;
      rows.push({
        nk,
        studentId: coreId(d.student_id),
        subjectId: subjectIds.get(at.orgId)?.get(subject) ?? null,
        lessonId: null,
        organizationId: at.orgId,
        date,
        value: mark.value,
        numeric: mark.numeric,
        weight: 1,
        workType,
        score: d.score,
        maxScore: d.max_score,
        assessment: `moodle:${d.item}`,
        takenAt,
      });
    }
    const res = await writeMarks(trx, versions, ctx, rows);
    return { created: res.created, updated: res.updated, unchanged: res.unchanged, rejects, notes };
  },
};
