/** Shared CLI plumbing: the runtime from --config, errors printed once, exit codes. */
import type { Command } from 'commander';
import { ConfigError } from '../config/problems.ts';
import { createRuntime, type Runtime } from '../runtime.ts';
import { redact } from '../log.ts';

export interface GlobalOptions {
  config?: string;
}

export function configFile(cmd: Command): string | undefined {
  return (cmd.optsWithGlobals() as GlobalOptions).config;
}

export async function withRuntime<T>(cmd: Command, fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = await createRuntime({ ...(configFile(cmd) ? { configFile: configFile(cmd)! } : {}) });
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

/** Prints an error for a person (no stack traces for expected errors) and sets the exit code. */
export function reportError(err: unknown): void {
  if (err instanceof ConfigError) {
    process.stderr.write(`configuration error in ${err.message}\n`);
    process.exitCode = 2;
    return;
  }
  const code = (err as { code?: string }).code;
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`error${code ? ` [${code}]` : ''}: ${redact(msg)}\n`);
  if (process.env.HUB_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${redact(err.stack)}\n`);
  process.exitCode = 1;
}

export function printTable(rows: Record<string, unknown>[], columns?: string[]): void {
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const cols = columns ?? Object.keys(rows[0] ?? {});
  const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const widths = cols.map((c) => Math.min(60, Math.max(c.length, ...rows.map((r) => cell(r[c]).length))));
  const line = (vals: string[]) => vals.map((v, i) => v.slice(0, 60).padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  process.stdout.write(`${line(cols)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const r of rows) process.stdout.write(`${line(cols.map((c) => cell(r[c])))}\n`);
}
