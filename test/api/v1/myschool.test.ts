import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { listen } from '../../../src/api/server.ts';
import { operationOutcomeSchema, scheduleSchema } from '../../../src/api/myschool/schema.ts';
import { addClient, testApp, testHub, tokenFor, type TestHub } from '../helpers.ts';
import { validator, type Validator } from './json-schema.ts';
import { buildWorld, type World } from './world.ts';

let hub: TestHub;
let app: FastifyInstance;
let w: World;
let token: string;
let schedule: Validator;
let outcome: Validator;

beforeAll(async () => {
  hub = await testHub();
  w = await buildWorld(hub);
  app = await testApp(hub);
  const { client, secret } = await addClient(hub, { organizations: ['obr'], resources: ['myschool:read'] });
  token = await tokenFor(app, client.clientId, secret);
  schedule = await validator(scheduleSchema);
  outcome = await validator(operationOutcomeSchema);
});
afterAll(async () => {
  await schedule.close();
  await outcome.close();
  await app.close();
  await hub.cleanup();
});

const get = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
type Lesson = { id: string; subject: string; insteadOf?: string; attendance?: { code: string }; score: unknown[]; period: { start: string } };
const lessonsOf = (body: { school: { class: { lesson: Lesson[] }[] }[] }) => body.school.flatMap((s) => s.class.flatMap((c) => c.lesson));

describe('GET /myschool/Schedule/:esiaId for a pupil', () => {
  it('answers in the contract shape: school -> class -> lesson with marks, attendance codes and substitutions', async () => {
    const res = await get('/myschool/Schedule/1563978');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(await schedule(body)).toEqual([]);
    // The test clock is Thursday 2026-10-01: previous, current and next week.
    expect(body).toMatchObject({ resourceType: 'Schedule', id: '1563978' });
    expect(body.school).toHaveLength(1);
    const school = body.school[0];
    expect(school).toMatchObject({
      name: 'Школа № 1', academYear: '2026/27',
      period: { start: '2026-09-21T00:00:00+04:00', end: '2026-10-11T23:59:59+04:00' },
      scheduleUrl: 'http://localhost:80/myschool/Schedule/1563978?start=2026-09-21&end=2026-10-11',
    });
    expect(school.id).toBe((await hub.rt.db('organizations').where({ code: 'sch-1' }).first('uid')).uid);
    expect(school.class.map((c: { class: string; grade: string }) => [c.class, c.grade])).toEqual([['5А', '5']]);
    const lessons = lessonsOf(body);
    // The cancelled period 4 is not a lesson that takes place; group 2's English is not Анна's.
    expect(lessons.map((l) => l.id)).toEqual([w.l1.uid, w.l2g1.uid, w.l3.uid, w.tue1.uid]);
    expect(lessons[0]).toEqual({
      id: w.l1.uid, subject: 'Математика', topic: 'Сложение дробей', homework: '№ 12, 14 на с. 45',
      period: { start: '2026-10-05T08:30:00+04:00', end: '2026-10-05T09:15:00+04:00' }, classroom: '101',
      score: [{ code: 'Контрольная работа', weight: 2, score: '5', scoreSystem: '5-балльная' }],
    });
    expect(lessons[1]).toMatchObject({ attendance: { code: 'о' }, score: [{ code: 'Ответ на уроке', weight: 1, score: '4' }] });
    expect(lessons[2]).toMatchObject({ subject: 'Физика', insteadOf: 'Русский язык', note: 'Замена: физика вместо русского языка', attendance: { code: 'б' }, score: [] });
    // Present at period 1 although the turnstile marked the day absent: no attendance code.
    expect(lessons[3]).not.toHaveProperty('attendance');
  });

  it('narrows to start..end, which go together', async () => {
    const res = await get('/myschool/Schedule/1563978?start=2026-10-06&end=2026-10-06');
    expect(await schedule(res.json())).toEqual([]);
    expect(lessonsOf(res.json()).map((l) => l.id)).toEqual([w.tue1.uid]);
    const half = await get('/myschool/Schedule/1563978?start=2026-10-06');
    expect(half.statusCode).toBe(400);
    expect(await outcome(half.json())).toEqual([]);
    expect(half.json().issue[0]).toMatchObject({ severity: 'error', code: 'structure', expression: ['end'] });
  });
});

describe('GET /myschool/Schedule/:esiaId for a teacher', () => {
  it('lists the lessons they teach under each class, without pupils\' marks or attendance', async () => {
    const res = await get('/myschool/Schedule/2000001?start=2026-10-05&end=2026-10-11');
    expect(res.statusCode).toBe(200);
    expect(await schedule(res.json())).toEqual([]);
    const lessons = lessonsOf(res.json());
    expect(lessons.map((l) => l.id)).toEqual([w.l1.uid, w.l2g2.uid, w.l3.uid, w.tue1.uid]);
    expect(lessons.every((l) => l.score.length === 0 && l.attendance === undefined)).toBe(true);
    expect(lessons[2]).toMatchObject({ insteadOf: 'Русский язык' });
  });
});

describe('errors are OperationOutcomes', () => {
  it('answers bad ids, unknown persons, unknown routes and missing tokens in the FHIR shape', async () => {
    const cases: [string, Record<string, string>, number, string][] = [
      ['/myschool/Schedule/abc', { authorization: `Bearer ${token}` }, 400, 'structure'],
      ['/myschool/Schedule/1563978?start=2026-10-01&end=2026-12-31', { authorization: `Bearer ${token}` }, 400, 'structure'],
      ['/myschool/Schedule/1563978?start=2026-10-01&end=2026-10-02&x=1', { authorization: `Bearer ${token}` }, 400, 'structure'],
      ['/myschool/Schedule/42', { authorization: `Bearer ${token}` }, 404, 'not-found'],
      ['/myschool/Schedules/1563978', { authorization: `Bearer ${token}` }, 404, 'not-found'],
      ['/myschool/Schedule/1563978', {}, 401, 'login'],
    ];
    for (const [url, headers, status, code] of cases) {
      const res = await app.inject({ method: 'GET', url, headers });
      expect([res.statusCode, res.json().issue?.[0]?.code], url).toEqual([status, code]);
      expect(await outcome(res.json()), url).toEqual([]);
      expect(res.json().id).toBe(res.headers['x-request-id']);
    }
  });
});

describe('through a real listening server', () => {
  it('serves a valid Schedule over HTTP', async () => {
    const server = await listen(hub.rt, { port: 0, host: '127.0.0.1' }, { now: hub.clock.now });
    try {
      const res = await fetch(`${server.url}/myschool/Schedule/1563978?start=2026-10-05&end=2026-10-11`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { school: { scheduleUrl: string }[] };
      expect(await schedule(body)).toEqual([]);
      expect(body.school[0]?.scheduleUrl).toBe(`${server.url}/myschool/Schedule/1563978?start=2026-10-05&end=2026-10-11`);
    } finally {
      await server.close();
    }
  });
});

describe('consent of teachers', () => {
  it('counts only a recorded refusal for a teacher (unknown is not a refusal)', async () => {
    expect((await get('/myschool/Schedule/2000001')).statusCode).toBe(200);
    await w.seed.consent(w.teacher, 'diary_portal', 'refused');
    const res = await get('/myschool/Schedule/2000001');
    expect([res.statusCode, res.json().issue[0].details.coding[0].code]).toEqual([403, 'consent_refused']);
    expect(await outcome(res.json())).toEqual([]);
  });
});
