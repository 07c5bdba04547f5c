/**
 * Strict parameters for /api/v1 and /myschool: every path, query and body field is parsed with zod
 * at the boundary; an unknown, repeated or malformed field is a 400 `invalid_request` naming the
 * field. Messages never echo the value sent (it may be personal data or an attack string).
 */
import { z } from 'zod';
import { ApiError } from '../errors.ts';

export const uuidSchema = z.string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a public id (UUID)')
  .transform((s) => s.toLowerCase());

/** A real calendar date YYYY-MM-DD (2026-02-30 is refused). */
export const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => {
    const t = Date.parse(`${s}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
  }, 'must be a real calendar date');

/** A non-negative integer in decimal digits (change versions, limits). */
export const countSchema = (max: number) => z.string().regex(/^\d{1,15}$/, 'must be a non-negative integer')
  .transform(Number).refine((n) => n <= max, `must be at most ${max}`);

const fieldPattern = /^[A-Za-z0-9_.-]{1,40}$/;

function fieldName(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === 'unrecognized_keys') {
    const k = issue.keys[0];
    return k !== undefined && fieldPattern.test(k) ? k : undefined;
  }
  const p = issue.path[0];
  return typeof p === 'string' && fieldPattern.test(p) ? p : undefined;
}

function describe(issue: z.core.$ZodIssue, field: string | undefined, where: string): string {
  if (issue.code === 'unrecognized_keys') return field ? `unknown ${where} parameter "${field}"` : `unknown ${where} parameter`;
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return `${where} parameter "${field}" is required`;
    return `${where} parameter "${field}" must be given once, as ${issue.expected === 'string' ? 'text' : issue.expected}`;
  }
  return `${where} parameter "${field}" ${issue.message}`;
}

/** Parses `value` or throws invalid_request naming the first field at fault. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, where: 'path' | 'query' | 'body'): z.output<S> {
  const res = schema.safeParse(value ?? {});
  if (res.success) return res.data;
  const issue = res.error.issues[0]!;
  const field = fieldName(issue);
  if (where === 'body' && issue.path.length === 0 && issue.code === 'invalid_type') {
    throw new ApiError('invalid_request', 'the body must be a JSON object');
  }
  throw new ApiError('invalid_request', describe(issue, field ?? 'unknown', where), {}, field);
}

/** from <= to and at most `maxDays` days: the window a request may ask for. */
export function checkWindow(from: string, to: string, maxDays: number, names: [string, string] = ['from', 'to']): void {
  if (to < from) throw new ApiError('invalid_request', `query parameter "${names[1]}" is before "${names[0]}"`, {}, names[1]);
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (days > maxDays) throw new ApiError('invalid_request', `the window from "${names[0]}" to "${names[1]}" may span at most ${maxDays} days`, {}, names[1]);
}

export { addDays, mondayOf } from '../../domain/diary/dates.ts';
