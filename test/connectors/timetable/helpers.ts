/** Shared bits of the timetable connector tests: fixtures, a read context, dated-lesson lines. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connector, Limits, ReadContext, ReadEvent } from '../../../src/core/contract.ts';
import type { DatedLesson, TimetableCalendar } from '../../../src/domain/timetable/expand.ts';

export const limits: Limits = {
  maxFileBytes: 512 * 1024 * 1024,
  maxRecordBytes: 64 * 1024,
  maxFieldChars: 4000,
  maxBodyBytes: 5 * 1024 * 1024,
};

export const fixture = (connector: string, name: string): string => path.resolve('fixtures', connector, name);

export function scratchFile(name: string, content: string | Buffer): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'rso-tt-')), name);
  writeFileSync(file, content);
  return file;
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

export function context(files: string[], overrides: Partial<Limits> = {}): ReadContext {
  return {
    instance: 'test',
    organization: { code: 'sch-001', timeZone: 'Europe/Samara' },
    files,
    limits: { ...limits, ...overrides },
    log: silent,
    now: () => new Date('2025-09-01T06:00:00Z'),
    signal: new AbortController().signal,
  };
}

export async function readAll<C>(
  connector: Connector<C>,
  stream: string,
  config: C,
  ctx: ReadContext,
): Promise<ReadEvent[]> {
  const out: ReadEvent[] = [];
  for await (const e of connector.read?.(stream, config, ctx) ?? []) out.push(e);
  return out;
}

export const records = (events: ReadEvent[]) => events.flatMap((e) => (e.kind === 'record' ? [e] : []));
export const rejects = (events: ReadEvent[]) => events.flatMap((e) => (e.kind === 'reject' ? [e] : []));

/** The first two weeks of the 2025/26 school year; the first is a week A. */
export const TWO_WEEKS: TimetableCalendar = {
  from: '2025-09-01',
  to: '2025-09-14',
  holidays: [],
  weekAAnchor: '2025-09-01',
};

export const BELLS = [
  { period: 1, start: '08:30', end: '09:15' },
  { period: 2, start: '09:25', end: '10:10' },
  { period: 3, start: '10:30', end: '11:15' },
  { period: 4, start: '11:35', end: '12:20' },
  { period: 5, start: '12:30', end: '13:15' },
];

/** "2025-09-02 2 09:25-10:10 | 5А | 5А:1 группа | Английский язык | ПетроваМВ | 301" */
export function line(d: DatedLesson): string {
  const groups = d.groups.map((g) => `${g.class}:${g.group}`).join('+');
  const teachers = d.teachers.map((t) => t.short).join('+');
  return `${d.date} ${d.period} ${d.start}-${d.end} | ${d.classes.join('+')} | ${groups} | ${d.subject.name} | ${teachers} | ${d.room ?? ''}`;
}
