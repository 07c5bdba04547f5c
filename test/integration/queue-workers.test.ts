/** Two workers, 20 runs of 10 instances (MariaDB + BullMQ). */
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRunFor } from '../../src/pipeline/execute.ts';
import { createQueue } from '../../src/queue/index.ts';
import { MYSQL_URL, REDIS_URL } from '../helpers/env.ts';
import { makeHub, type TestHub } from '../helpers/hub.ts';
import { runsDone, startWorker, stop, waitFor } from '../helpers/processes.ts';
import { writeRoster } from '../helpers/roster-gen.ts';

const PREFIX = `test-q-${process.pid}`;
const schools = Array.from({ length: 10 }, (_, i) => `q-${i}`);

describe.skipIf(!MYSQL_URL || !REDIS_URL)('two workers', () => {
  let h: TestHub;
  const workers: ReturnType<typeof startWorker>[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((w) => stop(w)));
    await h?.close();
    const r = new Redis(REDIS_URL!);
    const keys = await r.keys(`${PREFIX}:*`);
    if (keys.length) await r.del(...keys);
    r.disconnect();
  });

  it('run different instances at once, never one instance twice at once, and load no duplicates', async () => {
    const instances = schools.map((s, i) => ({ name: `roster-${s}`, connector: 'roster', organization: s, mapping: 'v1', dropFolder: `./${s}`, chunkSize: 300, config: {} , _i: i }));
    h = await makeHub({ dialect: 'mysql', extraSchools: schools, instances: instances.map(({ _i, ...x }) => x) });
    for (const [i, s] of schools.entries()) writeRoster(path.join(h.dir, s), { students: 600, prefix: `s${i}-`, tag: `Ш${i}` });
    const env = { REDIS_URL: REDIS_URL!, HUB_QUEUE_PREFIX: PREFIX, HUB_LOCK_TTL_MS: '5000' };
    workers.push(startWorker(h.configFile, env, ['--concurrency', '3']), startWorker(h.configFile, env, ['--concurrency', '3']));
    const rt = h.rt;
    const queue = await createQueue(rt, { REDIS_URL: REDIS_URL!, HUB_QUEUE_PREFIX: PREFIX });
    const ids: string[] = [];
    for (let round = 0; round < 2; round++) {
      for (const inst of instances) {
        const id = await createRunFor(rt, { instance: inst.name });
        ids.push(id);
        await queue.enqueue('run-instance', { runId: id, instance: inst.name }, { jobId: `run-${id}` });
        // The same deterministic job id again is a no-op.
        await queue.enqueue('run-instance', { runId: id, instance: inst.name }, { jobId: `run-${id}` });
      }
    }
    await queue.close();
    await waitFor('all 20 runs', () => runsDone(rt.db, ids), 240_000, 500).catch((e: Error) => {
      throw new Error(`${e.message}\n${workers.map((w) => w.output.join('')).join('\n---\n').slice(-3000)}`);
    });
    const runs = await rt.db('runs').whereIn('id', ids).select('id', 'instance', 'status', 'started_at', 'finished_at', 'worker', 'counts');
    expect(runs.every((r: { status: string }) => r.status === 'succeeded')).toBe(true);
    const span = (r: { started_at: string; finished_at: string }) => [Date.parse(r.started_at), Date.parse(r.finished_at)] as const;
    const overlaps = (a: readonly [number, number], b: readonly [number, number]) => a[0] < b[1] && b[0] < a[1];
    let crossOverlap = 0;
    for (const a of runs) for (const b of runs) {
      if (a.id >= b.id) continue;
      const o = overlaps(span(a), span(b));
      if (a.instance === b.instance) expect(o, `${a.instance} ran twice at once`).toBe(false);
      else if (o) crossOverlap++;
    }
    expect(crossOverlap).toBeGreaterThan(0);
    expect(new Set(runs.map((r: { worker: string }) => r.worker)).size).toBe(2);
    expect(Number((await rt.db('persons').count({ n: '*' }).first())?.n)).toBe(6000);
    expect(Number((await rt.db('enrollments').count({ n: '*' }).first())?.n)).toBe(6000);
    // The second round of each instance found everything unchanged.
    const second = runs.filter((r: { id: string }) => ids.indexOf(r.id) >= 10);
    for (const r of second) expect(JSON.parse(r.counts).students.created).toBe(0);
  }, 300_000);
});
