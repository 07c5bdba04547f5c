/**
 * POST /ingest/<instance> with turnstile batches, through build() and app.inject(): what a
 * controller gets back, what is stored before the answer, and that the push path ends in the
 * school-day's attendance with no manual step (inline queue: run, outbox relay, derivation).
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { signBatch } from '../../connectors/turnstile/signature.ts';
import { build } from '../../src/api/app.ts';
import { revokeDevice } from '../../src/db/ingest-devices.ts';
import { executeRun } from '../../src/pipeline/execute.ts';
import { listRejects } from '../../src/pipeline/runs-store.ts';
import { createInlineQueue } from '../../src/queue/inline.ts';
import { loadJobs } from '../../src/queue/jobs.ts';
import { DIALECTS, type Dialect } from '../helpers/env.ts';
import type { TestHub } from '../helpers/hub.ts';
import { clockAt, count, DAY, derivedStatuses, device, lessonsFor, local, maxVersion, personIds, push, turnstileHub, type Clock } from '../helpers/turnstile.ts';

let h: TestHub | undefined;
let app: FastifyInstance | undefined;
let queue: Awaited<ReturnType<typeof inlineQueue>> | undefined;
afterEach(async () => {
  await app?.close();
  await queue?.close();
  await h?.close();
  h = app = queue = undefined;
});

const inlineQueue = async (t: TestHub) => createInlineQueue(t.rt, await loadJobs());

async function setup(clock: Clock, extra: Record<string, unknown> = {}, dialect: Dialect = 'sqlite') {
  h = await turnstileHub(clock, { extra, dialect });
  await lessonsFor(h.rt, DAY);
  queue = await inlineQueue(h);
  app = await build({ rt: h.rt, queue });
  return { h, app, queue, gate: await device(h.rt, 'gate-sch-001', 'gate-1') };
}

const pass = (time: string, direction: 'in' | 'out', card: string) => ({ time: `${DAY}T${time}+04:00`, direction, card, device: 'gate-1' });

describe.each(DIALECTS)('a signed push (%s)', (dialect) => {
  it('is taken at /ingest/turnstile/<instance> too, and not under another connector\'s name', async () => {
    const clock = clockAt(local(DAY, '15:00'));
    const s = await setup(clock, {}, dialect);
    const body = [pass('08:12:40', 'in', '161.36417')];
    const wrong = await push(s.app, 'gate-sch-001', s.gate, body, { at: clock.now(), url: '/ingest/journal/gate-sch-001' });
    expect(wrong.statusCode).toBe(404);
    expect(await count(h!.rt, 'ingest_batches')).toBe(0);
    const res = await push(s.app, 'gate-sch-001', s.gate, body, { at: clock.now(), url: '/ingest/turnstile/gate-sch-001' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ received: 1, rejected: [] });
    expect(await count(h!.rt, 'ingest_batches')).toBe(1);
  });

  it('is stored before the 202, names rejected passes by index, and ends in attendance', async () => {
    const clock = clockAt(local(DAY, '15:00'));
    const s = await setup(clock, {}, dialect);
    const body = { events: [
      pass('08:12:40', 'in', '161.36417'),
      { time: `${DAY}T08:20:00+04:00`, card: '4242009' },
      pass('08:37:30', 'in', '0xA18E42'),
      pass('08:40:00', 'in', '5550001'),
      { time: '2000-01-01T00:00:03+04:00', direction: 'in', card: '4242001' },
    ] };
    const res = await push(s.app, 'gate-sch-001', s.gate, body, { at: clock.now() });
    expect(res.statusCode).toBe(202);
    const answer = res.json() as { batchId: string; runId: string; received: number; rejected: { position: string; code: string; message: string }[] };
    expect(answer).toMatchObject({ received: 4, rejected: [{ position: 'events[1]', code: 'invalid_pass' }] });
    expect(answer.rejected[0]!.message).toMatch(/direction/);
    // Durable before the answer: the batch and its run.
    expect(await h!.rt.db('ingest_batches').where({ id: answer.batchId }).first('run_id', 'source')).toEqual({ run_id: answer.runId, source: 'device:gate-1' });

    await s.queue.settled();
    const run = await h!.rt.db('runs').where({ id: answer.runId }).first('status');
    expect(run.status).toBe('succeeded');
    expect(await count(h!.rt, 'access_events')).toBe(2);
    const rejects = await listRejects(h!.rt.db, answer.runId);
    expect(rejects.map((r: { position: string; code: string }) => [r.position, r.code])).toEqual([
      ['events[1]', 'invalid_pass'], ['events[3]', 'unknown_card'], ['events[4]', 'clock_fault'],
    ]);
    expect(rejects[1].message).toContain('card 5550001');
    // No manual step: the run's outbox asked for the school-day's derivation.
    expect(await derivedStatuses(h!.rt, DAY)).toMatchObject({ 1001: 'present', 1002: 'late 7', 1005: 'absent' });
  });

  it('is one batch when the same body comes twice, and a re-sent batch changes nothing', async () => {
    const clock = clockAt(local(DAY, '15:00'));
    const s = await setup(clock, {}, dialect);
    const passes = [pass('08:12:40', 'in', '161.36417'), pass('08:37:30', 'in', '0xA18E42'), pass('13:16:00', 'out', '10587714')];
    const first = (await push(s.app, 'gate-sch-001', s.gate, passes, { at: clock.now() })).json() as { batchId: string };
    await s.queue.settled();
    const versions = { events: await maxVersion(h!.rt, 'access_events'), attendance: await maxVersion(h!.rt, 'attendance') };
    const statuses = await derivedStatuses(h!.rt, DAY);

    clock.set(local(DAY, '15:01'));
    const again = await push(s.app, 'gate-sch-001', s.gate, passes, { at: clock.now() });
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ batchId: first.batchId, duplicate: true });
    // The controller re-sends the same passes in another batch (another order, other bytes).
    const resent = (await push(s.app, 'gate-sch-001', s.gate, { events: [...passes].reverse() }, { at: clock.now() })).json() as { runId: string };
    await s.queue.settled();
    expect(await h!.rt.db('runs').where({ id: resent.runId }).first('counts').then((r: { counts: string }) => JSON.parse(r.counts).events)).toMatchObject({ read: 3, created: 0, unchanged: 3 });
    expect(await count(h!.rt, 'ingest_batches')).toBe(2);
    expect(await count(h!.rt, 'access_events')).toBe(3);
    expect({ events: await maxVersion(h!.rt, 'access_events'), attendance: await maxVersion(h!.rt, 'attendance') }).toEqual(versions);
    expect(await derivedStatuses(h!.rt, DAY)).toEqual(statuses);
  });

  it('re-derives the day when passes arrive out of order and hours late', async () => {
    const clock = clockAt(local(DAY, '09:30'));
    const s = await setup(clock, {}, dialect);
    await push(s.app, 'gate-sch-001', s.gate, [pass('08:12:40', 'in', '161.36417'), pass('09:10:00', 'in', '0xA18E42')], { at: clock.now() });
    await s.queue.settled();
    expect(await derivedStatuses(h!.rt, DAY)).toMatchObject({ 1001: 'present', 1002: 'late 40', 1007: 'absent' });
    const signalOf1007 = async () => count(h!.rt, 'attendance_signals', { student_id: (await personIds(h!.rt)).get('1007')! });
    expect(await signalOf1007()).toBe(1);

    // At 10:30 the controller that lost its connection delivers 08:25 (1007) and 08:37:30 (1002).
    clock.set(local(DAY, '10:30'));
    await push(s.app, 'gate-sch-001', s.gate, [pass('08:37:30', 'in', '10587714'), pass('08:25:00', 'in', '4242005')], { at: clock.now() });
    await s.queue.settled();
    expect(await derivedStatuses(h!.rt, DAY)).toMatchObject({ 1001: 'present', 1002: 'late 7', 1007: 'present' });
    // Replaced, not added: one derived row per student; the morning's alert stays the only one.
    expect(await count(h!.rt, 'attendance', { date: DAY, precedence: 10 })).toBe(Object.keys(await derivedStatuses(h!.rt, DAY)).length);
    expect(await signalOf1007()).toBe(1);
  });
});

describe.each(DIALECTS)('a burst of pushes (%s)', (dialect) => {
  it('joins the run still waiting for a worker: one run loads every batch, positions name their batch', async () => {
    const clock = clockAt(local(DAY, '15:00'));
    h = await turnstileHub(clock, { dialect });
    app = await build({ rt: h.rt });
    const gate = await device(h.rt, 'gate-sch-001', 'gate-1');
    const answers = [];
    for (const [i, card] of ['161.36417', '0xA18E42', '5550001'].entries()) {
      answers.push((await push(app, 'gate-sch-001', gate, [pass(`08:1${i}:00`, 'in', card)], { at: clock.now() })).json() as { batchId: string; runId: string });
    }
    expect(new Set(answers.map((a) => a.runId)).size).toBe(1);
    expect(new Set(answers.map((a) => a.batchId)).size).toBe(3);
    const run = await executeRun(h.rt, answers[0]!.runId);
    expect(run.totals).toMatchObject({ read: 3, created: 2, rejected: 1 });
    const [reject] = await listRejects(h.rt.db, run.runId);
    expect(reject.position).toBe(`events[0] of batch ${answers[2]!.batchId}`);
    // Once a worker took the run, the next batch starts a new one.
    const later = (await push(app, 'gate-sch-001', gate, [pass('08:20:00', 'in', '4242001')], { at: clock.now() })).json() as { runId: string };
    expect(later.runId).not.toBe(answers[0]!.runId);
  });
});

describe('a refused push', () => {
  it('gets the right status and a clear error, stores nothing, and the endpoint keeps answering', async () => {
    const clock = clockAt(local(DAY, '09:00'));
    const s = await setup(clock, { limits: { maxBodyBytes: 1024 } });
    const body = [pass('08:12:40', 'in', '161.36417')];
    const raw = JSON.stringify(body);
    const stale = new Date(clock.now().getTime() - 6 * 60_000);
    const revoked = await device(h!.rt, 'gate-sch-001', 'gate-old');
    await revokeDevice(h!.rt.db, 'gate-sch-001', 'gate-old', clock.now());
    const cases = [
      { name: 'bad signature', res: await push(s.app, 'gate-sch-001', s.gate, body, { at: clock.now(), signature: 'ab'.repeat(32) }), status: 401, code: 'bad_signature', message: /X-Signature does not match/ },
      { name: 'body changed after signing', res: await push(s.app, 'gate-sch-001', s.gate, body, { at: clock.now(), raw: raw.replace('08:12', '08:02'), signature: signBatch(s.gate.secret, Math.floor(clock.now().getTime() / 1000), raw) }), status: 401, code: 'bad_signature', message: /X-Signature does not match/ },
      { name: 'stale timestamp', res: await push(s.app, 'gate-sch-001', s.gate, body, { at: stale }), status: 401, code: 'stale_request', message: /360 s away from the hub's clock/ },
      { name: 'malformed JSON', res: await push(s.app, 'gate-sch-001', s.gate, undefined, { at: clock.now(), raw: '[{"time": "2026-10-01T08:12:40+04:00",' }), status: 400, code: 'invalid_body', message: /not valid JSON/ },
      { name: 'not a list of passes', res: await push(s.app, 'gate-sch-001', s.gate, { pass: 1 }, { at: clock.now() }), status: 400, code: 'invalid_body', message: /JSON array of passes/ },
      { name: 'body over the limit', res: await push(s.app, 'gate-sch-001', s.gate, Array.from({ length: 20 }, () => body[0]), { at: clock.now() }), status: 413, code: 'body_too_large', message: /maxBodyBytes/ },
      { name: 'unknown device', res: await push(s.app, 'gate-sch-001', { id: 'gate-9', secret: s.gate.secret }, body, { at: clock.now() }), status: 401, code: 'bad_signature', message: /device "gate-9" is not registered/ },
      { name: 'revoked device', res: await push(s.app, 'gate-sch-001', revoked, body, { at: clock.now() }), status: 401, code: 'bad_signature', message: /device "gate-old" is not registered .* or it was revoked/ },
      { name: 'no signature headers', res: await s.app.inject({ method: 'POST', url: '/ingest/gate-sch-001', payload: raw, headers: { 'content-type': 'application/json' } }), status: 401, code: 'bad_signature', message: /X-Device, X-Timestamp/ },
    ];
    for (const c of cases) {
      expect(c.res.statusCode, c.name).toBe(c.status);
      const err = (c.res.json() as { error: { code: string; message: string } }).error;
      expect(err.code, c.name).toBe(c.code);
      expect(err.message, c.name).toMatch(c.message);
    }
    expect(await count(h!.rt, 'ingest_batches')).toBe(0);
    expect(await count(h!.rt, 'runs', { kind: 'ingest' })).toBe(0);
    expect(await count(h!.rt, 'access_events')).toBe(0);

    const good = await push(s.app, 'gate-sch-001', s.gate, body, { at: clock.now() });
    expect(good.statusCode).toBe(202);
    expect((await s.app.inject('/healthz')).statusCode).toBe(200);
  });
});
