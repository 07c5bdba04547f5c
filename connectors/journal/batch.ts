/**
 * A pushed journal batch: one JSON object with an array per kind of item (README.md, "Push API").
 * Every item carries the journal's own `id`; `"deleted": true` with the id alone deletes. Item
 * values are handed on as text, exactly as an export file would give them, so the same mapping
 * serves both, and a number can never pass for a hub id where the mapping looks up a student.
 */
import type { ReadEvent } from '../../src/core/contract.ts';
import { PermanentError } from '../../src/core/errors.ts';
import { JOURNAL_STREAMS, type JournalStream } from './config.ts';

const byKey = new Map(Object.entries(JOURNAL_STREAMS).map(([stream, s]) => [s.key as string, stream as JournalStream]));

export function parseBatch(body: Buffer): ReadEvent[] {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new PermanentError('invalid_json', `the body is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new PermanentError('invalid_batch', 'a batch is a JSON object with arrays marks, attendance, topics, homework, periodMarks');
  const unknown = Object.keys(doc).filter((k) => !byKey.has(k));
  if (unknown.length) throw new PermanentError('invalid_batch', `unknown keys ${unknown.map((k) => `"${k}"`).join(', ')}; a batch has ${[...byKey.keys()].join(', ')}`);
  const events: ReadEvent[] = [];
  for (const [key, items] of Object.entries(doc as Record<string, unknown>)) {
    const stream = byKey.get(key)!;
    if (!Array.isArray(items)) throw new PermanentError('invalid_batch', `"${key}" must be an array`);
    items.forEach((item: unknown, i) => events.push(toEvent(stream, `${key}[${i}]`, item)));
  }
  return events;
}

function toEvent(stream: JournalStream, position: string, item: unknown): ReadEvent {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return { kind: 'reject', stream, data: item, position, code: 'invalid_item', message: 'an item is a JSON object' };
  }
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(item)) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'object') return { kind: 'reject', stream, data: item, position, field: k, code: 'invalid_item', message: `"${k}" must be a plain value, not an object or array` };
    data[k] = String(v);
  }
  if (!data.id) return { kind: 'reject', stream, data: item, position, field: 'id', code: 'invalid_item', message: 'every item carries the journal\'s own "id"' };
  return { kind: 'record', stream, data, position };
}
