/** Shared setup of the marks integration tests: school 1's roster, its register, dated lessons. */
import type { Runtime } from '../../src/runtime.ts';
import { writeTransaction } from '../../src/db/change-versions.ts';
import { organizationId } from '../../src/db/organizations-store.ts';
import { upsertByNk } from '../../src/db/upsert.ts';
import { runNow } from '../../src/pipeline/execute.ts';
import { fixture, rosterInstance } from '../helpers/hub.ts';

/** The school's clock: early in the second term, so the roster's classes are 2026/2027's. */
export const NOW = () => new Date('2026-10-01T08:00:00Z');

export const markScales = [
  { organization: 'sch-001', workType: 'Самостоятельная работа', thresholds: { '5': 90, '4': 70, '3': 50 } },
];

export function marksInstances(extra: Record<string, unknown>[] = []): Record<string, unknown>[] {
  return [
    rosterInstance('roster', 'sch-001', fixture('roster', 'school1'), { config: { files: { students: 'students.utf8bom.csv', guardians: 'none', staff: 'none', consents: 'none' } } }),
    { name: 'register', connector: 'assessment-register', organization: 'sch-001', dropFolder: fixture('assessment-register', 'sch-001'), config: {} },
    ...extra,
  ];
}

/** Loads the roster and the register; fails the test if either does not load cleanly. */
export async function prepareSchool(rt: Runtime): Promise<void> {
  for (const instance of ['roster', 'register']) {
    const s = await runNow(rt, { instance });
    if (s.status !== 'succeeded' || s.totals.rejected > 0) throw new Error(`${instance}: ${JSON.stringify(s)}`);
  }
}

export interface LessonSpec {
  className: string;
  group?: string;
  date: string;
  period: number;
  subject: string;
}

const BELLS: Record<number, [string, string]> = {
  1: ['08:30', '09:15'], 2: ['09:25', '10:10'], 3: ['10:30', '11:15'], 4: ['11:35', '12:20'], 5: ['12:30', '13:15'], 6: ['13:25', '14:10'],
};

/** Dated lessons as the timetable loader would leave them (its natural keys, one audience each). */
export async function addLessons(rt: Runtime, lessons: LessonSpec[]): Promise<Map<string, number>> {
  const orgId = await organizationId(rt.db, 'sch-001');
  const ids = new Map<string, number>();
  await writeTransaction(rt.db, async (trx, versions) => {
    for (const l of lessons) {
      const klass = await trx('classes').where({ organization_id: orgId, name: l.className, year_code: '2026/2027' }).first('id');
      const group = l.group ? await trx('class_groups').where({ class_id: klass.id, name: l.group }).first('id') : undefined;
      const subjectNk = `sch-001|${l.subject.toLowerCase()}`;
      const subject = await upsertByNk(trx, versions, 'subjects', [{ nk: subjectNk, attrs: { organization_id: orgId, name: l.subject, short_name: null } }], { source: 'test', now: NOW() });
      const audience = l.group ? `${l.className}:${l.group}` : l.className;
      const nk = `sch-001|${l.date}|${l.period}|${audience}`;
      const [start, end] = BELLS[l.period]!;
      const res = await upsertByNk(trx, versions, 'lessons', [{ nk, attrs: {
        organization_id: orgId, date: l.date, period: l.period, start_time: start, end_time: end, subject_id: subject.refs.get(subjectNk)!.id,
        room_id: null, audience_key: audience, teacher_ids: '[]', status: 'scheduled',
      } }], { source: 'test', now: NOW() });
      const lessonId = res.refs.get(nk)!.id;
      await upsertByNk(trx, versions, 'lesson_audience', [{ nk: `${lessonId}|${klass.id}|${group?.id ?? ''}`, attrs: { lesson_id: lessonId, class_id: klass.id, group_id: group?.id ?? null } }], { source: 'test', now: NOW() });
      ids.set(`${l.className}${l.group ? `:${l.group}` : ''} ${l.date} ${l.period}`, lessonId);
    }
  });
  return ids;
}

export interface MarkView {
  student: string;
  subject: string | null;
  date: string;
  value: string;
  numeric: number | null;
  weight: number;
  workType: string | null;
  score: number | null;
  max: number | null;
  period: number | null;
  test: string | null;
}

/** Live marks by roster code, test and date: what the diary would show. */
export async function markRows(rt: Runtime, where: Record<string, unknown> = {}): Promise<MarkView[]> {
  const rows = await rt.db('marks as m')
    .join('external_ids as x', (j) => j.on('x.core_id', 'm.student_id').andOnVal('x.entity', 'person').andOnVal('x.source', 'roster'))
    .leftJoin('subjects as s', 's.id', 'm.subject_id').leftJoin('lessons as l', 'l.id', 'm.lesson_id')
    .whereNull('m.deleted_at').where(where)
    .orderBy([{ column: 'm.assessment' }, { column: 'x.external_id' }, { column: 'm.date' }])
    .select('x.external_id', 's.name as subject', 'm.date', 'm.value', 'm.numeric_value', 'm.weight', 'm.work_type', 'm.score', 'm.max_score', 'l.period', 'm.assessment');
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return rows.map((r: Record<string, unknown>) => ({
    student: String(r.external_id), subject: (r.subject as string | null) ?? null, date: String(r.date), value: String(r.value), numeric: num(r.numeric_value),
    weight: Number(r.weight), workType: (r.work_type as string | null) ?? null, score: num(r.score), max: num(r.max_score), period: num(r.period), test: (r.assessment as string | null) ?? null,
  }));
}

/** What the diary shows of a mark, in one line: "1001 Математика 2026-09-15 4 (8/10) p5". */
export const brief = (m: MarkView): string =>
  `${m.student} ${m.subject} ${m.date} ${m.value}${m.score !== null ? ` (${m.score}/${m.max})` : ''}${m.period !== null ? ` p${m.period}` : ''}`;
