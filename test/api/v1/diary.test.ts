import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { listen, type ListeningServer } from '../../../src/api/server.ts';
import { addClient, basic, testApp, testHub, tokenFor, type TestHub } from '../helpers.ts';
import { validator, type Validator } from './json-schema.ts';
import { buildWorld, WEEK, type World } from './world.ts';

let hub: TestHub;
let app: FastifyInstance;
let w: World;
let token: string;
let validate: (name: string, value: unknown) => Promise<string[]>;
const validators: Validator[] = [];

beforeAll(async () => {
  hub = await testHub();
  w = await buildWorld(hub);
  app = await testApp(hub);
  const { client, secret } = await addClient(hub, { organizations: ['sch-1'], resources: ['diary:read'] });
  token = await tokenFor(app, client.clientId, secret);
  const doc = (await app.inject('/api/v1/openapi.json')).json();
  const defs = doc.components.schemas;
  validate = async (name, value) => {
    const v = await validator({ $ref: `#/definitions/${name}` }, defs);
    validators.push(v);
    return v(value);
  };
});
afterAll(async () => {
  for (const v of validators) await v.close();
  await app.close();
  await hub.cleanup();
});

const get = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

describe('GET /api/v1/students/:id/diary shows the core rows', () => {
  it('lays out the week as days -> lessons -> marks, attendance, homework', async () => {
    const res = await get(`/api/v1/students/${w.anna.uid}/diary?from=${WEEK.from}&to=${WEEK.to}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(await validate('Diary', body)).toEqual([]);
    expect(body).toMatchObject({ studentId: w.anna.uid, from: WEEK.from, to: WEEK.to });
    expect(body.days.map((d: { date: string }) => d.date)).toEqual(['2026-10-05', '2026-10-06']);
    const [mon, tue] = body.days;
    // Анна is in subgroup 1: group 2's English lesson is not hers.
    expect(mon.lessons.map((l: { id: string }) => l.id)).toEqual([w.l1.uid, w.l2g1.uid, w.l3.uid, w.l4.uid]);
    expect(mon.lessons[0]).toEqual({
      id: w.l1.uid, date: '2026-10-05', period: 1, startTime: '08:30', endTime: '09:15',
      subject: { id: w.math.uid, name: 'Математика' }, teachers: [{ id: w.teacher.uid, name: 'Иванова Мария Петровна' }],
      room: '101', topic: 'Сложение дробей', status: 'scheduled', insteadOf: null, note: null, audience: ['5А'],
      marks: [{ id: w.m1.uid, date: '2026-10-05', value: '5', numericValue: 5, weight: 2, workType: 'Контрольная работа', subject: { id: w.math.uid, name: 'Математика' }, lessonId: w.l1.uid }],
      attendance: null,
      homework: [{ id: w.hw1.uid, text: '№ 12, 14 на с. 45', dueDate: '2026-10-07' }],
    });
    expect(mon.lessons[1]).toMatchObject({ audience: ['5А/1'], teachers: [{ name: 'Петров Олег Ильич' }], attendance: { status: 'late', minutesLate: 7 }, marks: [{ value: '4', weight: 1, workType: null }] });
    // The substitution: Физика taught instead of Русский язык; the teacher's "ill" beats the turnstile's "absent".
    expect(mon.lessons[2]).toMatchObject({ subject: { name: 'Физика' }, insteadOf: { id: w.russian.uid, name: 'Русский язык' }, status: 'substituted', note: 'Замена: физика вместо русского языка', attendance: { status: 'ill' } });
    expect(mon.lessons[3]).toMatchObject({ status: 'cancelled', subject: { name: 'Русский язык' } });
    // Tuesday: the day-level turnstile "absent" stands for the day; the teacher's "present" for period 1.
    expect(tue.attendance).toEqual({ status: 'absent', minutesLate: null });
    expect(tue.lessons[0].attendance).toEqual({ status: 'present', minutesLate: null });
    expect(tue.marks).toEqual([expect.objectContaining({ id: w.mZach.uid, value: 'зач', numericValue: null, lessonId: null, workType: 'Зачёт' })]);
  });

  it('defaults to the current week and refuses windows over 31 days', async () => {
    // The test clock is Thursday 2026-10-01: the week of Monday 2026-09-28.
    const res = await get(`/api/v1/students/${w.anna.uid}/diary`);
    expect(res.json()).toMatchObject({ from: '2026-09-28', to: '2026-10-04', days: [] });
    const long = await get(`/api/v1/students/${w.anna.uid}/diary?from=2026-09-01&to=2026-10-31`);
    expect([long.statusCode, long.json().error.code, long.json().error.field]).toEqual([400, 'invalid_request', 'to']);
  });

  it('stops showing lessons after the student leaves', async () => {
    const seed = w.seed;
    const leaver = await seed.person({ last: 'Орлов', first: 'Пётр' });
    await seed.enroll(leaver, 'sch-1', w.c5a, { group: w.g1, to: '2026-10-05' });
    await seed.consent(leaver, 'diary_portal', 'granted');
    const res = await get(`/api/v1/students/${leaver.uid}/diary?from=${WEEK.from}&to=${WEEK.to}`);
    expect(res.json().days.map((d: { date: string }) => d.date)).toEqual(['2026-10-05']);
  });
});

describe('the other student routes', () => {
  it('marks, attendance, timetable and period marks match the core rows', async () => {
    const marks = (await get(`/api/v1/students/${w.anna.uid}/marks?from=${WEEK.from}&to=${WEEK.to}`)).json();
    expect(await validate('Marks', marks)).toEqual([]);
    expect(marks.marks.map((m: { value: string }) => m.value)).toEqual(['5', '4', 'зач']);

    const att = (await get(`/api/v1/students/${w.anna.uid}/attendance?from=${WEEK.from}&to=${WEEK.to}`)).json();
    expect(await validate('AttendanceList', att)).toEqual([]);
    expect(att.attendance.map((a: { status: string; lessonId: string | null }) => [a.lessonId, a.status]).sort()).toEqual(
      [[w.l2g1.uid, 'late'], [w.l3.uid, 'ill'], [w.tue1.uid, 'present'], [null, 'absent']].sort(),
    );

    const tt = (await get(`/api/v1/students/${w.anna.uid}/timetable?from=${WEEK.from}&to=${WEEK.to}`)).json();
    expect(await validate('Timetable', tt)).toEqual([]);
    expect(tt.lessons.map((l: { period: number; date: string }) => `${l.date}/${l.period}`)).toEqual(['2026-10-05/1', '2026-10-05/2', '2026-10-05/3', '2026-10-05/4', '2026-10-06/1']);

    const pm = (await get(`/api/v1/students/${w.anna.uid}/period-marks`)).json();
    expect(await validate('PeriodMarks', pm)).toEqual([]);
    expect(pm.periodMarks).toEqual([expect.objectContaining({ subject: { id: w.math.uid, name: 'Математика' }, term: '1', value: '5', average: 4.71, proposed: false })]);
  });

  it('finds a student by СНИЛС in the body, in any usual spelling', async () => {
    for (const snils of ['112-233-445 95', '11223344595']) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/students/search', headers: { authorization: `Bearer ${token}` }, payload: { snils } });
      expect(res.statusCode).toBe(200);
      expect(await validate('SearchResult', res.json())).toEqual([]);
      expect(res.json().students).toEqual([expect.objectContaining({ id: w.anna.uid, enrollments: [expect.objectContaining({ class: expect.objectContaining({ name: '5А', grade: 5 }), group: '1', from: '2026-09-01', to: null })] })]);
    }
  });
});

describe('through a real listening server', () => {
  let server: ListeningServer;
  beforeAll(async () => {
    server = await listen(hub.rt, { port: 0, host: '127.0.0.1' }, { now: hub.clock.now });
  });
  afterAll(async () => server?.close());

  it('issues a token over HTTP and serves the same diary as inject', async () => {
    const { client, secret } = await addClient(hub, { organizations: ['obr'], resources: ['diary:read'] });
    const t = await fetch(`${server.url}/oauth/token`, { method: 'POST', headers: { authorization: basic(client.clientId, secret), 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    expect(t.status).toBe(200);
    const { access_token } = (await t.json()) as { access_token: string };
    const url = `/api/v1/students/${w.anna.uid}/diary?from=${WEEK.from}&to=${WEEK.to}`;
    const res = await fetch(`${server.url}${url}`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual((await get(url)).json());
  });
});

describe('lesson_audience keeps its lesson\'s date (migration 0007), whoever writes it', () => {
  it('copies the date on insert and follows a changed lesson date', async () => {
    const rows = await hub.rt.db('lesson_audience as la').join('lessons as l', 'l.id', 'la.lesson_id').select('la.date as copy', 'l.date');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.copy === r.date)).toBe(true);
    await hub.rt.db('lessons').where({ id: w.tue1.id }).update({ date: '2026-10-07' });
    expect(await hub.rt.db('lesson_audience').where({ lesson_id: w.tue1.id }).pluck('date')).toEqual(['2026-10-07']);
    await hub.rt.db('lessons').where({ id: w.tue1.id }).update({ date: '2026-10-06' });
  });
});
