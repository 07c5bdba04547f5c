/** Runs the roster connector's read() the way the pipeline does, collecting its events. */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Limits, ReadContext, ReadEvent, RejectEvent, RawRecord } from '../../../src/core/contract.ts';
import roster from '../../../connectors/roster/index.ts';
import type { RosterConfig, RosterState } from '../../../connectors/roster/config.ts';

export const limits: Limits = {
  maxFileBytes: 512 * 1024 * 1024,
  maxRecordBytes: 64 * 1024,
  maxFieldChars: 4000,
  maxBodyBytes: 5 * 1024 * 1024,
};

export const fixture = (rel: string) => path.resolve('fixtures/roster', rel);

export interface Run {
  events: ReadEvent<RosterState>[];
  records: RawRecord[];
  rejects: RejectEvent[];
  checkpoints: RosterState[];
  warnings: string[];
}

export async function readStream(
  stream: string,
  files: string[],
  opts: { config?: RosterConfig; state?: RosterState; limits?: Limits } = {},
): Promise<Run> {
  const warnings: string[] = [];
  const log = { debug() {}, info() {}, warn: (msg: string) => void warnings.push(msg), error() {} };
  const ctx: ReadContext<RosterState> = {
    instance: 'school1-roster',
    organization: { code: 'sch-001', timeZone: 'Europe/Samara' },
    files,
    limits: opts.limits ?? limits,
    log,
    now: () => new Date('2025-03-10T08:00:00Z'),
    signal: new AbortController().signal,
    ...(opts.state ? { state: opts.state } : {}),
  };
  const config = roster.configSchema.parse(opts.config ?? {});
  const events: ReadEvent<RosterState>[] = [];
  for await (const e of roster.read!(stream, config, ctx)) events.push(e);
  return {
    events,
    records: events.filter((e): e is RawRecord => e.kind === 'record'),
    rejects: events.filter((e): e is RejectEvent => e.kind === 'reject'),
    checkpoints: events.flatMap((e) => (e.kind === 'checkpoint' ? [e.state] : [])),
    warnings,
  };
}

/** Copies fixtures into a fresh drop folder under other names ("учащиеся.csv"). */
export function dropFolder(files: Record<string, string>): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rso-roster-'));
  return Object.entries(files).map(([name, source]) => {
    const target = path.join(dir, name);
    copyFileSync(source, target);
    return target;
  });
}

/** A fresh drop folder holding files with the given contents. */
export function scratchFolder(files: Record<string, string>): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rso-roster-'));
  return Object.entries(files).map(([name, content]) => {
    const target = path.join(dir, name);
    writeFileSync(target, content);
    return target;
  });
}
