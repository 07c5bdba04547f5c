/**
 * A student as the diary sees them: the person (public id), their enrollments with class,
 * subgroup and school, and their consent for one purpose, in one query (classes, schools and
 * subgroups come from the reference cache). A person merged into another answers as the kept one.
 */
import type { Knex } from 'knex';
import { selectRows } from './raw-rows.ts';
import { references } from './reference-cache.ts';

export interface StudentEnrollment {
  organizationId: number;
  organizationCode: string;
  organizationUid: string;
  organizationName: string;
  timeZone: string;
  classId: number;
  classUid: string;
  className: string;
  grade: number | null;
  yearCode: string;
  groupId: number | null;
  groupName: string | null;
  from: string;
  /** Last day, inclusive; null while the enrollment is open. */
  to: string | null;
}

export interface StudentRecord {
  personId: number;
  uid: string;
  enrollments: StudentEnrollment[];
  /** The recorded consent for the purpose asked (`findStudent(..., purpose)`), null when none is recorded. */
  consent: 'granted' | 'refused' | null;
}

export type StudentKey = { uid: string } | { snils: string } | { esiaId: string } | { id: number };

const column = (k: StudentKey): [string, string | number] =>
  'uid' in k ? ['uid', k.uid] : 'snils' in k ? ['snils', k.snils] : 'esiaId' in k ? ['esia_id', k.esiaId] : ['id', k.id];

const sqlCache = new Map<string, string>();

/** persons + live enrollments (+ the consent row of the purpose, as consentFor() reads it). */
function studentSql(col: string, withConsent: boolean): string {
  const key = `${col}|${withConsent}`;
  let sql = sqlCache.get(key);
  if (!sql) {
    sql = 'select p.id as person_id, p.uid as person_uid, p.merged_into, e.organization_id, e.class_id, e.group_id, e.from_date, e.to_date' +
      (withConsent ? ', pc.status as consent' : '') +
      ' from persons p left join enrollments e on e.person_id = p.id and e.deleted_at is null' +
      (withConsent ? ' left join person_consents pc on pc.person_id = p.id and pc.purpose = ? and pc.deleted_at is null' : '') +
      ` where p.${col} = ? and p.deleted_at is null limit 200`;
    sqlCache.set(key, sql);
  }
  return sql;
}

export async function findStudent(db: Knex, key: StudentKey, purpose?: string): Promise<StudentRecord | undefined> {
  const [col, value] = column(key);
  const rows = await selectRows(db, studentSql(col, purpose !== undefined), purpose !== undefined ? [purpose, value] : [value], { prepared: true });
  const found = await studentFromRows(db, rows);
  return typeof found === 'number' ? findStudent(db, { id: found }, purpose) : found;
}

/**
 * A student from the rows of one person (person_id, person_uid, merged_into, organization_id,
 * class_id, group_id, from_date, to_date, consent): undefined when there are none, the kept
 * person's id when this one was merged into another.
 */
export async function studentFromRows(db: Knex, rows: Record<string, unknown>[]): Promise<StudentRecord | number | undefined> {
  // Ordered here rather than by the database (a temporary table for a handful of rows).
  rows.sort((a, b) =>
    Number(a.person_id) - Number(b.person_id) || String(a.from_date ?? '').localeCompare(String(b.from_date ?? '')));
  const first = rows[0];
  if (!first) return undefined;
  if (first.merged_into != null) return Number(first.merged_into);
  const personId = Number(first.person_id);
  const mine = rows.filter((r) => Number(r.person_id) === personId && r.organization_id != null && r.class_id != null);
  const refs = references(db);
  const [orgs, classes, groups] = await Promise.all([
    refs.orgs.get(mine.map((r) => Number(r.organization_id))),
    refs.classes.get(mine.map((r) => Number(r.class_id))),
    refs.groups.get(mine.flatMap((r) => (r.group_id == null ? [] : [Number(r.group_id)]))),
  ]);
  const enrollments: StudentEnrollment[] = [];
  for (const r of mine) {
    const o = orgs.get(Number(r.organization_id));
    const c = classes.get(Number(r.class_id));
    if (!o || !c) continue;
    const g = r.group_id == null ? undefined : groups.get(Number(r.group_id));
    enrollments.push({
      organizationId: o.id, organizationCode: o.code, organizationUid: o.uid, organizationName: o.name, timeZone: o.timeZone,
      classId: c.id, classUid: c.uid, className: c.name, grade: c.grade, yearCode: c.yearCode,
      groupId: g?.id ?? null, groupName: g?.name ?? null,
      from: String(r.from_date), to: r.to_date == null ? null : String(r.to_date),
    });
  }
  const status = first.consent;
  return { personId, uid: String(first.person_uid), enrollments, consent: status === 'granted' || status === 'refused' ? status : null };
}

/** The enrollments in the given organizations that overlap [from, to]. */
export function enrollmentsIn(student: StudentRecord, orgIds: ReadonlySet<number>, from?: string, to?: string): StudentEnrollment[] {
  return student.enrollments.filter((e) => orgIds.has(e.organizationId) && (to === undefined || e.from <= to) && (from === undefined || e.to === null || e.to >= from));
}
