/** The date windows of the student routes: parsed, defaulted in the school's time zone, bounded. */
import { z } from 'zod';
import { todayIn } from '../../config/organizations.ts';
import { addDays, checkWindow, dateSchema, mondayOf, parseOr400, uuidSchema } from './params.ts';

export const studentPath = z.strictObject({ id: uuidSchema });
export const windowQuery = z.strictObject({ from: dateSchema.optional(), to: dateSchema.optional() });

export interface Window {
  from: string;
  to: string;
}

/** Days a diary or timetable request may span (a NetSchool diary is one week; a month is plenty). */
export const DIARY_MAX_DAYS = 31;
/** Days a marks or attendance request may span: a school year. */
export const RECORDS_MAX_DAYS = 366;

/** Everything a student route is asked, checked before any data is touched. */
export function parseStudentRequest(params: unknown, query: unknown, maxDays: number): { id: string; from?: string | undefined; to?: string | undefined } {
  const { id } = parseOr400(studentPath, params, 'path');
  const q = parseOr400(windowQuery, query, 'query');
  if (q.from && q.to) checkWindow(q.from, q.to, maxDays);
  return { id, from: q.from, to: q.to };
}

/**
 * A week by default (the current one, Monday to Sunday, in `zone`); one end given, a week from or
 * up to it; both given, as asked within `maxDays`.
 */
export function weekWindow(q: { from?: string | undefined; to?: string | undefined }, zone: string, now: Date, maxDays: number): Window {
  const from = q.from ?? (q.to ? addDays(q.to, -6) : mondayOf(todayIn(zone, now)));
  const to = q.to ?? addDays(from, 6);
  checkWindow(from, to, maxDays);
  return { from, to };
}

/** The last 30 days by default; otherwise as asked within `maxDays`. */
export function recentWindow(q: { from?: string | undefined; to?: string | undefined }, zone: string, now: Date, maxDays: number): Window {
  const to = q.to ?? (q.from ? addDays(q.from, 29) : todayIn(zone, now));
  const from = q.from ?? addDays(to, -29);
  checkWindow(from, to, maxDays);
  return { from, to };
}
