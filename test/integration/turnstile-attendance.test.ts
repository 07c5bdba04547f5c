/**
 * Attendance derived from turnstile passes, with expectations computed by hand from
 * fixtures/turnstile/school1/perco-2026-10-01.csv and the timetable in test/helpers/turnstile.ts
 * (bells 08:30, 09:25, 10:30, 11:35, 12:30, 13:25; grace 15 minutes; Samara time).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { listRejects } from '../../src/pipeline/runs-store.ts';
import { runNow } from '../../src/pipeline/execute.ts';
import { DIALECTS } from '../helpers/env.ts';
import { fixture, type TestHub } from '../helpers/hub.ts';
import { attendanceByCode, clockAt, count, DAY, derive, derivedStatuses, journalEntry, lessonsFor, local, ok, personIds, turnstileHub } from '../helpers/turnstile.ts';

let h: TestHub | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const log = fixture('turnstile', 'school1', 'perco-2026-10-01.csv');

describe.each(DIALECTS)('a school day from the PERCo log (%s)', (dialect) => {
  it('gives each student the status computed by hand', async () => {
    const clock = clockAt(local(DAY, '15:00'));
    h = await turnstileHub(clock, { dialect });
    await lessonsFor(h.rt, DAY);
    await journalEntry(h.rt, '1008', DAY, 'excused');
    const run = await ok(runNow(h.rt, { instance: 'perco-sch-001', files: [log] }));
    // 17 lines: 15 passes stored, the 08:12:44 re-read of 1001's card is the 08:12:40 pass, and
    // card 99999999 is in no register.
    expect(run.totals).toMatchObject({ read: 17, created: 15, unchanged: 1, rejected: 1 });
    const [reject] = await listRejects(h.rt.db, run.runId);
    expect(reject).toMatchObject({ code: 'unknown_card', field: 'card', position: 'perco-2026-10-01.csv line 13' });
    expect(reject.message).toContain('card 99999999');
    expect(JSON.parse(reject.raw)).toMatchObject({ IDENTIFIER: '99999999' });

    const summary = await derive(h.rt, DAY);
    expect(await derivedStatuses(h.rt, DAY)).toEqual({
      1001: 'present', // in 08:12:40, first lesson 08:30
      1002: 'late 7', // in 08:37:30: 7 whole minutes after 08:30
      1003: 'present', // entered twice (09:05, 09:06:30); 6Б starts at 09:25
      1004: 'present', // in 09:10: his subgroup's first lesson is 09:25, not group 1's 08:30
      1005: 'absent', // no pass at all
      1006: 'present', // only an exit (14:15, after the last lesson began): he was inside
      1007: 'absent', // no pass in this log
      1009: 'present', // in 08:30:59: within the first minute
      1010: 'late 1', // in 08:31:00
      1011: 'left_early', // in 08:20, out 10:40, no return before the last lesson (12:30)
      // 1008: the teacher's journal entry decides; 1012 (1В) has no lessons that day.
    });
    expect((await attendanceByCode(h.rt, DAY)).get('1008')).toEqual([{ status: 'excused', minutesLate: null, precedence: 100 }]);
    expect(summary).toMatchObject({ students: 11, keptJournal: 1, signals: 2, statuses: { present: 5, late: 2, absent: 2, left_early: 1 } });

    // Both passes of the student who entered twice are kept as passes.
    const ids = await personIds(h.rt);
    expect(await count(h.rt, 'access_events', { person_id: ids.get('1003')! })).toBe(2);
    // One "absent, no entry" signal each for 1005 and 1007; none for the excused 1008.
    const signals = await h.rt.db('attendance_signals').where({ date: DAY }).select('student_id', 'kind', 'deadline_at');
    expect(signals.map((s: { student_id: number }) => Number(s.student_id)).sort()).toEqual([ids.get('1005'), ids.get('1007')].sort());
    expect(signals[0]).toMatchObject({ kind: 'absent_no_entry', deadline_at: '2026-10-01T04:45:00.000Z' });

    // Deriving again changes nothing and raises no second signal.
    const again = await derive(h.rt, DAY);
    expect(again).toMatchObject({ created: 0, updated: 0, deleted: 0, signals: 0, unchanged: 10 });
    expect(await count(h.rt, 'attendance_signals')).toBe(2);
  });
});

describe('absence is decided at the first lesson + grace', () => {
  it('leaves a student without passes open until 08:45 and marks him absent after', async () => {
    const clock = clockAt(local(DAY, '08:40'));
    h = await turnstileHub(clock);
    await lessonsFor(h.rt, DAY);
    const run = await ok(runNow(h.rt, { instance: 'perco-sch-001', files: [log] }));
    // Passes after 08:45 (the clock + 5 minutes) cannot have happened yet: clock faults.
    const codes = (await listRejects(h.rt.db, run.runId)).map((r: { code: string }) => r.code);
    expect(codes.filter((c: string) => c === 'clock_fault')).toHaveLength(8);
    const early = await derive(h.rt, DAY);
    expect((await derivedStatuses(h.rt, DAY))['1005']).toBeUndefined();
    expect(early.nextDeadline?.toISOString()).toBe('2026-10-01T04:45:00.000Z');
    clock.set(local(DAY, '08:45'));
    await derive(h.rt, DAY);
    expect((await derivedStatuses(h.rt, DAY))['1005']).toBe('absent');
    // 1003 (6Б) starts at 09:25: still open at 08:45.
    expect((await derivedStatuses(h.rt, DAY))['1003']).toBeUndefined();
  });
});

describe('days without derivation', () => {
  it('derives nothing on a holiday', async () => {
    const holiday = '2026-10-27';
    const clock = clockAt(local(holiday, '15:00'));
    h = await turnstileHub(clock);
    await lessonsFor(h.rt, holiday);
    await ok(runNow(h.rt, { instance: 'gate-sch-001', files: [fixture('turnstile', 'school1', 'holiday.csv')], streams: ['events'] }));
    expect(await count(h.rt, 'access_events')).toBe(2);
    expect(await derive(h.rt, holiday)).toMatchObject({ skipped: 'holiday' });
    expect(await count(h.rt, 'attendance')).toBe(0);
    expect(await count(h.rt, 'attendance_signals')).toBe(0);
  });

  it('derives nothing for a day on which the turnstile reported no pass', async () => {
    const clock = clockAt(local(DAY, '15:00'));
    h = await turnstileHub(clock);
    await lessonsFor(h.rt, DAY);
    expect(await derive(h.rt, DAY)).toMatchObject({ skipped: 'no_passes' });
    expect(await count(h.rt, 'attendance')).toBe(0);
  });
});
