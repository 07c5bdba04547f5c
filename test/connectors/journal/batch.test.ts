/** A pushed journal batch split into raw records (README "Push API"). */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import journal from '../../../connectors/journal/index.ts';
import { PermanentError } from '../../../src/core/errors.ts';
import { fixturePath } from '../../helpers/connector-read.ts';

const parse = (body: string | Buffer) => journal.ingest!.parse(Buffer.isBuffer(body) ? body : Buffer.from(body), journal.configSchema.parse({}));

describe('a journal batch', () => {
  it('gives one record per item, in its stream, with every value as text', () => {
    const events = parse(fs.readFileSync(fixturePath('journal', 'batch-1.json')));
    expect(events.map((e) => (e.kind === 'checkpoint' ? '' : `${e.stream} ${e.position}`))).toEqual([
      'marks marks[0]', 'marks marks[1]', 'marks marks[2]', 'marks marks[3]', 'marks marks[4]',
      'attendance attendance[0]', 'attendance attendance[1]', 'topics topics[0]', 'homework homework[0]', 'period_marks periodMarks[0]',
    ]);
    expect(events[2]).toEqual({ kind: 'record', stream: 'marks', position: 'marks[2]', data: { id: 'm-3', student: '1011', subject: 'Русский язык', date: '2026-09-21', value: '3', weight: '5', workType: 'Контрольная работа' } });
  });

  it('rejects items that are not flat objects with an id, and keeps the rest', () => {
    const events = parse(JSON.stringify({ marks: [{ id: 'm-1', value: '5' }, 'oops', { value: '4' }, { id: 'm-2', value: { mark: 5 } }] }));
    expect(events.map((e) => (e.kind === 'reject' ? [e.position, e.code, e.field] : [e.kind]))).toEqual([
      ['record'], ['marks[1]', 'invalid_item', undefined], ['marks[2]', 'invalid_item', 'id'], ['marks[3]', 'invalid_item', 'value'],
    ]);
  });

  it.each([
    ['not JSON', '{"marks": [', 'invalid_json'],
    ['an array', '[]', 'invalid_batch'],
    ['an unknown key', '{"grades": []}', 'invalid_batch'],
    ['a key that is not an array', '{"marks": {}}', 'invalid_batch'],
  ])('refuses %s as a whole', (_what, body, code) => {
    expect(() => parse(body)).toThrow(PermanentError);
    try {
      parse(body);
    } catch (err) {
      expect((err as PermanentError).code).toBe(code);
    }
  });

  it('authenticates by an API client scope, never by a device signature', () => {
    expect(journal.ingest?.scope).toBe('ingest:journal');
  });
});
