/**
 * What an LMS export covers: the current classes of an organization subtree (a class with at
 * least one open enrollment), their academic year as instants, and what the timetable says is
 * taught in them and by whom. Shared by the `lms.courses` and `lms.users` export sources.
 */
import type { Knex } from 'knex';
import { localToUtc } from '../../mapping/casts.ts';

export interface CurrentClass {
  id: number;
  uid: string;
  name: string;
  grade: number | null;
  yearCode: string;
  organizationId: number;
  /** The academic year as UTC instants: its first day's start and last day's end in the school's zone; null when no calendar declares the year. */
  startsAt: string | null;
  endsAt: string | null;
}

export interface Teaching {
  classId: number;
  subject: string;
}

/** Rows per `where in` (SQLite's host-parameter limit is far above; MariaDB's packet is the bound). */
const PART = 2000;

export async function inParts<I, T>(items: readonly I[], query: (part: I[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < items.length; i += PART) out.push(...(await query(items.slice(i, i + PART))));
  return out;
}

export async function currentClasses(db: Knex, orgIds: number[]): Promise<CurrentClass[]> {
  if (orgIds.length === 0) return [];
  const open = db('enrollments')
    .whereIn('organization_id', orgIds)
    .whereNull('to_date')
    .whereNull('deleted_at')
    .distinct('class_id');
  const rows = await db('classes')
    .whereIn('organization_id', orgIds)
    .whereIn('id', open)
    .whereNull('deleted_at')
    .orderBy('id')
    .select('id', 'uid', 'name', 'grade', 'year_code', 'organization_id');
  const years = await yearBounds(db);
  return rows.map(
    (r: {
      id: number;
      uid: string;
      name: string;
      grade: number | null;
      year_code: string;
      organization_id: number;
    }) => {
      const bounds = years(Number(r.organization_id), r.year_code);
      return {
        id: Number(r.id),
        uid: r.uid,
        name: r.name,
        grade: r.grade == null ? null : Number(r.grade),
        yearCode: r.year_code,
        organizationId: Number(r.organization_id),
        startsAt: bounds?.startsAt ?? null,
        endsAt: bounds?.endsAt ?? null,
      };
    },
  );
}

/** Academic years are declared once (e.g. per municipality) and inherited down the tree. */
async function yearBounds(
  db: Knex,
): Promise<(orgId: number, code: string) => { startsAt: string; endsAt: string } | undefined> {
  const orgs = new Map<number, { parent: number | null; zone: string }>();
  for (const o of await db('organizations').select('id', 'parent_id', 'time_zone')) {
    orgs.set(Number(o.id), { parent: o.parent_id == null ? null : Number(o.parent_id), zone: String(o.time_zone) });
  }
  const years = new Map<string, { from: string; to: string }>();
  for (const y of await db('academic_years')
    .whereNull('deleted_at')
    .select('organization_id', 'code', 'from_date', 'to_date')) {
    years.set(`${y.organization_id}|${y.code}`, { from: y.from_date, to: y.to_date });
  }
  return (orgId, code) => {
    const zone = orgs.get(orgId)?.zone ?? 'UTC';
    for (let at: number | null = orgId; at !== null; at = orgs.get(at)?.parent ?? null) {
      const y = years.get(`${at}|${code}`);
      if (!y) continue;
      const [fy, fm, fd] = y.from.split('-').map(Number) as [number, number, number];
      const [ty, tm, td] = y.to.split('-').map(Number) as [number, number, number];
      return {
        startsAt: localToUtc({ y: fy, mo: fm, d: fd, h: 0, mi: 0, s: 0 }, zone),
        endsAt: localToUtc({ y: ty, mo: tm, d: td, h: 23, mi: 59, s: 59 }, zone),
      };
    }
    return undefined;
  };
}

/**
 * What the timetable says about the given classes: the subjects of their lessons, and who teaches
 * which subject in which class (lessons.teacher_ids holds person ids as JSON).
 */
export async function lessonSubjects(
  db: Knex,
  classIds: number[],
): Promise<{ byClass: Map<number, string[]>; byTeacher: Map<number, Teaching[]> }> {
  const rows = await inParts(
    classIds,
    (part) =>
      db('lesson_audience as la')
        .join('lessons as l', 'l.id', 'la.lesson_id')
        .join('subjects as s', 's.id', 'l.subject_id')
        .whereIn('la.class_id', part)
        .whereNull('l.deleted_at')
        .whereNull('s.deleted_at')
        .distinct('la.class_id', 's.name', 'l.teacher_ids') as Promise<
        { class_id: number; name: string; teacher_ids: string | null }[]
      >,
  );
  const byClass = new Map<number, Set<string>>();
  const byTeacher = new Map<number, Map<string, Teaching>>();
  for (const r of rows) {
    const classId = Number(r.class_id);
    byClass.set(classId, (byClass.get(classId) ?? new Set()).add(r.name));
    for (const personId of parseIds(r.teacher_ids)) {
      const taught = byTeacher.get(personId) ?? new Map<string, Teaching>();
      taught.set(`${classId}|${r.name}`, { classId, subject: r.name });
      byTeacher.set(personId, taught);
    }
  }
  return {
    byClass: new Map([...byClass].map(([k, v]) => [k, [...v].sort()])),
    byTeacher: new Map([...byTeacher].map(([k, v]) => [k, [...v.values()]])),
  };
}

function parseIds(json: string | null): number[] {
  if (!json) return [];
  const parsed = JSON.parse(json) as unknown;
  return Array.isArray(parsed) ? parsed.filter((v): v is number => typeof v === 'number') : [];
}
