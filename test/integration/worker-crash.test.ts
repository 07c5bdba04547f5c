/** SIGKILL a worker mid-run (MariaDB + BullMQ): a new worker resumes from the last checkpoint. */
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRunFor, runNow } from '../../src/pipeline/execute.ts';
import { createQueue } from '../../src/queue/index.ts';
import type { Runtime } from '../../src/runtime.ts';
import { MYSQL_URL, REDIS_URL } from '../helpers/env.ts';
import { makeHub, type TestHub } from '../helpers/hub.ts';
import { startWorker, stop, waitFor } from '../helpers/processes.ts';
import { writeRoster } from '../helpers/roster-gen.ts';

const PREFIX = `test-crash-${process.pid}`;
const STUDENTS = 8000;

/** What a user relies on, without internal ids and change versions. */
async function snapshot(rt: Runtime) {
  const persons = (await rt.db('persons').select('content_hash').orderBy('content_hash')).map((r: { content_hash: string }) => r.content_hash);
  const placed = await rt.db('enrollments as e').join('external_ids as x', function () { this.on('x.core_id', '=', 'e.person_id').andOnVal('x.entity', '=', 'person'); })
    .join('classes as c', 'c.id', 'e.class_id').select('x.external_id', 'c.name', 'e.from_date', 'e.to_date', 'e.reason_in').orderBy('x.external_id');
  const classes = (await rt.db('classes').select('content_hash').orderBy('content_hash')).map((r: { content_hash: string }) => r.content_hash);
  return { persons, placed, classes };
}

describe.skipIf(!MYSQL_URL || !REDIS_URL)('a worker killed after a committed checkpoint', () => {
  let h: TestHub;
  let clean: TestHub | undefined;
  const workers: ReturnType<typeof startWorker>[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((w) => stop(w, 'SIGKILL')));
    await h?.close();
    await clean?.close();
    const r = new Redis(REDIS_URL!);
    const keys = await r.keys(`${PREFIX}:*`);
    if (keys.length) await r.del(...keys);
    r.disconnect();
  });

  it('resumes from that checkpoint on restart and ends with the data of a clean run', async () => {
    const instance = { name: 'crashy', connector: 'roster', organization: 'sch-001', mapping: 'v1', dropFolder: './in', chunkSize: 250, config: {} };
    h = await makeHub({ dialect: 'mysql', instances: [instance] });
    writeRoster(path.join(h.dir, 'in'), { students: STUDENTS, prefix: 'c-', tag: 'К' });
    // Short lock and stall intervals so that the test does not wait BullMQ's 30 s defaults.
    const env = { REDIS_URL: REDIS_URL!, HUB_QUEUE_PREFIX: PREFIX, HUB_LOCK_TTL_MS: '2000', HUB_LOCK_DURATION_MS: '1500', HUB_STALLED_INTERVAL_MS: '1000' };
    const first = startWorker(h.configFile, env);
    workers.push(first);
    const runId = await createRunFor(h.rt, { instance: 'crashy' });
    const queue = await createQueue(h.rt, { REDIS_URL: REDIS_URL!, HUB_QUEUE_PREFIX: PREFIX });
    await queue.enqueue('run-instance', { runId, instance: 'crashy' }, { jobId: `run-${runId}` });
    await queue.close();

    const cp = await waitFor('a committed checkpoint', async () => {
      const row = await h.rt.db('checkpoints').where({ run_id: runId, stream: 'students' }).first('state');
      const state = row ? (JSON.parse(row.state) as { records: number; done: boolean }) : undefined;
      return state && state.records >= 1000 ? state : undefined;
    }, 120_000, 50);
    await stop(first, 'SIGKILL');
    const atKill = JSON.parse((await h.rt.db('checkpoints').where({ run_id: runId, stream: 'students' }).first('state')).state) as { records: number; done: boolean };
    expect(atKill.done).toBe(false);
    expect(atKill.records).toBeGreaterThanOrEqual(cp.records);
    expect(atKill.records).toBeLessThan(STUDENTS);
    expect((await h.rt.db('runs').where({ id: runId }).first('status')).status).toBe('running');

    workers.push(startWorker(h.configFile, env));
    await waitFor('the resumed run', async () => (await h.rt.db('runs').where({ id: runId }).first('status'))?.status === 'succeeded', 180_000, 200);
    const run = await h.rt.db('runs').where({ id: runId }).first('counts');
    const counts = JSON.parse(run.counts).students;

    clean = await makeHub({ instances: [{ ...instance, dropFolder: path.join(h.dir, 'in') }] });
    const cleanRun = await runNow(clean.rt, { instance: 'crashy' });
    expect(counts).toEqual(cleanRun.streams.students);
    expect(counts.created).toBe(2 * STUDENTS);
    expect(await snapshot(h.rt)).toEqual(await snapshot(clean.rt));
  }, 400_000);
});
