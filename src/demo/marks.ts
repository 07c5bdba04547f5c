/**
 * Demo: every source of marks for school sch-001. The assessment register, then a QTI results
 * folder, Moodle and Google quiz exports and two voting sessions; the journal pushes a batch over
 * the API; proposed period marks for term 1. Prints 5А's marks as the diary would show them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from '../api/app.ts';
import { createClient } from '../api/auth/clients-store.ts';
import { formatSummary } from '../cli/summary.ts';
import { computePeriodMarks } from '../domain/marks/period.ts';
import { PROJECT_ROOT } from '../mapping/load.ts';
import { executeRun, runNow } from '../pipeline/execute.ts';
import { listRejects } from '../pipeline/runs-store.ts';
import type { Runtime } from '../runtime.ts';
import { addDemoStep } from './steps.ts';

addDemoStep({
  name: 'marks',
  describe: 'marks of sch-001 from a QTI testing system, Moodle and Google quizzes, voting remotes and the journal push API',
  async run(rt, say) {
    for (const instance of ['assessments-sch-001', 'qti-sch-001', 'quiz-sch-001', 'voting-sch-001']) {
      const s = await runNow(rt, { instance });
      say(formatSummary(s));
      for (const r of await listRejects(rt.db, s.runId)) say(`  rejected ${r.position} [${r.code}]: ${r.message}`);
    }
    const again = await runNow(rt, { instance: 'qti-sch-001' });
    say(`re-run of qti-sch-001: ${again.totals.created} created, ${again.totals.updated} updated, ${again.totals.unchanged} unchanged`);
    await pushJournal(rt, say);
    say('5А, mathematics, as the diary shows it (score and maximum kept beside the mark):');
    for (const line of await diary(rt)) say(`  ${line}`);
    const p = await computePeriodMarks(rt, { organization: 'sch-001', year: '2026/2027', term: '1', now: rt.now() });
    say(`period marks, term 1: ${p.studentSubjects} student-subject pairs, ${p.created} proposed, ${p.keptTeacherMarks} set by a teacher and kept`);
    const rows = await rt.db('period_marks as pm').join('persons as p', 'p.id', 'pm.student_id').join('subjects as s', 's.id', 'pm.subject_id')
      .where({ 'pm.term_code': '1' }).whereNull('pm.deleted_at').orderBy(['p.last_name', 's.name']).limit(8)
      .select('p.last_name', 'p.first_name', 's.name', 'pm.value', 'pm.average', 'pm.proposed');
    for (const r of rows) say(`  ${r.last_name} ${r.first_name}, ${r.name}: ${r.value}${r.average === null ? '' : ` (average ${Number(r.average).toFixed(2)})`}${Number(r.proposed) ? ', proposed' : ', set by the teacher'}`);
  },
});

/** The journal's side: an API client with ingest:journal pushes a batch; the run is executed here. */
async function pushJournal(rt: Runtime, say: (line: string) => void): Promise<void> {
  const app = await build({ rt });
  try {
    const { client, secret } = await createClient(rt, { name: 'Электронный журнал СОШ № 1', organizations: ['sch-001'], resources: ['ingest:journal'] });
    const token = await app.inject({
      method: 'POST', url: '/oauth/token', payload: 'grant_type=client_credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client.clientId}:${secret}`).toString('base64')}` },
    });
    const body = fs.readFileSync(path.join(PROJECT_ROOT, 'fixtures', 'journal', 'batch-1.json'));
    const res = await app.inject({
      method: 'POST', url: '/ingest/journal-sch-001', payload: body,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${(token.json() as { access_token: string }).access_token}` },
    });
    say(`POST /ingest/journal-sch-001 -> ${res.statusCode} ${res.body}`);
    const { runId } = res.json() as { runId: string };
    const s = await executeRun(rt, runId);
    say(formatSummary(s));
    for (const r of await listRejects(rt.db, s.runId)) say(`  rejected ${r.position} [${r.code}]: ${r.message}`);
  } finally {
    await app.close();
  }
}

async function diary(rt: Runtime): Promise<string[]> {
  const rows = await rt.db('marks as m').join('persons as p', 'p.id', 'm.student_id').join('subjects as s', 's.id', 'm.subject_id')
    .join('organizations as o', 'o.id', 'm.organization_id').leftJoin('lessons as l', 'l.id', 'm.lesson_id')
    .where({ 'o.code': 'sch-001', 's.name': 'Математика' }).whereNull('m.deleted_at')
    .orderBy(['m.date', 'p.last_name']).select('m.date', 'p.last_name', 'p.first_name', 'm.value', 'm.score', 'm.max_score', 'm.work_type', 'm.weight', 'm.source', 'l.period');
  return rows.map((r: Record<string, unknown>) =>
    `${r.date} ${r.last_name} ${r.first_name}: ${r.value}${r.score === null ? '' : ` (${Number(r.score)}/${Number(r.max_score)})`} ${r.work_type ?? ''}, weight ${Number(r.weight)}${r.period === null ? '' : `, lesson ${r.period}`} <- ${r.source}`);
}
