/**
 * Proposed period marks: for each school, term, student and subject the weighted average of the
 * term's numeric marks, rounded by the school's thresholds (period-rules.ts), stored in
 * period_marks with proposed = true. A period mark a teacher set (proposed = false, from the
 * journal) is never overwritten. A proposed mark whose marks have all gone is soft-deleted.
 * One aggregate query per school and term: the database does the sums.
 */
import type { Knex } from 'knex';
import type { OrgTree, ResolvedOrganization } from '../../config/organizations.ts';
import { todayIn } from '../../config/organizations.ts';
import type { HubConfig } from '../../config/schema.ts';
import { PermanentError } from '../../core/errors.ts';
import { writeTransaction } from '../../db/change-versions.ts';
import { organizationId } from '../../db/organizations-store.ts';
import { softDelete, upsertByNk } from '../../db/upsert.ts';
import { periodMark, rulesFor } from './period-rules.ts';

export const periodMarkNk = (org: string, year: string, term: string, studentId: number, subjectId: number): string =>
  `period|${org}|${year}|${term}|${studentId}|${subjectId}`;

export interface PeriodRequest {
  /** A school, or an organization whose schools are all computed. */
  organization: string;
  /** Academic year code; the one containing today by default. */
  year?: string | undefined;
  /** Term code; the term containing today (or the last one begun) by default. */
  term?: string | undefined;
  now: Date;
}

export interface PeriodResult {
  terms: { organization: string; year: string; term: string }[];
  /** Student × subject pairs with at least one numeric mark in the term. */
  studentSubjects: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Teacher-set period marks left as they were. */
  keptTeacherMarks: number;
  /** Proposed marks soft-deleted because their marks are gone. */
  removed: number;
}

interface Hub {
  db: Knex;
  hub: HubConfig;
  orgs: OrgTree;
}

export async function computePeriodMarks(h: Hub, req: PeriodRequest): Promise<PeriodResult> {
  if (!h.orgs.byCode.has(req.organization)) throw new PermanentError('unknown_organization', `unknown organization "${req.organization}"`);
  const out: PeriodResult = { terms: [], studentSubjects: 0, created: 0, updated: 0, unchanged: 0, keptTeacherMarks: 0, removed: 0 };
  for (const org of h.orgs.subtree(req.organization)) {
    if (org.kind === 'region' || org.kind === 'municipality') continue;
    const term = termOf(org, req);
    if (!term) continue;
    await computeTerm(h, org, term, req.now, out);
    out.terms.push({ organization: org.code, year: term.year, term: term.code });
  }
  if (out.terms.length === 0) throw new PermanentError('no_term', `no term ${req.term ?? 'containing today'}${req.year ? ` in ${req.year}` : ''} in the calendar of ${req.organization}`);
  return out;
}

function termOf(org: ResolvedOrganization, req: PeriodRequest): { year: string; code: string; from: string; to: string } | undefined {
  const today = todayIn(org.timeZone, req.now);
  const year = req.year ? org.calendar.years.find((y) => y.code === req.year) : org.calendar.years.find((y) => y.from <= today && today <= y.to);
  if (!year) return undefined;
  const begun = year.terms.filter((t) => t.from <= today).sort((a, b) => (a.from < b.from ? 1 : -1));
  const t = req.term ? year.terms.find((x) => x.code === req.term) : begun[0];
  return t ? { year: year.code, code: t.code, from: t.from, to: t.to } : undefined;
}

async function computeTerm(h: Hub, org: ResolvedOrganization, term: { year: string; code: string; from: string; to: string }, now: Date, out: PeriodResult): Promise<void> {
  const orgId = await organizationId(h.db, org.code);
  const rules = rulesFor(h.hub.periodMarks, org.chain);
  const cases = Object.entries(rules.weights);
  const weight = cases.length === 0 ? 'weight' : `case work_type ${cases.map(() => 'when ? then ?').join(' ')} else weight end`;
  const bindings = cases.flatMap(([type, w]) => [type, w]);
  const sums = (await h.db('marks')
    .where({ organization_id: orgId }).whereBetween('date', [term.from, term.to])
    .whereNull('deleted_at').whereNotNull('numeric_value').whereNotNull('subject_id')
    .groupBy('student_id', 'subject_id')
    .select('student_id', 'subject_id', h.db.raw(`sum(numeric_value * ${weight}) as sw`, bindings), h.db.raw(`sum(${weight}) as ws`, bindings), h.db.raw('count(*) as n'))) as { student_id: number; subject_id: number; sw: number | string; ws: number | string; n: number | string }[];
  out.studentSubjects += sums.length;
  const scope = { organization_id: orgId, year_code: term.year, term_code: term.code };
  await writeTransaction(h.db, async (trx, versions) => {
    const existing = await trx('period_marks').where(scope).whereNull('deleted_at').select('id', 'nk', 'proposed');
    const teacher = new Set(existing.filter((e: { proposed: unknown }) => !Number(e.proposed)).map((e: { nk: string }) => e.nk));
    const rows = [];
    for (const s of sums) {
      const nk = periodMarkNk(org.code, term.year, term.code, Number(s.student_id), Number(s.subject_id));
      if (teacher.has(nk)) {
        out.keptTeacherMarks++;
        continue;
      }
      const average = Number(s.sw) / Number(s.ws);
      rows.push({
        nk,
        attrs: {
          student_id: Number(s.student_id), subject_id: Number(s.subject_id), term_code: term.code, value: periodMark(average, rules.thresholds),
          average: Math.round(average * 1000) / 1000, proposed: true, organization_id: orgId, year_code: term.year, marks_count: Number(s.n),
        },
      });
    }
    const res = await upsertByNk(trx, versions, 'period_marks', rows, { source: 'period-marks', now, refs: false, bulk: true });
    out.created += res.created;
    out.updated += res.updated;
    out.unchanged += res.unchanged;
    const computed = new Set(rows.map((r) => r.nk));
    const stale = existing.filter((e: { nk: string; proposed: unknown }) => Number(e.proposed) && !computed.has(e.nk)).map((e: { id: number }) => Number(e.id));
    out.removed += await softDelete(trx, versions, 'period_marks', stale, now);
  });
}
