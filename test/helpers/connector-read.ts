/** Runs a connector's read() the way the pipeline does and sorts what it yields. */
import path from 'node:path';
import type { Connector, Limits, RawRecord, ReadContext, ReadEvent, RejectEvent } from '../../src/core/contract.ts';

export const limits: Limits = { maxFileBytes: 512 * 1024 * 1024, maxRecordBytes: 64 * 1024, maxFieldChars: 4000, maxBodyBytes: 5 * 1024 * 1024 };

const silent = { debug() {}, info() {}, warn() {}, error() {} };

export function readContext(files: string[], overrides: Partial<Limits> = {}): ReadContext {
  return {
    instance: 'test', organization: { code: 'sch-001', timeZone: 'Europe/Samara' }, files, limits: { ...limits, ...overrides },
    log: silent, now: () => new Date('2026-10-01T06:00:00Z'), signal: new AbortController().signal,
  };
}

export interface Read {
  records: RawRecord[];
  rejects: RejectEvent[];
}

export async function readAll<C>(connector: Connector<C>, stream: string, config: unknown, files: string[], overrides: Partial<Limits> = {}): Promise<Read> {
  const events: ReadEvent[] = [];
  const cfg = connector.configSchema.parse(config);
  for await (const e of connector.read!(stream, cfg, readContext(files, overrides))) events.push(e);
  return {
    records: events.filter((e): e is RawRecord => e.kind === 'record'),
    rejects: events.filter((e): e is RejectEvent => e.kind === 'reject'),
  };
}

export const fixturePath = (...p: string[]) => path.resolve('fixtures', ...p);
