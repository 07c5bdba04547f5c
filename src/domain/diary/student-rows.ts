/**
 * A student's marks, attendance and per-class homework of a window in one statement (UNION ALL):
 * the diary's hot path, where a round trip costs more than the rows. The rows carry ids only:
 * subjects come from the reference cache and lessons' public ids from the diary's own lessons
 * (a lookup only for the rare row whose lesson is not in it), so each row is one index range and
 * no joins. The single-kind routes use records.ts; both map rows the same way.
 */
import type { Knex } from 'knex';
import { hasColumn } from './optional-columns.ts';
import { placeholders, selectRows } from './raw-rows.ts';
import { markView, type AttendanceEntry, type ClassHomework, type MarkRow } from './records.ts';
import { references } from './reference-cache.ts';

export interface StudentRows {
  marks: MarkRow[];
  attendance: AttendanceEntry[];
  classHomework: ClassHomework[];
}

/** Rows as read (kind m, a or h), before scope is applied and ids are named. */
export type RawRow = Record<string, unknown>;

const num = (v: unknown): number | null => (v == null ? null : Number(v));

/** The columns of every part of a diary's UNION ALL; a part leaves out what it has not (null). */
export const UNION_COLUMNS = [
  'kind', 'id', 'uid', 'date', 'lesson_id', 'value', 'numeric_value', 'weight', 'work_type', 'subject_id', 'minutes_late',
  'precedence', 'due_date', 'organization_id', 'class_id',
] as const;

/** `select <every column, null where the part has none> <rest>`. */
export function unionPart(columns: readonly string[], values: Record<string, string>, rest: string): string {
  return `select ${columns.map((c) => `${values[c] ?? 'null'} as ${c}`).join(', ')} ${rest}`;
}

export const MARK_VALUES = {
  kind: "'m'", id: 'm.id', uid: 'm.uid', date: 'm.date', lesson_id: 'm.lesson_id', value: 'm.value', numeric_value: 'm.numeric_value',
  weight: 'm.weight', work_type: 'm.work_type', subject_id: 'm.subject_id', organization_id: 'm.organization_id',
};
export const ATTENDANCE_VALUES = {
  kind: "'a'", id: 'a.id', uid: 'a.uid', date: 'a.date', lesson_id: 'a.lesson_id', value: 'a.status', minutes_late: 'a.minutes_late',
  precedence: 'a.precedence', organization_id: 'a.organization_id',
};
export const HOMEWORK_VALUES = {
  kind: "'h'", id: 'h.id', uid: 'h.uid', date: 'h.date', value: 'h.text', due_date: 'h.due_date', subject_id: 'h.subject_id',
  organization_id: 'h.organization_id', class_id: 'h.class_id',
};

/** Whether homework is also recorded per class and date (the journal's columns). */
export async function hasClassHomework(db: Knex): Promise<boolean> {
  return (await hasColumn(db, 'homework', 'class_id')) && (await hasColumn(db, 'homework', 'date'));
}

const sqlCache = new Map<string, string>();

function rowsSql(orgs: number, classes: number): string {
  const key = `${orgs}|${classes}`;
  let sql = sqlCache.get(key);
  if (!sql) {
    const inOrgs = `in (${placeholders(orgs)})`;
    sql = [
      unionPart(UNION_COLUMNS, MARK_VALUES, `from marks m where m.student_id = ? and m.date between ? and ? and m.deleted_at is null and m.organization_id ${inOrgs}`),
      unionPart(UNION_COLUMNS, ATTENDANCE_VALUES, `from attendance a where a.student_id = ? and a.date between ? and ? and a.deleted_at is null and a.organization_id ${inOrgs}`),
      ...(classes ? [unionPart(UNION_COLUMNS, HOMEWORK_VALUES, `from homework h where h.class_id in (${placeholders(classes)}) and h.lesson_id is null and h.date between ? and ? and h.deleted_at is null`)] : []),
    ].join(' union all ');
    sqlCache.set(key, sql);
  }
  return sql;
}

/** The rows of a student in the given organizations (and class homework of the given classes). */
export async function studentRowsOf(db: Knex, personId: number, orgIds: number[], classIds: number[], from: string, to: string): Promise<RawRow[]> {
  if (orgIds.length === 0) return [];
  const perClass = classIds.length > 0 && (await hasClassHomework(db));
  const bindings = [personId, from, to, ...orgIds, personId, from, to, ...orgIds, ...(perClass ? [...classIds, from, to] : [])];
  return selectRows(db, rowsSql(orgIds.length, perClass ? classIds.length : 0), bindings);
}

/**
 * Names the rows' subjects and lessons and sorts them by date: `lessonUids` are the public ids of
 * the lessons already at hand; any other lesson a row points at is looked up.
 */
export async function resolveStudentRows(db: Knex, rows: RawRow[], lessonUids: Map<number, string>): Promise<StudentRows> {
  const out: StudentRows = { marks: [], attendance: [], classHomework: [] };
  const missing = new Set<number>();
  const subjectIds: number[] = [];
  for (const r of rows) {
    if (r.lesson_id != null && !lessonUids.has(Number(r.lesson_id))) missing.add(Number(r.lesson_id));
    if (r.kind === 'm' && r.subject_id != null) subjectIds.push(Number(r.subject_id));
  }
  const [subjects, found] = await Promise.all([
    references(db).subjects.get(subjectIds),
    missing.size ? selectRows(db, `select id, uid from lessons where id in (${placeholders(missing.size)})`, [...missing]) : Promise.resolve([]),
  ]);
  const uids = found.length ? new Map([...lessonUids, ...found.map((l) => [Number(l.id), String(l.uid)] as const)]) : lessonUids;
  const lessonUid = (id: unknown) => (id == null ? null : (uids.get(Number(id)) ?? null));
  rows.sort((a, b) => (String(a.date) < String(b.date) ? -1 : String(a.date) > String(b.date) ? 1 : Number(a.id) - Number(b.id)));
  for (const r of rows) {
    if (r.kind === 'm') {
      const s = r.subject_id == null ? undefined : subjects.get(Number(r.subject_id));
      out.marks.push({
        lessonId: num(r.lesson_id),
        view: markView({ ...r, lesson_uid: lessonUid(r.lesson_id), subject_uid: s?.uid ?? null, subject_name: s?.name ?? null }),
      });
    } else if (r.kind === 'a') {
      out.attendance.push({
        id: String(r.uid), date: String(r.date), lessonId: num(r.lesson_id), lessonUid: lessonUid(r.lesson_id),
        precedence: Number(r.precedence ?? 0), view: { status: String(r.value), minutesLate: num(r.minutes_late) },
      });
    } else if (r.kind === 'h') {
      out.classHomework.push({ date: String(r.date), subjectId: num(r.subject_id), view: { id: String(r.uid), text: String(r.value), dueDate: r.due_date == null ? null : String(r.due_date) } });
    }
  }
  return out;
}
