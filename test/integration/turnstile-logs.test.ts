/**
 * Event logs and the card register: overlapping exports, a pass that comes both by push and by
 * log, unknown cards replayed after the register learns them, a lost card, and the Sigur and
 * ZKTeco variants end to end.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { build } from '../../src/api/app.ts';
import { createRunFor, executeRun, runNow } from '../../src/pipeline/execute.ts';
import { listRejects } from '../../src/pipeline/runs-store.ts';
import { fixture, type TestHub } from '../helpers/hub.ts';
import { clockAt, count, DAY, derive, derivedStatuses, device, lessonsFor, local, maxVersion, ok, personIds, push, turnstileHub } from '../helpers/turnstile.ts';

let h: TestHub | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const school = (f: string) => fixture('turnstile', 'school1', f);

describe('overlapping logs', () => {
  it('load each pass once and leave the attendance alone', async () => {
    h = await turnstileHub(clockAt(local(DAY, '15:00')));
    await lessonsFor(h.rt, DAY);
    await ok(runNow(h.rt, { instance: 'perco-sch-001', files: [school('perco-2026-10-01.csv')] }));
    await derive(h.rt, DAY);
    const before = { attendance: await maxVersion(h.rt, 'attendance'), statuses: await derivedStatuses(h.rt, DAY), events: await count(h.rt, 'access_events') };

    // The afternoon export repeats four passes of the morning one and adds two exits after lessons.
    const afternoon = await ok(runNow(h.rt, { instance: 'perco-sch-001', files: [school('perco-2026-10-01-afternoon.csv')] }));
    expect(afternoon.totals).toMatchObject({ read: 6, created: 2, unchanged: 4 });
    // The same morning export again: nothing new.
    const again = await ok(runNow(h.rt, { instance: 'perco-sch-001', files: [school('perco-2026-10-01.csv')] }));
    expect(again.totals).toMatchObject({ created: 0, unchanged: 16, rejected: 1 });
    expect(await count(h.rt, 'access_events')).toBe(before.events + 2);
    await derive(h.rt, DAY);
    expect(await maxVersion(h.rt, 'attendance')).toBe(before.attendance);
    expect(await derivedStatuses(h.rt, DAY)).toEqual(before.statuses);
  });

  it('keep one event for a pass pushed by the controller and found again in the log', async () => {
    const clock = clockAt(local(DAY, '15:00'));
    h = await turnstileHub(clock);
    const app = await build({ rt: h.rt });
    try {
      const gate = await device(h.rt, 'gate-sch-001', 'gate-1');
      // The controller writes the card in hex and the time in UTC; PERCo writes decimal and local time.
      const res = await push(app, 'gate-sch-001', gate, [{ time: '2026-10-01T04:12:40Z', direction: 'in', card: 'A18E41' }], { at: clock.now() });
      await executeRun(h.rt, (res.json() as { runId: string }).runId);
      expect(await count(h.rt, 'access_events')).toBe(1);
      const log = await ok(runNow(h.rt, { instance: 'perco-sch-001', files: [school('perco-2026-10-01.csv')] }));
      expect(log.totals).toMatchObject({ created: 14, unchanged: 2 });
      const ids = await personIds(h.rt);
      expect(await count(h.rt, 'access_events', { person_id: ids.get('1001')!, direction: 'in' })).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('count a read repeated within the duplicate window once; with a zero window twice', async () => {
    const strict = { name: 'perco-strict', connector: 'turnstile', organization: 'sch-001', mapping: 'perco', streams: ['events'], maxRejectRatio: 1, config: { duplicateWindowSeconds: 0 } };
    h = await turnstileHub(clockAt(local(DAY, '15:00')), { instances: [strict] });
    const ids = await personIds(h.rt);
    await ok(runNow(h.rt, { instance: 'perco-strict', files: [school('perco-2026-10-01.csv')] }));
    // 08:12:40 and 08:12:44 are 4 s apart: two passes without a window.
    expect(await count(h.rt, 'access_events', { person_id: ids.get('1001')!, direction: 'in' })).toBe(2);
  });
});

describe('the card register', () => {
  it('turns a rejected unknown card into a pass once the register knows it (replay)', async () => {
    h = await turnstileHub(clockAt(local(DAY, '15:00')));
    const first = await ok(runNow(h.rt, { instance: 'perco-sch-001', files: [school('perco-2026-10-01.csv')] }));
    expect(first.totals.rejected).toBe(1);
    const cards = await ok(runNow(h.rt, { instance: 'gate-sch-001', files: [school('cards-2026-10-02.csv')], streams: ['cards'] }));
    // 1011 lost card 4242009 (new card 4242012); card 99999999 now belongs to С03.
    expect(cards.totals).toMatchObject({ read: 15, created: 2, unchanged: 13, deleted: 1 });
    const replay = await executeRun(h.rt, await createRunFor(h.rt, { instance: 'perco-sch-001', replayOf: first.runId }));
    expect(replay.totals).toMatchObject({ read: 1, created: 1, rejected: 0 });
    const ids = await personIds(h.rt);
    expect(await count(h.rt, 'access_events', { person_id: ids.get('С03')! })).toBe(1);
    // The lost card no longer identifies anyone; the new one does.
    const later = await ok(runNow(h.rt, { instance: 'gate-sch-001', files: [school('passes-after-loss.csv')], streams: ['events'] }));
    expect(later.totals).toMatchObject({ created: 1, rejected: 1 });
    const [lost] = await listRejects(h.rt.db, later.runId);
    expect(lost).toMatchObject({ code: 'unknown_card' });
    expect(lost.message).toContain('card 4242009');
  });

  it('refuses a register that would drop most cards, unless confirmed', async () => {
    h = await turnstileHub(clockAt(local(DAY, '15:00')));
    const partial = school('cards-partial.csv');
    const small = await runNow(h.rt, { instance: 'gate-sch-001', files: [partial], streams: ['cards'] });
    expect(small.status).toBe('failed');
    expect(small.error?.code).toBe('snapshot_too_small');
    expect(small.error?.message).toMatch(/remove 11 of 14 cards/);
    expect(await count(h.rt, 'external_ids', { entity: 'card' })).toBe(14);
    const confirmed = await ok(runNow(h.rt, { instance: 'gate-sch-001', files: [partial], streams: ['cards'], confirm: true }));
    expect(confirmed.totals.deleted).toBe(11);
    expect(await count(h.rt, 'external_ids', { entity: 'card' })).toBe(3);
  });
});

describe('other vendors', () => {
  it('reads a Sigur log: DIRECTION 1 = exit, 2 = entry, CODEKEY in hex', async () => {
    const sigur = { name: 'sigur-sch-001', connector: 'turnstile', organization: 'sch-001', mapping: 'sigur', streams: ['events'], config: {} };
    h = await turnstileHub(clockAt(local(DAY, '15:00')), { instances: [sigur] });
    await lessonsFor(h.rt, DAY);
    await ok(runNow(h.rt, { instance: 'sigur-sch-001', files: [fixture('turnstile', 'logs', 'sigur-2026-10-01.csv')] }));
    const ids = await personIds(h.rt);
    const rows = await h.rt.db('access_events').orderBy('occurred_at').select('person_id', 'direction', 'occurred_at');
    expect(rows.map((r: { person_id: number; direction: string; occurred_at: string }) => [Number(r.person_id), r.direction, r.occurred_at])).toEqual([
      [ids.get('1001'), 'in', '2026-10-01T04:12:40.000Z'],
      [ids.get('1002'), 'in', '2026-10-01T04:37:30.000Z'],
      [ids.get('1002'), 'out', '2026-10-01T09:16:00.000Z'],
      [ids.get('1001'), 'out', '2026-10-01T09:20:05.000Z'],
    ]);
  });

  it('reads a ZKTeco attlog, inferring directions per person per day by alternation', async () => {
    const zk = { name: 'zk-sch-001', connector: 'turnstile', organization: 'sch-001', mapping: 'zkteco', maxRejectRatio: 1, config: {} };
    const clock = clockAt(local('2026-10-02', '15:00'));
    h = await turnstileHub(clock, { instances: [zk] });
    await ok(runNow(h.rt, { instance: 'zk-sch-001', files: [fixture('turnstile', 'logs', 'zkteco-users.csv')], streams: ['cards'] }));
    const run = await ok(runNow(h.rt, { instance: 'zk-sch-001', files: [fixture('turnstile', 'logs', 'attlog-2026-10-01.dat')], streams: ['events'] }));
    // 8 lines: 08:12:46 is 1001's 08:12:40 pass read again.
    expect(run.totals).toMatchObject({ read: 8, created: 7, unchanged: 1 });
    const ids = await personIds(h.rt);
    const rows = await h.rt.db('access_events').orderBy('occurred_at').select('person_id', 'direction', 'occurred_at');
    const code = new Map([...ids].map(([c, id]) => [id, c]));
    expect(rows.map((r: { person_id: number; direction: string; occurred_at: string }) => `${code.get(Number(r.person_id))} ${r.direction} ${r.occurred_at.slice(0, 19)}`)).toEqual([
      '1001 in 2026-10-01T04:12:40',
      '1002 in 2026-10-01T04:37:30',
      '1002 out 2026-10-01T07:02:00',
      '1002 in 2026-10-01T07:20:00',
      '1002 out 2026-10-01T09:16:00',
      '1001 out 2026-10-01T09:20:05',
      '1001 in 2026-10-02T04:10:00',
    ]);
  });
});
