/**
 * "An ingest batch acknowledged with 2xx survives a crash right after the answer": a real
 * `rso-hub serve` takes a signed batch, is SIGKILLed the moment it answers 202, and a fresh
 * `rso-hub worker` finds the batch's run and loads its passes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signBatch } from '../../connectors/turnstile/signature.ts';
import { nowIso } from '../../src/db/ids.ts';
import { ROOT, type TestHub } from '../helpers/hub.ts';
import { startWorker, stop, waitFor } from '../helpers/processes.ts';
import { clockAt, count, device, turnstileHub } from '../helpers/turnstile.ts';

let h: TestHub | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => stop(c, 'SIGKILL')));
  await h?.close();
  h = undefined;
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    }).on('error', reject);
  });
}

function startServe(configFile: string, port: number): ChildProcess & { output: string[] } {
  const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'src/cli/main.ts'), '--config', configFile, 'serve', '--port', String(port)], {
    env: { ...process.env, REDIS_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'],
  }) as ChildProcess & { output: string[] };
  child.output = [];
  child.stdout?.on('data', (d: Buffer) => child.output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => child.output.push(d.toString()));
  return child;
}

describe('a pushed batch acknowledged with 202', () => {
  it('survives a SIGKILL of the server right after the answer and is loaded by a fresh worker', async () => {
    h = await turnstileHub(clockAt(new Date()));
    const gate = await device(h.rt, 'gate-sch-001', 'gate-1');
    // The server's own queue must not get to the run before the kill: the test holds the lock.
    await h.rt.db('instance_locks').insert({ instance: 'instance:gate-sch-001', holder: 'crash-test', expires_at: nowIso(new Date(Date.now() + 10 * 60_000)) });
    const port = await freePort();
    const server = startServe(h.configFile, port);
    children.push(server);
    await waitFor('the server', async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok, 60_000, 200)
      .catch((e: Error) => { throw new Error(`${e.message}\n${server.output.join('')}`); });

    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
    const body = JSON.stringify({ events: [
      { time: minutesAgo(30), direction: 'in', card: '161.36417', device: 'gate-1' },
      { time: minutesAgo(20), direction: 'in', card: '0xA18E42', device: 'gate-1' },
      { time: minutesAgo(10), direction: 'out', card: '161.36417', device: 'gate-1' },
    ] });
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(`http://127.0.0.1:${port}/ingest/gate-sch-001`, {
      method: 'POST', body, headers: { 'content-type': 'application/json', 'x-device': gate.id, 'x-timestamp': String(ts), 'x-signature': signBatch(gate.secret, ts, body) },
    });
    server.kill('SIGKILL');
    expect(res.status).toBe(202);
    const { batchId, runId } = (await res.json()) as { batchId: string; runId: string };
    await new Promise((r) => server.once('exit', r));

    // Durable: the batch and its queued run are in the database; nothing was loaded yet.
    expect(await h.rt.db('ingest_batches').where({ id: batchId }).first('run_id')).toEqual({ run_id: runId });
    expect((await h.rt.db('runs').where({ id: runId }).first('status')).status).toBe('queued');
    expect(await count(h.rt, 'access_events')).toBe(0);

    // The crashed server's lock is gone with it; a fresh worker recovers the run.
    await h.rt.db('instance_locks').where({ instance: 'instance:gate-sch-001' }).delete();
    const worker = startWorker(h.configFile, { REDIS_URL: '' });
    children.push(worker);
    await waitFor('the recovered run', async () => (await h!.rt.db('runs').where({ id: runId }).first('status'))?.status === 'succeeded', 90_000, 300)
      .catch((e: Error) => { throw new Error(`${e.message}\n${worker.output.join('')}`); });
    expect(await count(h.rt, 'access_events')).toBe(3);
    expect(await count(h.rt, 'ingest_batches')).toBe(1);
  });
});
