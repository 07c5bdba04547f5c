/**
 * Everything a diary of a known window needs, in one statement keyed by the student's public id:
 * the student (person, enrollments, consent for the purpose), the class-weeks of every class they
 * are enrolled in, and their marks, attendance and class homework. A diary costs the database one
 * round trip instead of three (the student, then lessons and rows); scope and consent are applied
 * to what comes back before anything of it is used, exactly as the three reads did.
 */
import type { Knex } from 'knex';
import { weekRowOf, weeksOf, type WeekRow } from './class-weeks.ts';
import { placeholders, selectRows } from './raw-rows.ts';
import { studentFromRows, type StudentRecord } from './student.ts';
import { ATTENDANCE_VALUES, hasClassHomework, HOMEWORK_VALUES, MARK_VALUES, UNION_COLUMNS, unionPart, type RawRow } from './student-rows.ts';

export interface DiaryRead {
  /** null: no live person has this public id. */
  student: StudentRecord | null;
  /** The class-weeks found of the student's classes (any scope). */
  weeks: WeekRow[];
  /** Marks, attendance and class homework of the window (any scope: callers keep their organizations'). */
  rows: RawRow[];
}

const COLUMNS = [
  ...UNION_COLUMNS, 'person_id', 'person_uid', 'merged_into', 'group_id', 'from_date', 'to_date', 'consent', 'week', 'version', 'fresh', 'payload',
];
const PERSON = 'from persons p';
const LIVE = 'p.uid = ? and p.deleted_at is null';
const ENROLLED = 'join enrollments e on e.person_id = p.id and e.deleted_at is null';

const sqlCache = new Map<string, string>();

function diarySql(weeks: number, perClass: boolean): string {
  const key = `${weeks}|${perClass}`;
  let sql = sqlCache.get(key);
  if (!sql) {
    sql = [
      unionPart(COLUMNS, {
        kind: "'s'", person_id: 'p.id', person_uid: 'p.uid', merged_into: 'p.merged_into', organization_id: 'e.organization_id', class_id: 'e.class_id',
        group_id: 'e.group_id', from_date: 'e.from_date', to_date: 'e.to_date', consent: 'pc.status',
      }, `${PERSON} left ${ENROLLED} left join person_consents pc on pc.person_id = p.id and pc.purpose = ? and pc.deleted_at is null where ${LIVE}`),
      unionPart(COLUMNS, { kind: "'w'", class_id: 'd.class_id', week: 'd.week', version: 'd.version', fresh: 'd.fresh', payload: 'd.payload' },
        `${PERSON} ${ENROLLED} join diary_weeks d on d.class_id = e.class_id and d.week in (${placeholders(weeks)}) where ${LIVE}`),
      unionPart(COLUMNS, MARK_VALUES, `${PERSON} join marks m on m.student_id = p.id and m.date between ? and ? and m.deleted_at is null where ${LIVE}`),
      unionPart(COLUMNS, ATTENDANCE_VALUES, `${PERSON} join attendance a on a.student_id = p.id and a.date between ? and ? and a.deleted_at is null where ${LIVE}`),
      ...(perClass
        ? [unionPart(COLUMNS, HOMEWORK_VALUES, `${PERSON} ${ENROLLED} join homework h on h.class_id = e.class_id and h.lesson_id is null and h.date between ? and ? and h.deleted_at is null where ${LIVE}`)]
        : []),
    ].join(' union all ');
    sqlCache.set(key, sql);
  }
  return sql;
}

/**
 * The diary's data of the person with this public id for [from, to]; undefined when the person
 * was merged into another (the caller takes the usual path, which follows the merge).
 */
export async function readDiaryData(db: Knex, uid: string, purpose: string, from: string, to: string): Promise<DiaryRead | undefined> {
  const weeks = weeksOf(from, to);
  const perClass = await hasClassHomework(db);
  const bindings = [purpose, uid, ...weeks, uid, from, to, uid, from, to, uid, ...(perClass ? [from, to, uid] : [])];
  const all = await selectRows(db, diarySql(weeks.length, perClass), bindings, { prepared: true });
  const person: RawRow[] = [];
  const found: WeekRow[] = [];
  const seen = new Set<string>();
  const rows: RawRow[] = [];
  for (const r of all) {
    if (r.kind === 's') person.push(r);
    else if (r.kind === 'w') {
      // A student enrolled twice in one class meets its weeks twice.
      const key = `${Number(r.class_id)}|${String(r.week)}`;
      if (!seen.has(key)) {
        seen.add(key);
        found.push(weekRowOf(r));
      }
    } else if (r.kind === 'h') {
      // Likewise class homework (by its id).
      const key = `h${String(r.id)}`;
      if (!seen.has(key)) {
        seen.add(key);
        rows.push(r);
      }
    } else rows.push(r);
  }
  const student = await studentFromRows(db, person);
  if (typeof student === 'number') return undefined;
  return { student: student ?? null, weeks: found, rows };
}
