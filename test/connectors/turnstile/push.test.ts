import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../../src/core/errors.ts';
import { parsePush } from '../../../connectors/turnstile/push.ts';

const parse = (v: unknown) => parsePush(Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)));

describe('a pushed body', () => {
  it('is a JSON array of passes or {"events": [...]}, values as strings for the mapping', () => {
    const pass = { time: '2026-10-01T08:12:40+04:00', direction: 'IN', card: 10587713, device: 'gate-1' };
    const expected = [{ kind: 'record', stream: 'events', position: 'events[0]', data: { time: pass.time, direction: 'in', card: '10587713', device: 'gate-1' } }];
    expect(parse([pass])).toEqual(expected);
    expect(parse({ events: [pass] })).toEqual(expected);
    expect(parse(`\uFEFF${JSON.stringify([pass])}`)).toEqual(expected);
    expect(parse([])).toEqual([]);
  });

  it('turns each bad pass into a rejection at its index and keeps the others', () => {
    const events = parse([
      { time: '2026-10-01T08:12:40+04:00', direction: 'in', card: '1' },
      { time: '01.10.2026 08:12', direction: 'in', card: '1' },
      { time: '2026-10-01T08:12:40Z', direction: 'sideways', card: '1' },
      { time: '2026-10-01T08:12:40Z', direction: 'out' },
      'not a pass',
      { time: '2026-10-01T08:12:40Z', direction: 'exit', person: '1001' },
    ]);
    expect(events.map((e) => [e.kind, e.kind === 'reject' ? e.field : undefined, 'position' in e ? e.position : undefined])).toEqual([
      ['record', undefined, 'events[0]'],
      ['reject', 'time', 'events[1]'],
      ['reject', 'direction', 'events[2]'],
      ['reject', 'card', 'events[3]'],
      ['reject', undefined, 'events[4]'],
      ['record', undefined, 'events[5]'],
    ]);
  });

  it('that is not JSON, or not a list, is refused whole', () => {
    const code = (v: string) => {
      try {
        parse(v);
      } catch (err) {
        if (err instanceof PermanentError) return err.code;
        throw err;
      }
      return undefined;
    };
    expect(code('[{"time":')).toBe('invalid_json');
    expect(code('{"passes": []}')).toBe('invalid_body');
    expect(code('42')).toBe('invalid_body');
  });
});
