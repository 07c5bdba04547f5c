/**
 * The body of a pushed batch: a JSON array of passes, or `{"events": [...]}`. A body that is not
 * such JSON is refused whole (HTTP 400, nothing stored); a bad pass becomes a rejection at its index
 * (`events[3]`) and the others go on.
 *
 * A pass: `{"time": "2026-11-26T08:27:13+04:00", "direction": "in", "card": "161.36417",
 * "device": "gate-1"}` — `person` (the roster's person code) instead of `card` for biometric
 * terminals that identify the person themselves; a time without an offset is the school's local
 * time; `direction` is `in`/`out` (also `entry`/`exit`).
 */
import { z } from 'zod';
import type { ReadEvent } from '../../src/core/contract.ts';
import { PermanentError } from '../../src/core/errors.ts';

const text = (max: number) => z.union([z.string(), z.number()]).transform(String).pipe(z.string().trim().min(1).max(max));

const pass = z
  .object({
    time: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/, 'expected an ISO 8601 time, e.g. 2026-11-26T08:27:13+04:00'),
    direction: z.string().refine((d) => ['in', 'out', 'entry', 'exit'].includes(d.trim().toLowerCase()), 'expected "in" or "out"'),
    card: text(64).optional(),
    person: text(191).optional(),
    device: text(64).optional(),
    id: text(128).optional(),
  })
  .refine((p) => p.card !== undefined || p.person !== undefined, { message: 'a pass needs a card or a person', path: ['card'] });

export function parsePush(body: Buffer): ReadEvent[] {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    throw new PermanentError('invalid_json', 'the body is not valid JSON');
  }
  const list = Array.isArray(doc) ? doc : isObject(doc) && Array.isArray(doc.events) ? doc.events : undefined;
  if (!list) throw new PermanentError('invalid_body', 'expected a JSON array of passes or {"events": [...]}');
  return list.map((item: unknown, i): ReadEvent => {
    const position = `events[${i}]`;
    const r = pass.safeParse(item);
    if (r.success) {
      const data: Record<string, string> = { time: r.data.time, direction: r.data.direction.trim().toLowerCase() };
      for (const k of ['card', 'person', 'device', 'id'] as const) if (r.data[k] !== undefined) data[k] = r.data[k];
      return { kind: 'record', stream: 'events', data, position };
    }
    const issue = r.error.issues[0];
    const field = issue?.path.map(String).join('.') || undefined;
    return { kind: 'reject', stream: 'events', data: item, position, ...(field ? { field } : {}), code: 'invalid_pass', message: `${field ?? 'pass'}: ${issue?.message ?? 'invalid'}` };
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
