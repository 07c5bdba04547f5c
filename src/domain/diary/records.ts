/**
 * A student's marks, attendance, class homework and period marks in a window, limited to the
 * organizations the caller may see. Attendance is resolved here: per lesson and per day the entry
 * of the highest precedence stands (a teacher's journal entry beats a turnstile-derived one).
 */
import type { Knex } from 'knex';
import { hasColumn } from './optional-columns.ts';
import type { AttendanceView, HomeworkView, MarkView, PeriodMarkView } from './views.ts';

const num = (v: unknown): number | null => (v == null ? null : Number(v));

export interface MarkRow {
  lessonId: number | null;
  view: MarkView;
}

export async function marksOf(db: Knex, personId: number, orgIds: number[], from: string, to: string): Promise<MarkRow[]> {
  if (orgIds.length === 0) return [];
  const rows: Record<string, unknown>[] = await db('marks as m')
    .leftJoin('subjects as s', 's.id', 'm.subject_id')
    .leftJoin('lessons as l', 'l.id', 'm.lesson_id')
    .where('m.student_id', personId).whereBetween('m.date', [from, to]).whereNull('m.deleted_at').whereIn('m.organization_id', orgIds)
    .select('m.uid', 'm.date', 'm.lesson_id', 'l.uid as lesson_uid', 'm.value', 'm.numeric_value', 'm.weight', 'm.work_type', 's.uid as subject_uid', 's.name as subject_name')
    .orderBy('m.date').orderBy('m.id');
  return rows.map((r) => ({ lessonId: num(r.lesson_id), view: markView(r) }));
}

export function markView(r: Record<string, unknown>): MarkView {
  return {
    id: String(r.uid),
    date: String(r.date),
    value: String(r.value),
    numericValue: num(r.numeric_value),
    weight: Number(r.weight ?? 1),
    workType: r.work_type == null ? null : String(r.work_type),
    subject: r.subject_uid == null ? null : { id: String(r.subject_uid), name: String(r.subject_name) },
    lessonId: r.lesson_uid == null ? null : String(r.lesson_uid),
  };
}

export interface AttendanceEntry {
  id: string;
  date: string;
  lessonId: number | null;
  lessonUid: string | null;
  precedence: number;
  view: AttendanceView;
}

/** Every live attendance row of the window; `standing()` picks what stands. */
export async function attendanceOf(db: Knex, personId: number, orgIds: number[], from: string, to: string): Promise<AttendanceEntry[]> {
  if (orgIds.length === 0) return [];
  const rows: Record<string, unknown>[] = await db('attendance as a')
    .leftJoin('lessons as l', 'l.id', 'a.lesson_id')
    .where('a.student_id', personId).whereBetween('a.date', [from, to]).whereNull('a.deleted_at').whereIn('a.organization_id', orgIds)
    .select('a.uid', 'a.date', 'a.lesson_id', 'l.uid as lesson_uid', 'a.status', 'a.minutes_late', 'a.precedence')
    .orderBy('a.date').orderBy('a.id');
  return rows.map((r) => ({
    id: String(r.uid),
    date: String(r.date),
    lessonId: num(r.lesson_id),
    lessonUid: r.lesson_uid == null ? null : String(r.lesson_uid),
    precedence: Number(r.precedence ?? 0),
    view: { status: String(r.status), minutesLate: num(r.minutes_late) },
  }));
}

/** The entry that stands per lesson (`l:<id>`) and per day (`d:<date>`): the highest precedence. */
export function standing(entries: AttendanceEntry[]): Map<string, AttendanceEntry> {
  const out = new Map<string, AttendanceEntry>();
  for (const e of entries) {
    const key = e.lessonId === null ? `d:${e.date}` : `l:${e.lessonId}`;
    const cur = out.get(key);
    if (!cur || e.precedence > cur.precedence) out.set(key, e);
  }
  return out;
}

export interface ClassHomework {
  date: string;
  subjectId: number | null;
  view: HomeworkView;
}

/**
 * Homework the journal records per class and date rather than per lesson (homework given at a
 * lesson comes with the lesson): empty unless the journal's columns exist.
 */
export async function classHomeworkOf(db: Knex, classIds: number[], from: string, to: string): Promise<ClassHomework[]> {
  if (classIds.length === 0 || !(await hasColumn(db, 'homework', 'class_id')) || !(await hasColumn(db, 'homework', 'date'))) return [];
  const rows: Record<string, unknown>[] = await db('homework as h').whereNull('h.deleted_at').whereNull('h.lesson_id')
    .whereIn('h.class_id', classIds).whereBetween('h.date', [from, to])
    .select('h.uid', 'h.text', 'h.due_date', 'h.date', 'h.subject_id').orderBy('h.id');
  return rows.map((r) => ({
    date: String(r.date),
    subjectId: num(r.subject_id),
    view: { id: String(r.uid), text: String(r.text), dueDate: r.due_date == null ? null : String(r.due_date) },
  }));
}

/** Period (term, year) marks of subjects taught in the given organizations. */
export async function periodMarksOf(db: Knex, personId: number, orgIds: number[]): Promise<PeriodMarkView[]> {
  if (orgIds.length === 0) return [];
  const withYear = await hasColumn(db, 'period_marks', 'year_code');
  const rows: Record<string, unknown>[] = await db('period_marks as pm').join('subjects as s', 's.id', 'pm.subject_id')
    .where('pm.student_id', personId).whereNull('pm.deleted_at').whereIn('s.organization_id', orgIds)
    .select(['pm.uid', 'pm.term_code', 'pm.value', 'pm.average', 'pm.proposed', 's.uid as subject_uid', 's.name as subject_name', ...(withYear ? ['pm.year_code'] : [])])
    .orderBy('s.name').orderBy('pm.term_code');
  return rows.map((r) => ({
    id: String(r.uid),
    subject: { id: String(r.subject_uid), name: String(r.subject_name) },
    term: String(r.term_code),
    year: r.year_code == null ? null : String(r.year_code),
    value: String(r.value),
    average: num(r.average),
    proposed: Boolean(Number(r.proposed)),
  }));
}
