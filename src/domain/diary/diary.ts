/**
 * A student's diary for a window: days -> lessons -> marks, attendance, homework (the shape of a
 * NetSchool week diary, reference/russia.md §1.4, with public ids). Lessons come from the
 * student's classes within each enrollment; marks and attendance from the student's own rows; all
 * limited to the organizations the caller may see.
 */
import type { Knex } from 'knex';
import { lessonsForStudent, type LessonRow } from './lessons.ts';
import { standing, type AttendanceEntry } from './records.ts';
import type { DiaryRead } from './diary-read.ts';
import { resolveStudentRows, studentRowsOf, type RawRow } from './student-rows.ts';
import type { StudentEnrollment } from './student.ts';
import type { DiaryDay, DiaryLesson } from './views.ts';

export interface DiaryLessonRow extends LessonRow {
  diary: DiaryLesson;
}

export interface Diary {
  days: DiaryDay[];
  lessons: DiaryLessonRow[];
  /** The latest updated_at of the rows shown (null when there are none). */
  lastUpdated: string | null;
}

/**
 * `pre`: the class-weeks and rows of the window as diary-read.ts read them in one statement, for
 * any scope; only those of `enrollments` (the caller's scope) are used.
 */
export async function loadDiary(db: Knex, personId: number, enrollments: StudentEnrollment[], from: string, to: string, pre?: Omit<DiaryRead, 'student'>): Promise<Diary> {
  const orgIds = new Set(enrollments.map((e) => e.organizationId));
  const classIds = new Set(enrollments.map((e) => e.classId));
  const inScope = (r: RawRow) => (r.kind === 'h' ? classIds.has(Number(r.class_id)) : orgIds.has(Number(r.organization_id)));
  const [lessons, raw] = await Promise.all([
    lessonsForStudent(db, enrollments, from, to, pre?.weeks),
    pre ? pre.rows.filter(inScope) : studentRowsOf(db, personId, [...orgIds], [...classIds], from, to),
  ]);
  const { marks, attendance, classHomework } = await resolveStudentRows(db, raw, new Map(lessons.map((l) => [l.id, l.view.id])));
  const stands = standing(attendance);
  const days = new Map<string, DiaryDay>();
  const day = (date: string): DiaryDay => {
    let d = days.get(date);
    if (!d) days.set(date, (d = { date, lessons: [], marks: [], attendance: null, homework: [] }));
    return d;
  };
  const byLesson = new Map<number, DiaryLessonRow>();
  const rows: DiaryLessonRow[] = lessons.map((l) => {
    const dayEntry: AttendanceEntry | undefined = stands.get(`d:${l.view.date}`);
    const own = stands.get(`l:${l.id}`) ?? dayEntry;
    const v = l.view;
    const diary: DiaryLesson = {
      id: v.id, date: v.date, period: v.period, startTime: v.startTime, endTime: v.endTime, subject: v.subject, teachers: v.teachers,
      room: v.room, topic: v.topic, status: v.status, insteadOf: v.insteadOf, note: v.note, audience: v.audience,
      marks: [], attendance: own?.view ?? null, homework: [...l.homework],
    };
    const row: DiaryLessonRow = { ...l, diary };
    byLesson.set(l.id, row);
    day(l.view.date).lessons.push(row.diary);
    return row;
  });
  for (const m of marks) {
    const at = m.lessonId === null ? undefined : byLesson.get(m.lessonId);
    if (at) at.diary.marks.push(m.view);
    else day(m.view.date).marks.push(m.view);
  }
  for (const [key, e] of stands) if (key.startsWith('d:')) day(e.date).attendance = e.view;
  // Homework recorded per class and date goes to that day's lesson of its subject, else to the day.
  for (const h of classHomework) {
    const at = rows.find((r) => r.view.date === h.date && (h.subjectId === null || r.subjectId === h.subjectId));
    if (at) at.diary.homework.push(h.view);
    else day(h.date).homework.push(h.view);
  }
  let lastUpdated: string | null = null;
  for (const l of lessons) if (!lastUpdated || l.updatedAt > lastUpdated) lastUpdated = l.updatedAt;
  return { days: [...days.values()].sort((a, b) => a.date.localeCompare(b.date)), lessons: rows, lastUpdated };
}
