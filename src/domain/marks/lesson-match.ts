/**
 * Attaching a mark (or attendance, homework, a topic) to its dated lesson: a lesson of the same
 * subject that day whose audience is the student's class, as a whole or the student's subgroup.
 * With a period the lesson of that period is taken; with a time of day the nearest lesson; with
 * neither the day's first. No such lesson (no timetable loaded, or none that day) leaves the
 * row on its date and subject alone.
 */
import type { Knex } from 'knex';

export interface Placement {
  classId: number;
  groupId: number | null;
}

/** The class and subgroup of each student on each date: enrollments open on that date. */
export async function placements(
  trx: Knex | Knex.Transaction,
  orgId: number,
  wanted: { studentId: number; date: string }[],
): Promise<(studentId: number, date: string) => Placement | undefined> {
  const students = [...new Set(wanted.map((w) => w.studentId))];
  const byStudent = new Map<number, { from: string; to: string | null; classId: number; groupId: number | null }[]>();
  for (let i = 0; i < students.length; i += 5000) {
    const rows = await trx('enrollments').where({ organization_id: orgId }).whereIn('person_id', students.slice(i, i + 5000)).whereNull('deleted_at')
      .select('person_id', 'class_id', 'group_id', 'from_date', 'to_date');
    for (const r of rows) {
      const list = byStudent.get(Number(r.person_id)) ?? [];
      list.push({ from: r.from_date, to: r.to_date, classId: Number(r.class_id), groupId: r.group_id === null ? null : Number(r.group_id) });
      byStudent.set(Number(r.person_id), list);
    }
  }
  return (studentId, date) => {
    const e = byStudent.get(studentId)?.find((x) => x.from <= date && (x.to === null || x.to >= date));
    return e ? { classId: e.classId, groupId: e.groupId } : undefined;
  };
}

export interface LessonQuery {
  date: string;
  subjectId: number | null;
  classId: number;
  /** The student's subgroup; null matches lessons of the whole class or of any group. */
  groupId: number | null;
  period?: number | null | undefined;
  /** Among several lessons that fit (a split class), the one of this subject. */
  subjectHint?: number | null | undefined;
  /** Local time of day `HH:MM`, when the source gives one. */
  time?: string | null | undefined;
}

interface LessonRow {
  id: number;
  date: string;
  period: number;
  start: number;
  end: number;
  subjectId: number | null;
  classId: number;
  groupId: number | null;
}

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Loads the candidate lessons of a chunk in one query; returns a matcher. */
export async function lessonMatcher(
  trx: Knex | Knex.Transaction,
  orgId: number,
  queries: LessonQuery[],
): Promise<(q: LessonQuery) => number | null> {
  const dates = [...new Set(queries.map((q) => q.date))];
  const classes = [...new Set(queries.map((q) => q.classId))];
  const byDayClass = new Map<string, LessonRow[]>();
  if (dates.length > 0 && classes.length > 0) {
    const rows = await trx('lessons as l').join('lesson_audience as la', 'la.lesson_id', 'l.id')
      .where('l.organization_id', orgId).whereIn('l.date', dates).whereIn('la.class_id', classes)
      .whereNull('l.deleted_at').whereNull('la.deleted_at').whereNot('l.status', 'cancelled')
      .select('l.id', 'l.date', 'l.period', 'l.start_time', 'l.end_time', 'l.subject_id', 'la.class_id', 'la.group_id');
    for (const r of rows) {
      const row: LessonRow = {
        id: Number(r.id), date: r.date, period: Number(r.period), start: minutes(r.start_time), end: minutes(r.end_time),
        subjectId: r.subject_id === null ? null : Number(r.subject_id), classId: Number(r.class_id), groupId: r.group_id === null ? null : Number(r.group_id),
      };
      const k = `${row.date}|${row.classId}`;
      byDayClass.set(k, [...(byDayClass.get(k) ?? []), row]);
    }
    for (const list of byDayClass.values()) list.sort((a, b) => a.period - b.period || a.id - b.id);
  }
  return (q) => {
    const candidates = (byDayClass.get(`${q.date}|${q.classId}`) ?? []).filter((l) =>
      (q.subjectId === null || l.subjectId === q.subjectId) && (l.groupId === null || q.groupId === null || l.groupId === q.groupId));
    if (q.period !== null && q.period !== undefined) {
      const inPeriod = candidates.filter((l) => l.period === q.period);
      return (inPeriod.find((l) => l.subjectId === q.subjectHint) ?? inPeriod[0])?.id ?? null;
    }
    if (candidates.length === 0) return null;
    if (!q.time) return candidates[0]!.id;
    const t = minutes(q.time);
    const distance = (l: LessonRow) => (t < l.start ? l.start - t : t > l.end ? t - l.end : 0);
    return candidates.reduce((best, l) => (distance(l) < distance(best) ? l : best)).id;
  };
}
