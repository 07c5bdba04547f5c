/**
 * What a school-day's derivation reads: the students enrolled that day, each one's lessons (the
 * lessons of their class, and of their subgroup when a lesson is split), and the day's passes.
 * Lesson times are the school's local wall clock; the day is the school's local calendar day.
 */
import type { Knex } from 'knex';
import { localToUtc } from '../../mapping/casts.ts';
import type { PassAt, StudentDay } from './rules.ts';

export interface SchoolDayData {
  /** Students with at least one lesson that day. */
  days: Map<number, StudentDay>;
  /** Every pass of the day at this school (students, staff, anyone): is the turnstile alive? */
  passCount: number;
}

export function localInstant(date: string, hhmm: string, zone: string): number {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = hhmm.split(':').map(Number) as [number, number];
  return Date.parse(localToUtc({ y, mo, d, h, mi, s: 0 }, zone));
}

export function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

export async function loadSchoolDay(trx: Knex | Knex.Transaction, orgId: number, date: string, zone: string): Promise<SchoolDayData> {
  const from = new Date(localInstant(date, '00:00', zone)).toISOString();
  const to = new Date(localInstant(nextDate(date), '00:00', zone)).toISOString();
  const [enrolled, lessons, passes] = await Promise.all([
    trx('enrollments').where({ organization_id: orgId }).where('from_date', '<=', date)
      .where((q) => q.whereNull('to_date').orWhere('to_date', '>', date)).whereNull('deleted_at')
      .select('person_id', 'class_id', 'group_id'),
    trx('lessons as l').join('lesson_audience as a', 'a.lesson_id', 'l.id')
      .where({ 'l.organization_id': orgId, 'l.date': date }).whereNull('l.deleted_at').whereNull('a.deleted_at')
      .whereNot('l.status', 'cancelled')
      .select('l.start_time', 'a.class_id', 'a.group_id'),
    trx('access_events').where({ organization_id: orgId }).where('occurred_at', '>=', from).where('occurred_at', '<', to)
      .whereNull('deleted_at').whereNotNull('person_id')
      .orderBy('occurred_at').select('person_id', 'occurred_at', 'direction'),
  ]);
  const byClass = new Map<number, { group: number | null; at: number }[]>();
  for (const l of lessons as { start_time: string; class_id: number; group_id: number | null }[]) {
    const list = byClass.get(Number(l.class_id)) ?? [];
    list.push({ group: l.group_id == null ? null : Number(l.group_id), at: localInstant(date, l.start_time, zone) });
    byClass.set(Number(l.class_id), list);
  }
  const passesOf = new Map<number, PassAt[]>();
  for (const p of passes as { person_id: number; occurred_at: string; direction: 'in' | 'out' }[]) {
    const list = passesOf.get(Number(p.person_id)) ?? [];
    list.push({ at: Date.parse(p.occurred_at), direction: p.direction });
    passesOf.set(Number(p.person_id), list);
  }
  const days = new Map<number, StudentDay>();
  for (const e of enrolled as { person_id: number; class_id: number; group_id: number | null }[]) {
    const group = e.group_id == null ? null : Number(e.group_id);
    const starts = (byClass.get(Number(e.class_id)) ?? []).filter((l) => l.group === null || l.group === group).map((l) => l.at);
    if (starts.length === 0) continue;
    days.set(Number(e.person_id), { firstLessonAt: Math.min(...starts), lastLessonAt: Math.max(...starts), passes: passesOf.get(Number(e.person_id)) ?? [] });
  }
  return { days, passCount: passes.length };
}
