/**
 * The grown setup (MariaDB + BullMQ): a signed push ends in attendance through the Redis queue,
 * the run-instance job relaying the derivation from the job outbox with the queue it runs on.
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { build } from '../../src/api/app.ts';
import { createQueue } from '../../src/queue/index.ts';
import type { HubQueue } from '../../src/queue/types.ts';
import { MYSQL_URL, REDIS_URL } from '../helpers/env.ts';
import type { TestHub } from '../helpers/hub.ts';
import { waitFor } from '../helpers/processes.ts';
import { clockAt, count, DAY, derivedStatuses, device, lessonsFor, local, push, turnstileHub } from '../helpers/turnstile.ts';

const PREFIX = `test-turnstile-${process.pid}`;
let h: TestHub | undefined;
let queue: HubQueue | undefined;
afterEach(async () => {
  await queue?.close();
  await h?.close();
  if (!REDIS_URL) return;
  const r = new Redis(REDIS_URL);
  const keys = await r.keys(`${PREFIX}:*`);
  if (keys.length) await r.del(...keys);
  r.disconnect();
});

describe.skipIf(!MYSQL_URL || !REDIS_URL)('a push on MariaDB with BullMQ workers', () => {
  it('is loaded and derived with no manual step', async () => {
    const clock = clockAt(local(DAY, '15:00'));
    h = await turnstileHub(clock, { dialect: 'mysql' });
    await lessonsFor(h.rt, DAY);
    queue = await createQueue(h.rt, { REDIS_URL: REDIS_URL!, HUB_QUEUE_PREFIX: PREFIX });
    await queue.startWorker({ concurrency: 2 });
    const app = await build({ rt: h.rt, queue });
    try {
      const gate = await device(h.rt, 'gate-sch-001', 'gate-1');
      const res = await push(app, 'gate-sch-001', gate, [
        { time: `${DAY}T08:12:40+04:00`, direction: 'in', card: '161.36417' },
        { time: `${DAY}T08:37:30+04:00`, direction: 'in', card: '0xA18E42' },
      ], { at: clock.now() });
      expect(res.statusCode).toBe(202);
      await waitFor('derived attendance', async () => (await count(h!.rt, 'attendance', { date: DAY })) > 0, 60_000, 200);
      expect(await derivedStatuses(h.rt, DAY)).toMatchObject({ 1001: 'present', 1002: 'late 7', 1005: 'absent' });
      expect(await count(h.rt, 'job_outbox')).toBe(0);
    } finally {
      await app.close();
    }
  });
});
