/**
 * Dated lessons for a student (through their classes and subgroups) or a teacher (through
 * `teacher_ids`), with their audience and the homework given at them, in one query; subjects,
 * rooms, teachers' names and class names come from the reference cache.
 */
import type { Knex } from 'knex';
import { hasColumn } from './optional-columns.ts';
import { selectRows } from './raw-rows.ts';
import { parseReplaced, parseTeacherIds } from './json-columns.ts';
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

const max = (a: string, b: string) => (a > b ? a : b);
const min = (a: string, b: string) => (a < b ? a : b);

async function lessonColumns(db: Knex): Promise<string[]> {
  const cols = [
    'l.id', 'l.uid', 'l.organization_id', 'l.date', 'l.period', 'l.start_time', 'l.end_time', 'l.subject_id',
    'l.room_id', 'l.teacher_ids', 'l.status',
    'l.replaced', 'l.topic', 'l.updated_at', 'a2.class_id as aud_class', 'a2.group_id as aud_group',
    'h.uid as hw_uid', 'h.text as hw_text', 'h.due_date as hw_due',
  ];
  if (await hasColumn(db, 'lessons', 'change_note')) cols.push('l.change_note');
  return cols;
}

/** One row per (lesson, audience entry, homework): joint lessons and homework are rare, so few. */
function baseQuery(db: Knex, from: 'lessons' | 'audience'): Knex.QueryBuilder {
  const q = from === 'audience'
    ? db('lesson_audience as la').join('lessons as l', 'l.id', 'la.lesson_id').whereNull('la.deleted_at')
    : db('lessons as l');
  return q.leftJoin('lesson_audience as a2', (j) => j.on('a2.lesson_id', 'l.id').andOnNull('a2.deleted_at'))
    .leftJoin('homework as h', (j) => j.on('h.lesson_id', 'l.id').andOnNull('h.deleted_at'))
    .whereNull('l.deleted_at');
}

const JOINS = ' left join lesson_audience a2 on a2.lesson_id = l.id and a2.deleted_at is null' +
  ' left join homework h on h.lesson_id = l.id and h.deleted_at is null';
const sqlCache = new Map<string, string>();

/**
 * The student's lessons as SQL text, one disjunct per enrollment (with or without a subgroup):
 * la.date (a trigger-kept copy of the lesson's date, migration 0007) makes each one index range.
 */
function studentLessonsSql(columns: string[], grouped: boolean[]): string {
  const key = `${columns.length}|${grouped.join(',')}`;
  let sql = sqlCache.get(key);
  if (!sql) {
    const span = (g: boolean) => '(la.class_id = ? and (la.date between ? and ? or la.date is null) and l.organization_id = ?' +
      ` and l.date between ? and ? and (la.group_id is null${g ? ' or la.group_id = ?' : ''}))`;
    sql = `select ${columns.join(', ')} from lesson_audience la join lessons l on l.id = la.lesson_id${JOINS}` +
      ` where la.deleted_at is null and l.deleted_at is null and (${grouped.map(span).join(' or ')})`;
    sqlCache.set(key, sql);
  }
  return sql;
}

/** Lessons of the student's classes (and own subgroup) within each enrollment's dates. */
export async function lessonsForStudent(db: Knex, enrollments: StudentEnrollment[], from: string, to: string): Promise<LessonRow[]> {
  const spans = enrollments
    .map((e) => ({ e, lo: max(from, e.from), hi: min(to, e.to ?? to) }))
    .filter((s) => s.lo <= s.hi);
  if (spans.length === 0) return [];
  const columns = await lessonColumns(db);
  const bindings = spans.flatMap(({ e, lo, hi }) => [e.classId, lo, hi, e.organizationId, lo, hi, ...(e.groupId === null ? [] : [e.groupId])]);
  return decorate(db, await selectRows(db, studentLessonsSql(columns, spans.map((s) => s.e.groupId !== null)), bindings));
}

/** Lessons a teacher (person id) teaches in the given organizations. */
export async function lessonsForTeacher(db: Knex, personId: number, orgIds: number[], from: string, to: string): Promise<LessonRow[]> {
  if (orgIds.length === 0) return [];
  const rows = await baseQuery(db, 'lessons').whereIn('l.organization_id', orgIds).whereBetween('l.date', [from, to])
    .select(await lessonColumns(db));
  // teacher_ids is JSON text: filtered here rather than with dialect-specific JSON functions; a
  // school has about a hundred lessons a day, so a three-week window is a few thousand rows.
  return decorate(db, rows.filter((r: Record<string, unknown>) => parseTeacherIds(r.teacher_ids).includes(personId)));
}

/** Lessons by internal id (the change feed). */
export async function lessonsById(db: Knex, ids: number[]): Promise<Map<number, LessonRow>> {
  if (ids.length === 0) return new Map();
  const rows = await baseQuery(db, 'lessons').whereIn('l.id', ids).select(await lessonColumns(db));
  return new Map((await decorate(db, rows)).map((l) => [l.id, l]));
}

interface Gathered {
  row: Record<string, unknown>;
  audience: { classId: number; groupId: number | null }[];
  homework: HomeworkView[];
}

/**
 * Folds the joined rows back into one entry per lesson, ordered by date, period and id (sorted
 * here: the rows are few, and an ORDER BY would cost the database a temporary table).
 */
function gather(rows: Record<string, unknown>[]): Gathered[] {
  const byId = new Map<number, Gathered>();
  for (const r of rows) {
    const id = Number(r.id);
    let g = byId.get(id);
    if (!g) byId.set(id, (g = { row: r, audience: [], homework: [] }));
    if (r.aud_class != null) {
      const a = { classId: Number(r.aud_class), groupId: r.aud_group == null ? null : Number(r.aud_group) };
      if (!g.audience.some((x) => x.classId === a.classId && x.groupId === a.groupId)) g.audience.push(a);
    }
    if (r.hw_uid != null && !g.homework.some((h) => h.id === r.hw_uid)) {
      g.homework.push({ id: String(r.hw_uid), text: String(r.hw_text), dueDate: r.hw_due == null ? null : String(r.hw_due) });
    }
  }
  return [...byId.values()].sort((a, b) =>
    String(a.row.date).localeCompare(String(b.row.date)) || Number(a.row.period) - Number(b.row.period) || Number(a.row.id) - Number(b.row.id));
}

async function decorate(db: Knex, rows: Record<string, unknown>[]): Promise<LessonRow[]> {
  if (rows.length === 0) return [];
  const lessons = gather(rows);
  const refs = references(db);
  const teacherIds = new Map(lessons.map((g) => [Number(g.row.id), parseTeacherIds(g.row.teacher_ids)]));
  const replaced = new Map(lessons.map((g) => [Number(g.row.id), parseReplaced(g.row.replaced)]));
  const replacedSubjects = [...new Set([...replaced.values()].flatMap((r) => (r?.subjectId != null ? [r.subjectId] : [])))];
  const audience = lessons.flatMap((g) => g.audience);
  const num = (v: unknown) => (v == null ? [] : [Number(v)]);
  const [teachers, classes, groups, subjects, rooms] = await Promise.all([
    refs.persons.get([...teacherIds.values()].flat()),
    refs.classes.get(audience.map((a) => a.classId)),
    refs.groups.get(audience.flatMap((a) => (a.groupId === null ? [] : [a.groupId]))),
    refs.subjects.get([...replacedSubjects, ...lessons.flatMap((g) => num(g.row.subject_id))]),
    refs.rooms.get(lessons.flatMap((g) => num(g.row.room_id))),
  ]);
  const subjectRef = (id: unknown): SubjectRef | null => {
    const x = id == null ? undefined : subjects.get(Number(id));
    return x ? { id: x.uid, name: x.name } : null;
  };
  return lessons.map(({ row: r, audience: aud, homework }) => {
    const id = Number(r.id);
    const rep = replaced.get(id) ?? null;
    const subject = subjectRef(r.subject_id);
    let insteadOf: LessonView['insteadOf'] = null;
    if (rep?.subjectId != null && rep.subjectId !== Number(r.subject_id)) insteadOf = subjectRef(rep.subjectId);
    else if (rep?.subjectName && rep.subjectName !== subject?.name) insteadOf = { id: null, name: rep.subjectName };
    const names = aud
      .map((a) => {
        const c = classes.get(a.classId)?.name ?? '?';
        return a.groupId === null ? c : `${c}/${groups.get(a.groupId)?.name ?? '?'}`;
      })
      .sort((a, b) => a.localeCompare(b, 'ru'));
    return {
      id,
      organizationId: Number(r.organization_id),
      subjectId: r.subject_id == null ? null : Number(r.subject_id),
      teacherIds: teacherIds.get(id) ?? [],
      classIds: [...new Set(aud.map((a) => a.classId))],
      homework,
      updatedAt: String(r.updated_at),
      view: {
        id: String(r.uid),
        date: String(r.date),
        period: Number(r.period),
        startTime: String(r.start_time),
        endTime: String(r.end_time),
        subject,
        teachers: (teacherIds.get(id) ?? []).flatMap((t) => {
          const p = teachers.get(t);
          return p ? [{ id: p.uid, name: p.name }] : [];
        }),
        room: r.room_id == null ? null : (rooms.get(Number(r.room_id))?.name ?? null),
        topic: r.topic == null || r.topic === '' ? null : String(r.topic),
        status: String(r.status ?? 'scheduled'),
        insteadOf,
        note: typeof r.change_note === 'string' && r.change_note !== '' ? r.change_note : (rep?.note ?? null),
        audience: names,
      },
    };
  });
}
