/**
 * The change feed's items, table by table: each live row becomes an `upsert` carrying the public
 * view, each soft-deleted row a `delete` tombstone carrying its natural key in public terms (Ed-Fi
 * learned that a tombstone with only a server id cannot be replayed: reference/anchors.md §1.3).
 */
import type { Knex } from 'knex';
import { lessonsById } from './lessons.ts';
import { markView } from './records.ts';

export type FeedKind = 'lesson' | 'mark' | 'attendance' | 'homework';
export const FEED_KINDS: FeedKind[] = ['lesson', 'mark', 'attendance', 'homework'];

/** One change: the latest state of a row at its change version (not a history of the row). */
export interface FeedItem {
  changeVersion: number;
  kind: FeedKind;
  op: 'upsert' | 'delete';
  /** Public id of the row: the key a consumer stores it under. */
  id: string;
  /** Why a delete: the row was deleted, or the student refused the consumer's purpose. */
  reason?: 'deleted' | 'consent_refused';
  /** The natural key in public terms (student id, date, lesson id, ...). */
  key: Record<string, unknown>;
  /** The row as the API shows it; upserts only. */
  data?: Record<string, unknown>;
}

/** An item with the internal person it is about (null for lessons and homework), for consent and audit. */
export interface RawItem {
  personId: number | null;
  item: FeedItem;
}

/** Narrows a query on one table, whose alias is given (`m.change_version`, `a.student_id`). */
export type Narrow = (q: Knex.QueryBuilder, alias: string) => void;

const TABLE: Record<FeedKind, string> = { lesson: 'lessons', mark: 'marks', attendance: 'attendance', homework: 'homework' };

export function tableOf(kind: FeedKind): string {
  return TABLE[kind];
}

const cv = (r: Record<string, unknown>) => Number(r.change_version);
const uid = (v: unknown) => (v == null ? null : String(v));

/** Rows of one kind, narrowed by `narrow` (a change-version window or a set of persons). */
export async function fetchItems(db: Knex, kind: FeedKind, narrow: Narrow, opts: { limit?: number; liveOnly?: boolean } = {}): Promise<RawItem[]> {
  const alias = kind === 'lesson' ? 'l' : kind === 'mark' ? 'm' : kind === 'attendance' ? 'a' : 'h';
  const q = db(`${TABLE[kind]} as ${alias}`).leftJoin('organizations as o', 'o.id', `${alias}.organization_id`);
  narrow(q, alias);
  if (opts.liveOnly) q.whereNull(`${alias}.deleted_at`);
  q.orderBy(`${alias}.change_version`);
  if (opts.limit !== undefined) q.limit(opts.limit);
  switch (kind) {
    case 'lesson':
      return lessonItems(db, await q.select('l.id', 'l.uid', 'l.change_version', 'l.deleted_at', 'l.date', 'l.period', 'o.code as org_code'));
    case 'mark':
      return (await q.leftJoin('persons as p', 'p.id', 'm.student_id').leftJoin('subjects as s', 's.id', 'm.subject_id').leftJoin('lessons as l', 'l.id', 'm.lesson_id')
        .select('m.uid', 'm.change_version', 'm.deleted_at', 'm.student_id', 'p.uid as student_uid', 'm.date', 'm.lesson_id', 'l.uid as lesson_uid', 'm.value',
          'm.numeric_value', 'm.weight', 'm.work_type', 's.uid as subject_uid', 's.name as subject_name', 'o.code as org_code'))
        .map((r: Record<string, unknown>) => {
          const key = { studentId: uid(r.student_uid), date: String(r.date), lessonId: uid(r.lesson_uid), subjectId: uid(r.subject_uid), workType: uid(r.work_type) };
          const { id: _id, ...view } = markView(r);
          return item(r, 'mark', Number(r.student_id), key, { studentId: key.studentId, organization: String(r.org_code), ...view });
        });
    case 'attendance':
      return (await q.leftJoin('persons as p', 'p.id', 'a.student_id').leftJoin('lessons as l', 'l.id', 'a.lesson_id')
        .select('a.uid', 'a.change_version', 'a.deleted_at', 'a.student_id', 'p.uid as student_uid', 'a.date', 'l.uid as lesson_uid', 'a.status', 'a.minutes_late', 'a.precedence', 'o.code as org_code'))
        .map((r: Record<string, unknown>) => {
          const key = { studentId: uid(r.student_uid), date: String(r.date), lessonId: uid(r.lesson_uid) };
          return item(r, 'attendance', Number(r.student_id), key, {
            ...key, organization: String(r.org_code), status: String(r.status),
            minutesLate: r.minutes_late == null ? null : Number(r.minutes_late), precedence: Number(r.precedence),
          });
        });
    case 'homework':
      return (await q.leftJoin('lessons as l', 'l.id', 'h.lesson_id').select('h.uid', 'h.change_version', 'h.deleted_at', 'l.uid as lesson_uid', 'h.text', 'h.due_date', 'o.code as org_code'))
        .map((r: Record<string, unknown>) => {
          const key = { lessonId: uid(r.lesson_uid), dueDate: uid(r.due_date) };
          return item(r, 'homework', null, key, { ...key, organization: String(r.org_code), text: String(r.text) });
        });
  }
}

function item(r: Record<string, unknown>, kind: FeedKind, personId: number | null, key: Record<string, unknown>, data: Record<string, unknown>): RawItem {
  const deleted = r.deleted_at != null;
  const base = { changeVersion: cv(r), kind, id: String(r.uid), key };
  return { personId, item: deleted ? { ...base, op: 'delete', reason: 'deleted' } : { ...base, op: 'upsert', data } };
}

async function lessonItems(db: Knex, rows: Record<string, unknown>[]): Promise<RawItem[]> {
  if (rows.length === 0) return [];
  const live = rows.filter((r) => r.deleted_at == null).map((r) => Number(r.id));
  const [views, audience] = await Promise.all([
    lessonsById(db, live),
    // Tombstones name the audience the lesson had, so the audience rows are read deleted or not.
    db('lesson_audience as la').join('classes as c', 'c.id', 'la.class_id').leftJoin('class_groups as g', 'g.id', 'la.group_id')
      .whereIn('la.lesson_id', rows.map((r) => Number(r.id))).select('la.lesson_id', 'c.name as class_name', 'g.name as group_name').orderBy('c.name').orderBy('g.name'),
  ]);
  const names = new Map<number, string[]>();
  for (const a of audience as Record<string, unknown>[]) {
    const n = a.group_name == null ? String(a.class_name) : `${String(a.class_name)}/${String(a.group_name)}`;
    const list = names.get(Number(a.lesson_id)) ?? [];
    if (!list.includes(n)) list.push(n);
    names.set(Number(a.lesson_id), list);
  }
  return rows.map((r) => {
    const key = { organization: String(r.org_code), date: String(r.date), period: Number(r.period), audience: names.get(Number(r.id)) ?? [] };
    const view = views.get(Number(r.id))?.view;
    const { id: _id, ...data } = view ?? { id: '' };
    return item(r, 'lesson', null, key, { organization: key.organization, ...data });
  });
}
