/**
 * Demo: the portal API after the imports. Creates an API client, starts the API on 127.0.0.1,
 * prints the curl lines that get a token and a demo student's diary, fetches that diary once the
 * same way, then stops the server so `npm run demo` ends.
 */
import type { Knex } from 'knex';
import { createClient } from '../api/auth/clients-store.ts';
import { listen } from '../api/server.ts';
import { todayIn } from '../config/organizations.ts';
import { consentFor } from '../domain/consent/store.ts';
import type { Runtime } from '../runtime.ts';
import { addDemoStep } from './steps.ts';

const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const mondayOf = (d: string) => addDays(d, 1 - (new Date(`${d}T00:00:00Z`).getUTCDay() || 7));

/** An enrolled student whose diary the portal may show, preferring one whose class has lessons and marks. */
async function demoStudent(rt: Runtime): Promise<{ uid: string; from: string; to: string } | undefined> {
  const db: Knex = rt.db;
  const candidates: { id: number; uid: string; class_id: number }[] = await db('enrollments as e').join('persons as p', 'p.id', 'e.person_id')
    .whereNull('e.to_date').whereNull('e.deleted_at').whereNull('p.deleted_at')
    .orderBy(db.raw('(select count(*) from marks m where m.student_id = p.id)'), 'desc').orderBy('p.id')
    .limit(200).select('p.id', 'p.uid', 'e.class_id');
  const consent = await consentFor(db, candidates.map((c) => Number(c.id)), 'diary_portal', rt.hub.consent.unknownMeans.diary_portal ?? 'refused');
  const today = todayIn(rt.hub.timeZone, rt.now());
  for (const c of candidates) {
    if (consent.get(Number(c.id)) === 'refused') continue;
    // The week of their latest mark, else the next week with lessons of their class.
    const marked = await db('marks').where({ student_id: c.id }).whereNull('deleted_at').max({ d: 'date' }).first();
    const dates = db('lessons as l').join('lesson_audience as la', 'la.lesson_id', 'l.id').where('la.class_id', c.class_id).whereNull('l.deleted_at');
    const next = await dates.clone().where('l.date', '>=', today).min({ d: 'l.date' }).first();
    const last = await dates.clone().max({ d: 'l.date' }).first();
    const day = (marked?.d ?? next?.d ?? last?.d ?? today) as string;
    const from = mondayOf(day);
    return { uid: c.uid, from, to: addDays(from, 6) };
  }
  return undefined;
}

addDemoStep({
  name: 'api',
  describe: 'the portal API: a client, a token and a student\'s diary over HTTP (127.0.0.1)',
  async run(rt, say) {
    const student = await demoStudent(rt);
    if (!student) return say('no enrolled student whose guardians allow the diary portal: nothing to show');
    const { client, secret } = await createClient(rt, { name: 'Демо-портал Госуслуг', organizations: ['obr'], resources: ['diary:read', 'changes:read', 'myschool:read'] });
    const server = await listen(rt, { port: 0, host: '127.0.0.1' });
    try {
      const diaryUrl = `${server.url}/api/v1/students/${student.uid}/diary?from=${student.from}&to=${student.to}`;
      say(`API client ${client.clientId} (purpose ${client.purpose}); docs: ${server.url}/api/v1/docs`);
      say('get a token, then the diary:');
      say(`  TOKEN=$(curl -s -u '${client.clientId}:${secret}' -d grant_type=client_credentials ${server.url}/oauth/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`);
      say(`  curl -s -H "Authorization: Bearer $TOKEN" '${diaryUrl}'`);
      const t = await fetch(`${server.url}/oauth/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${client.clientId}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      const { access_token: token } = (await t.json()) as { access_token: string };
      const res = await fetch(diaryUrl, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { days?: { lessons: { marks: unknown[]; homework: unknown[] }[] }[]; error?: { code: string } };
      if (!res.ok) return say(`diary answered HTTP ${res.status} ${body.error?.code ?? ''}`);
      const lessons = (body.days ?? []).flatMap((d) => d.lessons);
      say(`fetched it once: HTTP ${res.status}, ${body.days?.length ?? 0} school days, ${lessons.length} lessons, ${lessons.reduce((a, l) => a + l.marks.length, 0)} marks, ${lessons.reduce((a, l) => a + l.homework.length, 0)} homework`);
      say('this server stops with the demo; to try the lines later, serve the demo database and use port 8080:');
      say('  DATABASE_URL=sqlite:data/demo.sqlite npm run hub -- --config hub.example.yaml serve --port 8080');
      const audited = await rt.db('audit_log').where({ client_id: client.clientId }).count({ n: '*' }).first();
      say(`audited: ${audited?.n ?? 0} read(s) by ${client.clientId} (\`rso-hub audit --person ${student.uid} --from ${todayIn(rt.hub.timeZone, rt.now())}\`)`);
    } finally {
      await server.close();
    }
  },
});
