/** Child `rso-hub` processes for tests that need real separate workers. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import { ROOT } from './hub.ts';

export function startWorker(configFile: string, env: Record<string, string>, args: string[] = []): ChildProcess & { output: string[] } {
  // One process (node --import tsx), not the tsx CLI wrapper: a signal must reach the worker itself.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), '--config', configFile, 'worker', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  }) as ChildProcess & { output: string[] };
  child.output = [];
  child.stdout?.on('data', (d: Buffer) => child.output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => child.output.push(d.toString()));
  return child;
}

export async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await Promise.race([exited, sleep(20_000)]);
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 120_000, everyMs = 200): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

export async function runsDone(db: Knex, ids: string[]): Promise<boolean> {
  const rows = await db('runs').whereIn('id', ids).whereIn('status', ['succeeded', 'failed']).count({ n: '*' }).first();
  return Number(rows?.n) === ids.length;
}
