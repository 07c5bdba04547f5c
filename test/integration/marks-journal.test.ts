/**
 * Issue 6 acceptance, the journal push API: POST /ingest/<instance> with an API client of scope
 * `ingest:journal`; marks, per-lesson attendance, topics, homework and teacher period marks land
 * idempotently by the journal's own ids; deletions are soft.
 */
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { build } from '../../src/api/app.ts';
import { createClient } from '../../src/api/auth/clients-store.ts';
import { executeRun } from '../../src/pipeline/execute.ts';
import { listRejects } from '../../src/pipeline/runs-store.ts';
import { tokenFor } from '../api/helpers.ts';
import { DIALECTS } from '../helpers/env.ts';
import { fixture, makeHub, type TestHub } from '../helpers/hub.ts';
import { addLessons, brief, markRows, marksInstances, NOW, prepareSchool } from './marks-setup.ts';

let h: TestHub | undefined;
let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  await h?.close();
  app = undefined;
  h = undefined;
});

const journal = { name: 'journal-sch-001', connector: 'journal', organization: 'sch-001', config: {} };
const batch = (name: string) => fs.readFileSync(fixture('journal', name));

async function setUp(dialect: 'sqlite' | 'mysql') {
  h = await makeHub({ dialect, instances: marksInstances([journal]), now: NOW });
  await prepareSchool(h.rt);
  // Monday 21 September, 5А: Russian in period 1, mathematics in period 2.
  const lessons = await addLessons(h.rt, [
    { className: '5А', date: '2026-09-21', period: 1, subject: 'Русский язык' },
    { className: '5А', date: '2026-09-21', period: 2, subject: 'Математика' },
  ]);
  app = await build({ rt: h.rt, now: NOW });
  const token = async (organizations: string[], resources: string[]) => {
    const { client, secret } = await createClient(h!.rt, { name: 'Электронный журнал', organizations, resources });
    return tokenFor(app!, client.clientId, secret);
  };
  return { lessons, token };
}

async function push(body: Buffer | string, token?: string) {
  const res = await app!.inject({
    method: 'POST', url: '/ingest/journal-sch-001', payload: body,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> };
}

/** Pushes and runs the batch's run here (no queue in the test): what a worker would do. */
async function pushAndRun(body: Buffer | string, token: string) {
  const res = await push(body, token);
  expect(res.status).toBe(202);
  return executeRun(h!.rt, String(res.body.runId));
}

describe.each(DIALECTS)('the journal push API (%s)', (dialect) => {
  it('needs an API client with the ingest:journal scope for this school', async () => {
    const { token } = await setUp(dialect);
    expect((await push(batch('batch-1.json'))).status).toBe(401);
    const reader = await token(['sch-001'], ['diary:read']);
    expect(await push(batch('batch-1.json'), reader)).toEqual({ status: 403, body: { error: expect.objectContaining({ code: 'insufficient_scope' }) } });
    const otherSchool = await token(['sch-002'], ['ingest:journal']);
    expect((await push(batch('batch-1.json'), otherSchool)).status).toBe(404);
    expect(Number((await h!.rt.db('ingest_batches').count({ n: '*' }).first())?.n)).toBe(0);
    const journalClient = await token(['sch-001'], ['ingest:journal']);
    const bad = await push('{"grades": []}', journalClient);
    expect(bad).toEqual({ status: 400, body: { error: expect.objectContaining({ code: 'invalid_body' }) } });
  });

  it('loads marks, attendance, topics, homework and period marks, attached to their lessons', async () => {
    const { lessons, token } = await setUp(dialect);
    const t = await token(['sch-001'], ['ingest:journal']);
    const accepted = await push(batch('batch-1.json'), t);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual(expect.objectContaining({ received: 10, rejected: [] }));
    const run = await executeRun(h!.rt, String(accepted.body.runId));
    expect(run.status).toBe('succeeded');
    expect(run.totals).toEqual(expect.objectContaining({ read: 10, created: 7, rejected: 2 }));
    expect((await markRows(h!.rt)).map(brief)).toEqual([
      '1001 Математика 2026-09-21 5 p2',
      '1002 Математика 2026-09-21 4- p2',
      // No period given: the day's lesson of the subject.
      '1011 Русский язык 2026-09-21 3 p1',
    ]);
    // "4-" reads 3.75 (the +/- step is 0.25, src/mapping/mark.ts).
    const m2 = (await markRows(h!.rt, { 'x.external_id': '1002' }))[0];
    expect([m2?.numeric, m2?.weight, m2?.workType]).toEqual([3.75, 1, 'Ответ на уроке']);
    expect((await listRejects(h!.rt.db, run.runId)).map((r: { position: string; code: string; message: string }) => [r.position, r.code, r.message])).toEqual([
      ['marks[4]', 'bad_mark', 'value (column "value"): "7" is not a mark (1-5 with optional +/-, зач, незач, н/а, осв)'],
      ['marks[3]', 'unknown_reference', 'student_id: no student with id "9999" is known to the hub'],
    ]);
    const attendance = await h!.rt.db('attendance').orderBy('nk').select('nk', 'status', 'lesson_id', 'minutes_late', 'precedence');
    expect(attendance.map((a: Record<string, unknown>) => ({ ...a, minutes_late: a.minutes_late === null ? null : Number(a.minutes_late), precedence: Number(a.precedence), lesson_id: Number(a.lesson_id) }))).toEqual([
      { nk: 'journal|sch-001|attendance|a-1', status: 'absent', lesson_id: lessons.get('5А 2026-09-21 1'), minutes_late: null, precedence: 100 },
      { nk: 'journal|sch-001|attendance|a-2', status: 'late', lesson_id: lessons.get('5А 2026-09-21 2'), minutes_late: 10, precedence: 100 },
    ]);
    const maths = lessons.get('5А 2026-09-21 2');
    expect(await h!.rt.db('lessons').where({ id: maths }).first('topic')).toEqual({ topic: 'Сложение дробей с разными знаменателями' });
    expect(await h!.rt.db('homework').select('lesson_id', 'text', 'due_date', 'date')).toEqual([{ lesson_id: maths, text: '№ 245, 247 (с. 61)', due_date: '2026-09-23', date: '2026-09-21' }]);
    const period = await h!.rt.db('period_marks').select('value', 'proposed', 'term_code', 'year_code');
    expect(period.map((p: Record<string, unknown>) => ({ ...p, proposed: Boolean(Number(p.proposed)) }))).toEqual([{ value: '5', proposed: false, term_code: '1', year_code: '2026/2027' }]);
  });

  it('applies items in the order they arrived when later batches join a queued run', async () => {
    const { token } = await setUp(dialect);
    const t = await token(['sch-001'], ['ingest:journal']);
    const first = await push(JSON.stringify({ marks: [{ id: 'm-9', student: '1001', subject: 'Математика', date: '2026-09-21', value: '5' }] }), t);
    // The teacher corrects, then deletes the mark before any worker took the run.
    const second = await push(JSON.stringify({ marks: [{ id: 'm-9', student: '1001', subject: 'Математика', date: '2026-09-21', value: '3' }] }), t);
    const third = await push(JSON.stringify({ marks: [{ id: 'm-9', deleted: true }] }), t);
    expect([second.body.runId, third.body.runId]).toEqual([first.body.runId, first.body.runId]);
    const run = await executeRun(h!.rt, String(first.body.runId));
    expect(run.streams.marks).toEqual(expect.objectContaining({ read: 3, created: 0, deleted: 0, notes: { superseded: 2 } }));
    expect(await markRows(h!.rt)).toEqual([]);
  });

  it('attaches a mark to the lesson of the student\'s own subgroup', async () => {
    const { token } = await setUp(dialect);
    // English splits 5А: group 1 in period 3, group 2 in period 4.
    await addLessons(h!.rt, [
      { className: '5А', group: 'Группа №1', date: '2026-09-21', period: 3, subject: 'Английский язык' },
      { className: '5А', group: 'Группа №2', date: '2026-09-21', period: 4, subject: 'Английский язык' },
    ]);
    const t = await token(['sch-001'], ['ingest:journal']);
    const body = { marks: [1001, 1002, 1011].map((s) => ({ id: `en-${s}`, student: String(s), subject: 'Английский язык', date: '2026-09-21', value: '5' })) };
    await pushAndRun(JSON.stringify(body), t);
    expect((await markRows(h!.rt)).map(brief)).toEqual([
      '1001 Английский язык 2026-09-21 5 p3',
      '1002 Английский язык 2026-09-21 5 p4',
      '1011 Английский язык 2026-09-21 5 p3',
    ]);
  });

  it('is idempotent by the journal\'s ids: the same items again change nothing', async () => {
    const { token } = await setUp(dialect);
    const t = await token(['sch-001'], ['ingest:journal']);
    await pushAndRun(batch('batch-1.json'), t);
    const versions = await h!.rt.db('cv_sequence').first('value');
    // The very same body is recognised as the same batch and not run again.
    expect((await push(batch('batch-1.json'), t)).body).toEqual(expect.objectContaining({ duplicate: true }));
    // The same items in another body (re-serialised) are a new batch that writes nothing.
    const again = await pushAndRun(JSON.stringify(JSON.parse(batch('batch-1.json').toString())), t);
    expect(again.totals).toEqual(expect.objectContaining({ created: 0, updated: 0, deleted: 0, unchanged: 8 }));
    expect(await h!.rt.db('cv_sequence').first('value')).toEqual(versions);
  });

  it('applies corrections and deletions: one mark updated, one deleted, attendance and homework withdrawn', async () => {
    const { lessons, token } = await setUp(dialect);
    const t = await token(['sch-001'], ['ingest:journal']);
    await pushAndRun(batch('batch-1.json'), t);
    const before = await h!.rt.db('marks').orderBy('id').select('id', 'uid', 'nk', 'change_version');
    const run = await pushAndRun(batch('batch-2.json'), t);
    expect(run.streams.marks).toEqual(expect.objectContaining({ updated: 1, deleted: 1, created: 0 }));
    expect(run.streams.attendance).toEqual(expect.objectContaining({ deleted: 1 }));
    expect(run.streams.homework).toEqual(expect.objectContaining({ deleted: 1 }));
    expect(run.streams.topics).toEqual(expect.objectContaining({ updated: 1 }));
    expect((await markRows(h!.rt)).map(brief)).toEqual(['1001 Математика 2026-09-21 4 p2', '1011 Русский язык 2026-09-21 3 p1']);
    // Soft deletes: the rows stay, with deleted_at and a new change version for the change feed.
    const after = await h!.rt.db('marks').orderBy('id').select('id', 'uid', 'nk', 'change_version', 'deleted_at');
    expect(after.map((m: { uid: string }) => m.uid)).toEqual(before.map((m: { uid: string }) => m.uid));
    const m2 = after.find((m: { nk: string }) => m.nk === 'journal|sch-001|mark|m-2');
    expect(m2.deleted_at).not.toBeNull();
    expect(Number(m2.change_version)).toBeGreaterThan(Math.max(...before.map((m: { change_version: number }) => Number(m.change_version))));
    expect(await h!.rt.db('attendance').whereNull('deleted_at').pluck('nk')).toEqual(['journal|sch-001|attendance|a-2']);
    expect(await h!.rt.db('homework').whereNull('deleted_at').count({ n: '*' }).first()).toEqual({ n: 0 });
    expect(await h!.rt.db('lessons').where({ id: lessons.get('5А 2026-09-21 2') }).first('topic')).toEqual({ topic: 'Сложение и вычитание дробей' });
    // A deletion sent twice finds nothing left to delete.
    const twice = await pushAndRun(JSON.stringify({ marks: [{ id: 'm-2', deleted: true }], topics: [{ id: 'l-1', deleted: true }] }), t);
    expect(twice.streams.marks).toEqual(expect.objectContaining({ deleted: 0 }));
    expect(twice.streams.topics).toEqual(expect.objectContaining({ deleted: 1 }));
    expect(await h!.rt.db('lessons').where({ id: lessons.get('5А 2026-09-21 2') }).first('topic')).toEqual({ topic: null });
  });
});
