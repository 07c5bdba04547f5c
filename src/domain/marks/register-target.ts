/**
 * Load target `marks.assessment`: the organization's assessment register. None of the result files
 * names a subject (formats.md §4–5), so each test, quiz or voting session is declared here once:
 * subject, class, work type, weight, and optionally its date, maximum score and mark scale.
 * Results of a test missing from the register are rejected with the test's id.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { organizationId } from '../../db/organizations-store.ts';
import { upsertByNk } from '../../db/upsert.ts';
import type { LoadTarget, TargetReject } from '../../pipeline/target.ts';
import { today } from '../roster/classes.ts';
import { classKey, findClasses } from './classes.ts';
import { resolveSubjects, subjectKey } from './subjects.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const assessmentRecord = z.object({
  test_id: z.string().min(1).max(191),
  title: z.string().max(255).nullish(),
  subject: z.string().min(1).max(191),
  class_name: z.string().min(1).max(32).nullish(),
  work_type: z.string().min(1).max(64),
  weight: z.number().positive().max(100).default(1),
  date: isoDate.nullish(),
  max_score: z.number().positive().nullish(),
  scale: z.string().max(64).nullish(),
});
export type AssessmentRecord = z.infer<typeof assessmentRecord>;

export const assessmentNk = (org: string, testId: string): string => `${org}|${testId}`;

export const registerTarget: LoadTarget<AssessmentRecord> = {
  name: 'marks.assessment',
  schema: assessmentRecord,
  async loadChunk(trx, versions, records, ctx) {
    const orgId = await organizationId(trx, ctx.org.code);
    const day = today(ctx);
    const subjects = await resolveSubjects(trx, versions, ctx, orgId, records.map((r) => r.data.subject));
    const classes = await findClasses(trx, ctx, orgId, records.flatMap((r) => (r.data.class_name ? [{ name: r.data.class_name, date: r.data.date ?? day }] : [])));
    const rejects: TargetReject[] = [];
    const rows = [];
    for (const r of records) {
      const d = r.data;
      const year = classes.yearOf(d.date ?? day);
      const classId = d.class_name ? classes.ids.get(classKey(d.class_name, year)) : null;
      if (classId === undefined) {
        rejects.push({ index: r.index, field: 'class_name', code: 'unknown_class', message: `test ${d.test_id}: class ${d.class_name} of ${year} is not in the roster of ${ctx.org.code}` });
        continue;
      }
      rows.push({
        nk: assessmentNk(ctx.org.code, d.test_id),
        attrs: {
          organization_id: orgId, test_id: d.test_id, title: d.title ?? null, subject_id: subjects.get(subjectKey(d.subject)) ?? null,
          class_id: classId, work_type: d.work_type, weight: d.weight, date: d.date ?? null, max_score: d.max_score ?? null, scale: d.scale ?? null,
        },
      });
    }
    const res = await upsertByNk(trx, versions, 'assessment_register', rows, { source: ctx.instance.name, now: ctx.now, dryRun: ctx.dryRun });
    return { created: res.created, updated: res.updated, unchanged: res.unchanged, rejects };
  },
};

export interface RegisteredAssessment {
  testId: string;
  subjectId: number;
  classId: number | null;
  workType: string;
  weight: number;
  date: string | null;
  maxScore: number | null;
  scale: string | null;
}

/** Register rows of one organization for the given test ids. */
export async function registeredAssessments(trx: Knex | Knex.Transaction, orgCode: string, testIds: string[]): Promise<Map<string, RegisteredAssessment>> {
  const out = new Map<string, RegisteredAssessment>();
  const nks = [...new Set(testIds)].map((t) => assessmentNk(orgCode, t));
  for (let i = 0; i < nks.length; i += 5000) {
    const rows = await trx('assessment_register').whereIn('nk', nks.slice(i, i + 5000)).whereNull('deleted_at')
      .select('test_id', 'subject_id', 'class_id', 'work_type', 'weight', 'date', 'max_score', 'scale');
    for (const r of rows) {
      out.set(String(r.test_id), {
        testId: String(r.test_id), subjectId: Number(r.subject_id), classId: r.class_id === null ? null : Number(r.class_id),
        workType: String(r.work_type), weight: Number(r.weight), date: r.date ?? null,
        maxScore: r.max_score === null ? null : Number(r.max_score), scale: r.scale ?? null,
      });
    }
  }
  return out;
}
