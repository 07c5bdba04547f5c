/**
 * Dated lessons for a student (through their classes and subgroups, from the class-week read
 * model) or a teacher (through `teacher_ids`), with their audience and the homework given at them;
 * subjects, rooms, teachers' names and class names come from the reference cache.
 */
import type { Knex } from 'knex';
import { classWeekLessons, type WeekRow } from './class-weeks.ts';
import { byDatePeriod, lessonColumns, recordsOf, type LessonRecord } from './lesson-records.ts';
import { references } from './reference-cache.ts';
import type { StudentEnrollment } from './student.ts';
import type { HomeworkView, LessonView, SubjectRef } from './views.ts';

export interface LessonRow {
  id: number;
  organizationId: number;
  subjectId: number | null;
  teacherIds: number[];
  /** The classes of the audience (internal ids): the «Моя школа» schedule groups lessons by class. */
  classIds: number[];
  /** Homework given at this lesson. */
  homework: HomeworkView[];
  updatedAt: string;
  view: LessonView;
}

const collator = new Intl.Collator('ru');
const byName = (a: string, b: string) => collator.compare(a, b);
const max = (a: string, b: string) => (a > b ? a : b);
const min = (a: string, b: string) => (a < b ? a : b);

/** One row per (lesson, audience entry, homework): joint lessons and homework are rare, so few. */
function baseQuery(db: Knex): Knex.QueryBuilder {
  return db('lessons as l').leftJoin('lesson_audience as a2', (j) => j.on('a2.lesson_id', 'l.id').andOnNull('a2.deleted_at'))
    .leftJoin('homework as h', (j) => j.on('h.lesson_id', 'l.id').andOnNull('h.deleted_at'))
    .whereNull('l.deleted_at');
}

/**
 * Lessons of the student's classes (and own subgroup) within each enrollment's dates, from the
 * class-week read model (class-weeks.ts); `known`: its rows, when the caller has read them.
 */
export async function lessonsForStudent(db: Knex, enrollments: StudentEnrollment[], from: string, to: string, known?: WeekRow[]): Promise<LessonRow[]> {
  const spans = enrollments
    .map((e) => ({ e, lo: max(from, e.from), hi: min(to, e.to ?? to) }))
    .filter((s) => s.lo <= s.hi);
  if (spans.length === 0) return [];
  const classIds = [...new Set(spans.map((s) => s.e.classId))];
  const lo = spans.reduce((a, s) => min(a, s.lo), to);
  const hi = spans.reduce((a, s) => max(a, s.hi), from);
  const mine = new Map<number, LessonRecord>();
  for (const { classId, ownGroups, lesson: l } of await classWeekLessons(db, classIds, lo, hi, known)) {
    if (mine.has(l.id)) continue;
    const reached = spans.some(({ e, lo: a, hi: b }) => classId === e.classId && l.organizationId === e.organizationId &&
      l.date >= a && l.date <= b && ownGroups.some((g) => g === null || g === e.groupId));
    if (reached) mine.set(l.id, l);
  }
  return decorate(db, [...mine.values()].sort(byDatePeriod));
}

/** Lessons a teacher (person id) teaches in the given organizations. */
export async function lessonsForTeacher(db: Knex, personId: number, orgIds: number[], from: string, to: string): Promise<LessonRow[]> {
  if (orgIds.length === 0) return [];
  const rows = await baseQuery(db).whereIn('l.organization_id', orgIds).whereBetween('l.date', [from, to])
    .select(await lessonColumns(db));
  // teacher_ids is JSON text: filtered here rather than with dialect-specific JSON functions; a
  // school has about a hundred lessons a day, so a three-week window is a few thousand rows.
  return decorate(db, recordsOf(rows).filter((l) => l.teacherIds.includes(personId)));
}

/** Lessons by internal id (the change feed). */
export async function lessonsById(db: Knex, ids: number[]): Promise<Map<number, LessonRow>> {
  if (ids.length === 0) return new Map();
  const rows = await baseQuery(db).whereIn('l.id', ids).select(await lessonColumns(db));
  return new Map((await decorate(db, recordsOf(rows))).map((l) => [l.id, l]));
}

async function decorate(db: Knex, lessons: LessonRecord[]): Promise<LessonRow[]> {
  if (lessons.length === 0) return [];
  const refs = references(db);
  const teacherIds: number[] = [];
  const classIds: number[] = [];
  const groupIds: number[] = [];
  const subjectIds: number[] = [];
  const roomIds: number[] = [];
  for (const l of lessons) {
    teacherIds.push(...l.teacherIds);
    for (const a of l.audience) {
      classIds.push(a.classId);
      if (a.groupId !== null) groupIds.push(a.groupId);
    }
    if (l.subjectId !== null) subjectIds.push(l.subjectId);
    if (l.replaced?.subjectId != null) subjectIds.push(l.replaced.subjectId);
    if (l.roomId !== null) roomIds.push(l.roomId);
  }
  const [teachers, classes, groups, subjects, rooms] = await Promise.all([
    refs.persons.get(teacherIds),
    refs.classes.get(classIds),
    refs.groups.get(groupIds),
    refs.subjects.get(subjectIds),
    refs.rooms.get(roomIds),
  ]);
  const subjectRef = (id: number | null): SubjectRef | null => {
    const x = id === null ? undefined : subjects.get(id);
    return x ? { id: x.uid, name: x.name } : null;
  };
  return lessons.map((l) => {
    const rep = l.replaced;
    const subject = subjectRef(l.subjectId);
    let insteadOf: LessonView['insteadOf'] = null;
    if (rep?.subjectId != null && rep.subjectId !== l.subjectId) insteadOf = subjectRef(rep.subjectId);
    else if (rep?.subjectName && rep.subjectName !== subject?.name) insteadOf = { id: null, name: rep.subjectName };
    const names = l.audience.map((a) => {
      const c = classes.get(a.classId)?.name ?? '?';
      return a.groupId === null ? c : `${c}/${groups.get(a.groupId)?.name ?? '?'}`;
    });
    if (names.length > 1) names.sort(byName);
    const taught: LessonView['teachers'] = [];
    for (const t of l.teacherIds) {
      const p = teachers.get(t);
      if (p) taught.push({ id: p.uid, name: p.name });
    }
    return {
      id: l.id,
      organizationId: l.organizationId,
      subjectId: l.subjectId,
      teacherIds: l.teacherIds,
      classIds: [...new Set(l.audience.map((a) => a.classId))],
      homework: l.homework,
      updatedAt: l.updatedAt,
      view: {
        id: l.uid,
        date: l.date,
        period: l.period,
        startTime: l.startTime,
        endTime: l.endTime,
        subject,
        teachers: taught,
        room: l.roomId === null ? null : (rooms.get(l.roomId)?.name ?? null),
        topic: l.topic,
        status: l.status,
        insteadOf,
        note: l.changeNote ?? rep?.note ?? null,
        audience: names,
      },
    };
  });
}
