/** The event-log variants: the connector's raw records through each mapping, as the pipeline maps them. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import turnstile from '../../../connectors/turnstile/index.ts';
import { withDirections } from '../../../connectors/turnstile/attlog.ts';
import type { RawRecord, ReadContext, ReadEvent } from '../../../src/core/contract.ts';
import { checkMappingFile } from '../../../src/mapping/load.ts';
import { RecordRejected } from '../../../src/core/errors.ts';
import { limits, scratchFolder } from '../roster/context.ts';

const ZONE = 'Europe/Samara';
const TARGETS = new Set(['access.event', 'access.card']);
const fixture = (...p: string[]) => path.resolve('fixtures/turnstile', ...p);

async function read(stream: string, files: string[], config: Record<string, unknown> = {}): Promise<ReadEvent[]> {
  const ctx: ReadContext = {
    instance: 'test', organization: { code: 'sch-001', timeZone: ZONE }, files, limits,
    log: { debug() {}, info() {}, warn() {}, error() {} }, now: () => new Date('2026-10-01T11:00:00Z'), signal: new AbortController().signal,
  };
  const out: ReadEvent[] = [];
  for await (const e of turnstile.read!(stream, turnstile.configSchema.parse(config), ctx)) out.push(e);
  return out;
}

function mapAll(stream: string, variant: string, events: ReadEvent[]): Record<string, unknown>[] {
  const { problems, spec } = checkMappingFile(path.resolve('mappings/turnstile', `${stream}.${variant}.yaml`), TARGETS);
  expect(problems).toEqual([]);
  return events.filter((e): e is RawRecord => e.kind === 'record').map((r) => {
    try {
      return spec!.map(r.data, ZONE);
    } catch (err) {
      if (err instanceof RecordRejected) return { rejected: err.code, field: err.field };
      throw err;
    }
  });
}

const pick = (r: Record<string, unknown>) => [r.local_date ?? r.occurred_at, r.local_time ?? null, r.direction, r.card];

describe('every turnstile mapping is valid', () => {
  it.each(['events.v1', 'events.perco', 'events.sigur', 'events.zkteco', 'cards.v1', 'cards.perco', 'cards.sigur', 'cards.zkteco'])('%s', (m) => {
    expect(checkMappingFile(path.resolve('mappings/turnstile', `${m}.yaml`), TARGETS).problems).toEqual([]);
  });
});

describe('a PERCo log', () => {
  it('keeps date and time apart for the target; TYPE_PASS 1 is an entry, 2 an exit', async () => {
    const rows = mapAll('events', 'perco', await read('events', [fixture('school1', 'perco-2026-10-01.csv')]));
    expect(rows).toHaveLength(17);
    expect(pick(rows[1]!)).toEqual(['2026-10-01', '08:12:40', 'in', '10587713']);
    expect(pick(rows[12]!)).toEqual(['2026-10-01', '10:40:00', 'out', '4242009']);
  });

  it('reads the same from an Excel export (date cells, time cells, numbers)', async () => {
    const rows = mapAll('events', 'perco', await read('events', [fixture('logs', 'perco-2026-10-01.xlsx')]));
    expect(rows.map(pick)).toEqual([
      ['2026-10-01', '08:12:40', 'in', '10587713'],
      ['2026-10-01', '08:37:30', 'in', '10587714'],
      ['2026-10-01', '13:16', 'out', '10587714'],
      ['2026-10-01', '13:20:05', 'out', '10587713'],
    ]);
  });

  it('rejects a TYPE_PASS it does not know', async () => {
    const [file] = scratchFolder({ 'perco.csv': 'DATE_EV;TIME_EV;IDENTIFIER;TYPE_PASS\n01.10.2026;08:00:00;1;3\n' });
    expect(mapAll('events', 'perco', await read('events', [file!]))).toEqual([{ rejected: 'unmapped_value', field: 'direction' }]);
  });
});

describe('a Sigur log', () => {
  it('has DIRECTION 1 = exit and 2 = entry, local LOGTIME, CODEKEY in hex', async () => {
    const rows = mapAll('events', 'sigur', await read('events', [fixture('logs', 'sigur-2026-10-01.csv')]));
    expect(rows.map(pick)).toEqual([
      ['2026-10-01T04:12:40.000Z', null, 'in', '10587713'],
      ['2026-10-01T04:37:30.000Z', null, 'in', '10587714'],
      ['2026-10-01T09:16:00.000Z', null, 'out', '10587714'],
      ['2026-10-01T09:20:05.000Z', null, 'out', '10587713'],
    ]);
  });
});

describe('a ZKTeco attlog', () => {
  it('is recognized without a header and gets directions by alternation per person per day', async () => {
    const rows = mapAll('events', 'zkteco', await read('events', [fixture('logs', 'attlog-2026-10-01.dat')]));
    // File order kept; 1002's passes are out of order in the file (08:37, 11:02, 11:20, 13:16).
    expect(rows.map((r) => `${r.card} ${String(r.occurred_at).slice(11, 19)} ${r.direction}`)).toEqual([
      '1001 04:12:40 in',
      '1001 04:12:46 in', // 6 s after the entry: the same pass read again
      '1002 04:37:30 in',
      '1001 09:20:05 out',
      '1002 07:02:00 out',
      '1002 07:20:00 in',
      '1002 09:16:00 out',
      '1001 04:10:00 in', // the next day starts with an entry again
    ]);
  });

  it('takes the device state when told to (0 check-in, 1 check-out)', () => {
    const rows = withDirections([{ line: 1, values: { 1: '7', 2: '2026-10-01 08:00:00', 4: '1' } }, { line: 2, values: { 1: '7', 2: '2026-10-01 09:00:00', 4: '0' } }], 'state', 10);
    expect(rows.map((r) => r.values.direction)).toEqual(['out', 'in']);
  });

  it('leaves the direction empty for an unreadable time (the mapping rejects the time)', async () => {
    const [file] = scratchFolder({ 'attlog.dat': '1\t2026-10-01 08:00:00\t1\t0\n1\t2026-13-01 08:00\t1\t0\n' });
    const rows = mapAll('events', 'zkteco', await read('events', [file!], { log: 'attlog' }));
    expect(rows[1]).toEqual({ rejected: 'bad_date_format', field: 'occurred_at' });
  });
});

describe('file roles', () => {
  it('takes names with card or users for the register and every other file for events', async () => {
    const files = [fixture('school1', 'cards.csv'), fixture('school1', 'perco-2026-10-01.csv'), fixture('logs', 'zkteco-users.csv')];
    const cards = await read('cards', files);
    const events = await read('events', files);
    expect(new Set(cards.map((e) => ('position' in e ? e.position.split(' ')[0] : '')))).toEqual(new Set(['cards.csv', 'zkteco-users.csv']));
    expect(new Set(events.map((e) => ('position' in e ? e.position.split(' ')[0] : '')))).toEqual(new Set(['perco-2026-10-01.csv']));
  });

  it('maps the register: every spelling of a card to one decimal form', async () => {
    const rows = mapAll('cards', 'v1', await read('cards', [fixture('school1', 'cards.csv')]));
    expect(rows.slice(0, 5).map((r) => [r.card, r.person])).toEqual([
      ['10587713', '1001'], ['10587714', '1002'], ['4242001', '1003'], ['4242002', '1004'], ['4242003', '1005'],
    ]);
  });
});
