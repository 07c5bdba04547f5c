/**
 * Demo: a day at the turnstile of sch-001 (Monday 23.11.2026), replayed as of 12:00 that day: the
 * card register, the PERCo server's morning log, a late push from a controller, and the attendance
 * the hub derives from them against the day's lessons. Runs after the roster and the timetable.
 */
import path from 'node:path';
import { build } from '../api/app.ts';
import { addDevice } from '../db/ingest-devices.ts';
import { signBatch } from '../domain/access/batch-signature.ts';
import { organizationId } from '../db/organizations-store.ts';
import { accessSettingsOf } from '../domain/access/settings.ts';
import { deriveSchoolDay } from '../domain/attendance/derive.ts';
import { silentLogger } from '../log.ts';
import { PROJECT_ROOT } from '../mapping/load.ts';
import { executeRun, runNow } from '../pipeline/execute.ts';
import type { Runtime } from '../runtime.ts';
import { insertDayLessons, type ClassDay } from './day-lessons.ts';
import { addDemoStep } from './steps.ts';

const DAY = '2026-11-23';
const SCHOOL = 'sch-001';
const AS_OF = new Date(`${DAY}T12:00:00+04:00`);

/** That Monday in the demo timetable (fixtures/asc-timetables/demo-sch-001), used when none was imported. */
const PLAN: ClassDay[] = [
  { className: '1В', periods: [1] },
  { className: '5А', periods: [1, 2, 3] },
  { className: '5Б', periods: [3] },
  { className: '7А', periods: [1] },
];

/** A controller that was offline until 11:58 delivers 5Б's Иванов, who came at 10:41. */
const LATE_PUSH = [
  { time: `${DAY}T10:41:00+04:00`, direction: 'in', card: '40BA53', device: 'gate-1' },
  { time: `${DAY}T11:55:00+04:00`, direction: 'out', card: '40BA53', device: 'gate-1' },
];

addDemoStep({
  name: 'turnstile',
  describe: `a day at the turnstile of ${SCHOOL} (${DAY}, as of 12:00): card register, PERCo log, a signed push, derived attendance`,
  async run(live, say) {
    // The day is replayed: the hub's clock reads 12:00 of that day for this step.
    const rt: Runtime = { ...live, now: () => new Date(AS_OF) };
    const orgId = await organizationId(rt.db, SCHOOL);
    if (!(await rt.db('lessons').where({ organization_id: orgId, date: DAY }).whereNull('deleted_at').first('id'))) {
      await insertDayLessons(rt, SCHOOL, DAY, PLAN, 'demo-turnstile');
      say(`no timetable was imported for ${DAY}: this step put in that day's lessons itself`);
    }
    const cards = await runNow(rt, { instance: 'turnstile-sch-001', streams: ['cards'], files: [path.join(PROJECT_ROOT, 'fixtures/turnstile/school1/cards.csv')] });
    say(`card register: ${cards.totals.created + cards.totals.updated + cards.totals.unchanged} cards of ${SCHOOL}`);

    const log = await runNow(rt, { instance: 'turnstile-log-sch-001' });
    const notes = log.streams.events?.notes ?? {};
    say(`PERCo log: ${log.totals.read} lines -> ${log.totals.created} passes, ${notes.duplicate_reads ?? 0} repeated read, ${log.totals.rejected} rejected (unknown card; \`rso-hub rejects ${log.runId}\`)`);

    const secret = await addDevice(rt.db, 'turnstile-sch-001', 'gate-1', 'главный вход (демо)', rt.now());
    // The API's own start-up warnings are not part of this story.
    const app = await build({ rt: { ...rt, log: silentLogger } });
    try {
      const body = JSON.stringify(LATE_PUSH);
      const ts = Math.floor(rt.now().getTime() / 1000);
      const res = await app.inject({ method: 'POST', url: '/ingest/turnstile-sch-001', payload: body, headers: { 'content-type': 'application/json', 'x-device': 'gate-1', 'x-timestamp': String(ts), 'x-signature': signBatch(secret, ts, body) } });
      const answer = res.json() as { runId: string; received: number };
      const pushed = await executeRun(rt, answer.runId);
      say(`push from gate-1 (a controller that was offline until 11:58): HTTP ${res.statusCode}, ${answer.received} passes, ${pushed.totals.created} new`);
    } finally {
      await app.close();
    }

    const settings = accessSettingsOf(rt.instance('turnstile-sch-001').config).attendance;
    const s = await deriveSchoolDay(rt.db, rt.orgs, { organization: SCHOOL, date: DAY, settings, now: rt.now(), source: 'turnstile-sch-001' });
    const by = Object.entries(s.statuses).map(([k, v]) => `${k} ${v}`).join(', ');
    say(`attendance of ${DAY} as of 12:00: ${by}; ${s.keptJournal} decided by a teacher; ${s.signals} "absent, no entry" signal(s) for SMS`);
    for (const r of await summaryRows(rt, orgId)) say(`  ${r.class.padEnd(4)} ${r.name.padEnd(34)} ${r.status}${r.late ? ` (${r.late} min)` : ''}`);
  },
});

async function summaryRows(rt: Runtime, orgId: number): Promise<{ class: string; name: string; status: string; late: number | null }[]> {
  const rows: { class_name: string; last_name: string; first_name: string; status: string; minutes_late: number | null }[] = await rt.db('attendance as a')
    .join('persons as p', 'p.id', 'a.student_id')
    .join('enrollments as e', (j) => j.on('e.person_id', 'a.student_id').andOn('e.organization_id', 'a.organization_id'))
    .join('classes as c', 'c.id', 'e.class_id')
    .where({ 'a.organization_id': orgId, 'a.date': DAY }).whereNull('a.lesson_id').whereNull('a.deleted_at')
    .where('e.from_date', '<=', DAY).where((q) => q.whereNull('e.to_date').orWhere('e.to_date', '>', DAY))
    .orderBy('c.grade').orderBy('c.name').orderBy('p.last_name')
    .select('c.name as class_name', 'p.last_name', 'p.first_name', 'a.status', 'a.minutes_late');
  return rows.map((r) => ({ class: r.class_name, name: `${r.last_name} ${r.first_name}`, status: r.status, late: r.minutes_late == null ? null : Number(r.minutes_late) }));
}
