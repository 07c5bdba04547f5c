/**
 * `rso-hub run <log instance>` on the embedded default (no Redis, no worker, no `serve`): the
 * derivation the load queued through the outbox runs before the command answers, so the user
 * sees the day's attendance, and a re-check scheduled for later does not keep the command waiting.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runAndWait } from '../../src/cli/commands/run.ts';
import { createRunFor } from '../../src/pipeline/execute.ts';
import { fixture, type TestHub } from '../helpers/hub.ts';
import { clockAt, count, DAY, derivedStatuses, lessonsFor, local, turnstileHub } from '../helpers/turnstile.ts';

let h: TestHub | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const log = fixture('turnstile', 'school1', 'perco-2026-10-01.csv');

describe('rso-hub run of an event log, embedded', () => {
  it('answers with the day derived', async () => {
    h = await turnstileHub(clockAt(local(DAY, '15:00')));
    await lessonsFor(h.rt, DAY);
    const summary = await runAndWait(h.rt, await createRunFor(h.rt, { instance: 'perco-sch-001', files: [log] }), 'perco-sch-001', false);
    expect(summary.status).toBe('succeeded');
    expect(summary.followUps).toBe(1);
    const statuses = await derivedStatuses(h.rt, DAY);
    expect(Object.keys(statuses).length).toBeGreaterThan(0);
    expect(Object.values(statuses)).toContain('present');
    expect(await count(h.rt, 'job_outbox')).toBe(0);
  });

  it('does not wait for a re-check scheduled after the deadline', async () => {
    const gate = { name: 'perco-live', connector: 'turnstile', organization: 'sch-001', mapping: 'perco', streams: ['events'], maxRejectRatio: 1, config: { attendance: { debounceSeconds: 0, deadlineRechecks: true } } };
    // 08:05: passes are in, the first lessons' deadlines (start + grace) are still ahead.
    h = await turnstileHub(clockAt(local(DAY, '08:05')), { instances: [gate] });
    await lessonsFor(h.rt, DAY);
    const started = Date.now();
    const summary = await runAndWait(h.rt, await createRunFor(h.rt, { instance: 'perco-live', files: [log] }), 'perco-live', false);
    expect(summary.status).toBe('succeeded');
    expect(summary.followUps).toBe(1);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
