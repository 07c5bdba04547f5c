/**
 * A student's marks, attendance and per-class homework of a window in one statement (UNION ALL):
 * the diary's hot path, where a round trip costs more than the rows. The single-kind routes use
 * records.ts; both map rows the same way.
 */
import type { Knex } from 'knex';
import { hasColumn } from './optional-columns.ts';
import { placeholders, selectRows } from './raw-rows.ts';
import { markView, type AttendanceEntry, type ClassHomework, type MarkRow } from './records.ts';

export interface StudentRows {
  marks: MarkRow[];
  attendance: AttendanceEntry[];
  classHomework: ClassHomework[];
}

const num = (v: unknown): number | null => (v == null ? null : Number(v));
const MARKS = "select 'm' as kind, m.id, m.uid, m.date, m.lesson_id, l.uid as lesson_uid, m.value, m.numeric_value, m.weight, m.work_type," +
  ' s.uid as subject_uid, s.name as subject_name, null as minutes_late, null as precedence, null as due_date, null as subject_id' +
  ' from marks m left join subjects s on s.id = m.subject_id left join lessons l on l.id = m.lesson_id' +
  ' where m.student_id = ? and m.date between ? and ? and m.deleted_at is null and m.organization_id in';
const ATTENDANCE = "select 'a', a.id, a.uid, a.date, a.lesson_id, l.uid, a.status, null, null, null, null, null, a.minutes_late, a.precedence, null, null" +
  ' from attendance a left join lessons l on l.id = a.lesson_id' +
  ' where a.student_id = ? and a.date between ? and ? and a.deleted_at is null and a.organization_id in';
const CLASS_HOMEWORK = "select 'h', h.id, h.uid, h.date, null, null, h.text, null, null, null, null, null, null, null, h.due_date, h.subject_id" +
  ' from homework h where h.deleted_at is null and h.lesson_id is null and h.date between ? and ? and h.class_id in';
const sqlCache = new Map<string, string>();

function rowsSql(orgs: number, classes: number): string {
  const key = `${orgs}|${classes}`;
  let sql = sqlCache.get(key);
  if (!sql) {
    sql = `${MARKS} (${placeholders(orgs)}) union all ${ATTENDANCE} (${placeholders(orgs)})${classes ? ` union all ${CLASS_HOMEWORK} (${placeholders(classes)})` : ''}`;
    sqlCache.set(key, sql);
  }
  return sql;
}

export async function studentRowsOf(db: Knex, personId: number, orgIds: number[], classIds: number[], from: string, to: string): Promise<StudentRows> {
  const out: StudentRows = { marks: [], attendance: [], classHomework: [] };
  if (orgIds.length === 0) return out;
  const perClass = classIds.length > 0 && (await hasColumn(db, 'homework', 'class_id')) && (await hasColumn(db, 'homework', 'date'));
  const bindings = [personId, from, to, ...orgIds, personId, from, to, ...orgIds, ...(perClass ? [from, to, ...classIds] : [])];
  const rows = await selectRows(db, rowsSql(orgIds.length, perClass ? classIds.length : 0), bindings);
  rows.sort((a, b) => String(a.date).localeCompare(String(b.date)) || Number(a.id) - Number(b.id));
  for (const r of rows) {
    if (r.kind === 'm') out.marks.push({ lessonId: num(r.lesson_id), view: markView(r) });
    else if (r.kind === 'a') {
      out.attendance.push({
        id: String(r.uid), date: String(r.date), lessonId: num(r.lesson_id), lessonUid: r.lesson_uid == null ? null : String(r.lesson_uid),
        precedence: Number(r.precedence ?? 0), view: { status: String(r.value), minutesLate: num(r.minutes_late) },
      });
    } else {
      out.classHomework.push({ date: String(r.date), subjectId: num(r.subject_id), view: { id: String(r.uid), text: String(r.value), dueDate: r.due_date == null ? null : String(r.due_date) } });
    }
  }
  return out;
}
