/**
 * The class-week read model of the diary (migration 0009): the lessons of one class and one week
 * (Monday to Sunday, every subgroup), folded with their audience and homework into lesson records,
 * kept as one payload in `diary_weeks`.
 *
 * - Triggers on lessons, lesson_audience and homework bump a class-week's `version` and clear
 *   `fresh` whenever anything in it changes, whoever writes.
 * - A read takes the fresh payloads and builds the others from the core tables, storing each under
 *   the version it read before building (`update ... where version = ?`): a write that committed
 *   in between, or is still open, leaves the payload unstored, so a stale one is never kept.
 * - `refreshDiaryWeeks()` builds the weeks writers made stale, in bulk, so that reads find them
 *   fresh; the API server runs it every few seconds (src/api/server.ts).
 *
 * Payloads hold ids, not names: subjects, rooms, teachers and classes are named from the
 * reference cache when the lessons are read, so a rename needs no rebuild.
 */
import type { Knex } from 'knex';
import { addDays, mondayOf } from './dates.ts';
import { lessonColumns, recordsOf, type LessonRecord } from './lesson-records.ts';
import { placeholders, selectRows } from './raw-rows.ts';

type RawLessonRow = Record<string, unknown>;

/** A lesson of a class-week, with the subgroups of that class it is for (null: the whole class). */
export interface ClassWeekLesson {
  classId: number;
  ownGroups: (number | null)[];
  lesson: LessonRecord;
}

/** Bumped when the payload's meaning changes: payloads of another format are rebuilt. */
const FORMAT = 1;
/** Class-weeks built per refresher batch (one index range each, one transaction to store). */
const BATCH = 500;

/** The Mondays of the weeks that [from, to] touches. */
export function weeksOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let w = mondayOf(from); w <= to; w = addDays(w, 7)) out.push(w);
  return out;
}

const JOINS = ' left join lesson_audience a2 on a2.lesson_id = l.id and a2.deleted_at is null' +
  ' left join homework h on h.lesson_id = l.id and h.deleted_at is null';

/**
 * The joined rows (lesson x audience entry x homework) of the classes' lessons in [from, to],
 * each with the class and subgroup it reached the class through (own_class, own_group).
 */
async function buildRows(db: Knex, columns: string[], classIds: number[], from: string, to: string): Promise<RawLessonRow[]> {
  const sql = `select la.class_id as own_class, la.group_id as own_group, ${columns.join(', ')}` +
    ` from lesson_audience la join lessons l on l.id = la.lesson_id${JOINS}` +
    ` where la.deleted_at is null and l.deleted_at is null and la.class_id in (${placeholders(classIds.length)})` +
    ' and (la.date between ? and ? or la.date is null) and l.date between ? and ?';
  return selectRows(db, sql, [...classIds, from, to, from, to]);
}

/** A class-week's lessons as stored: one array per lesson, positions as in `toTuple`. */
function encode(lessons: ClassWeekLesson[]): string {
  return JSON.stringify({ f: FORMAT, l: lessons.map(toTuple) });
}

const toTuple = ({ ownGroups, lesson: l }: ClassWeekLesson): unknown[] => [
  l.id, l.uid, l.organizationId, l.date, l.period, l.startTime, l.endTime, l.subjectId, l.roomId, l.teacherIds, l.status,
  l.replaced, l.topic, l.updatedAt, l.changeNote, l.audience.map((a) => [a.classId, a.groupId]),
  l.homework.map((h) => [h.id, h.text, h.dueDate]), ownGroups,
];

type Tuple = [number, string, number, string, number, string, string, number | null, number | null, number[], string,
  LessonRecord['replaced'], string | null, string, string | null, [number, number | null][], [string, string, string | null][], (number | null)[]];

function decode(classId: number, payload: unknown): ClassWeekLesson[] | undefined {
  if (typeof payload !== 'string') return undefined;
  try {
    const p = JSON.parse(payload) as { f?: number; l?: Tuple[] };
    if (p.f !== FORMAT || !Array.isArray(p.l)) return undefined;
    return p.l.map((t) => ({
      classId,
      ownGroups: t[17],
      lesson: {
        id: t[0], uid: t[1], organizationId: t[2], date: t[3], period: t[4], startTime: t[5], endTime: t[6], subjectId: t[7],
        roomId: t[8], teacherIds: t[9], status: t[10], replaced: t[11], topic: t[12], updatedAt: t[13], changeNote: t[14],
        audience: t[15].map(([classId, groupId]) => ({ classId, groupId })),
        homework: t[16].map(([id, text, dueDate]) => ({ id, text, dueDate })),
      },
    }));
  } catch {
    return undefined;
  }
}

/** Lessons of one class-week from its joined rows, each with the class's subgroups it is for. */
function lessonsOf(classId: number, rows: RawLessonRow[]): ClassWeekLesson[] {
  const groups = new Map<number, (number | null)[]>();
  for (const r of rows) {
    const id = Number(r.id);
    const g = r.own_group == null ? null : Number(r.own_group);
    const list = groups.get(id) ?? [];
    if (!list.includes(g)) list.push(g);
    groups.set(id, list);
  }
  return recordsOf(rows).map((lesson) => ({ classId, ownGroups: groups.get(lesson.id)!, lesson }));
}

interface Stale {
  classId: number;
  week: string;
  /** The version read before building; null when the class-week has no row (nothing to store under). */
  version: number | null;
}

/**
 * Builds the given class-weeks from the core tables and stores each under the version it was read
 * at. Returns the lessons built and how many payloads were stored.
 */
async function build(db: Knex, columns: string[], stale: Stale[], inTransaction: boolean): Promise<{ lessons: ClassWeekLesson[]; stored: number }> {
  const rows = new Map<string, RawLessonRow[]>(stale.map((s) => [`${s.classId}|${s.week}`, []]));
  const byWeek = new Map<string, number[]>();
  for (const s of stale) {
    const list = byWeek.get(s.week) ?? [];
    list.push(s.classId);
    byWeek.set(s.week, list);
  }
  for (const [week, classIds] of byWeek) {
    for (const r of await buildRows(db, columns, classIds, week, addDays(week, 6))) {
      rows.get(`${Number(r.own_class)}|${mondayOf(String(r.date))}`)?.push(r);
    }
  }
  const built = new Map(stale.map((s) => [`${s.classId}|${s.week}`, lessonsOf(s.classId, rows.get(`${s.classId}|${s.week}`)!)]));
  const toStore = stale.filter((s) => s.version !== null);
  let stored = 0;
  const store = async (trx: Knex | Knex.Transaction) => {
    for (const s of toStore) {
      stored += await trx('diary_weeks').where({ class_id: s.classId, week: s.week, version: s.version! })
        .update({ payload: encode(built.get(`${s.classId}|${s.week}`)!), fresh: 1 });
    }
  };
  if (toStore.length > 1 && inTransaction) await db.transaction(store);
  else await store(db);
  return { lessons: [...built.values()].flat(), stored };
}

/** A row of diary_weeks as read. */
export interface WeekRow {
  classId: number;
  week: string;
  version: number;
  fresh: boolean;
  payload: unknown;
}

/** A WeekRow from a row carrying diary_weeks' columns (here, or in diary-read.ts's statement). */
export const weekRowOf = (r: Record<string, unknown>): WeekRow =>
  ({ classId: Number(r.class_id), week: String(r.week), version: Number(r.version), fresh: Number(r.fresh) === 1, payload: r.payload });

async function weekRows(db: Knex, classIds: number[], weeks: string[]): Promise<WeekRow[]> {
  const rows = await selectRows(db,
    `select class_id, week, version, fresh, payload from diary_weeks where class_id in (${placeholders(classIds.length)}) and week in (${placeholders(weeks.length)})`,
    [...classIds, ...weeks]);
  return rows.map(weekRowOf);
}

/**
 * The lessons of the classes in [from, to] (every subgroup; callers keep their own), from fresh
 * payloads where there are, built (and stored) where not. `known`: the class-weeks' rows when the
 * caller has read them already (diary-read.ts).
 */
export async function classWeekLessons(db: Knex, classIds: number[], from: string, to: string, known?: WeekRow[]): Promise<ClassWeekLesson[]> {
  if (classIds.length === 0 || from > to) return [];
  const weeks = weeksOf(from, to);
  const found = known ?? (await weekRows(db, classIds, weeks));
  const byKey = new Map(found.map((r) => [`${r.classId}|${r.week}`, r]));
  const out: ClassWeekLesson[] = [];
  const stale: Stale[] = [];
  for (const classId of classIds) {
    for (const week of weeks) {
      const row = byKey.get(`${classId}|${week}`);
      const lessons = row?.fresh ? decode(classId, row.payload) : undefined;
      if (lessons) out.push(...lessons);
      else stale.push({ classId, week, version: row ? row.version : null });
    }
  }
  if (stale.length) out.push(...(await build(db, await lessonColumns(db), stale, false)).lessons);
  return out.filter((x) => x.lesson.date >= from && x.lesson.date <= to);
}

/**
 * Builds the class-weeks writers made stale, oldest week first, until none is left, `limit` is
 * reached, or a pass stores nothing (every build raced a write: the next call picks them up).
 */
export async function refreshDiaryWeeks(db: Knex, opts: { limit?: number } = {}): Promise<{ built: number }> {
  const columns = await lessonColumns(db);
  const limit = opts.limit ?? Number.POSITIVE_INFINITY;
  let built = 0;
  while (built < limit) {
    const stale: Stale[] = (await db('diary_weeks').where('fresh', 0).orderBy('week').orderBy('class_id')
      .limit(Math.min(BATCH, limit - built)).select('class_id', 'week', 'version'))
      .map((r: { class_id: number; week: string; version: number }) => ({ classId: Number(r.class_id), week: String(r.week), version: Number(r.version) }));
    if (stale.length === 0) break;
    const { stored } = await build(db, columns, stale, true);
    built += stored;
    if (stored === 0) break;
  }
  return { built };
}
