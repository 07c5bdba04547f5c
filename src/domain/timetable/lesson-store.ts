/**
 * Set-based reads and writes of dated lessons: one query reads a school's lessons for a date
 * range, multi-row statements write them, and soft deletes take one statement per batch (each
 * row still gets its own change version, so keyset change feeds never skip one).
 */
import type { Knex } from 'knex';
import type { VersionSource } from '../../db/change-versions.ts';
import { contentHash, nowIso, uuidv7 } from '../../db/ids.ts';
import { selectByNk, statementRows } from '../../db/upsert.ts';
import type { AudienceMember, LessonAttrs } from './lesson-row.ts';

export interface StoredLesson extends LessonAttrs {
  id: number;
  uid: string;
  nk: string;
  source: string | null;
  deleted_at: string | null;
}

const ATTR_COLUMNS = [
  'organization_id', 'date', 'period', 'start_time', 'end_time', 'subject_id', 'room_id', 'audience_key', 'teacher_ids',
  'status', 'replaced', 'topic', 'plan_key', 'plan_hash', 'change_note',
] as const;

/** Every lesson of an organization in [from, to], deleted ones included (they may come back). */
export async function lessonsInRange(trx: Knex | Knex.Transaction, orgId: number, from: string, to: string): Promise<StoredLesson[]> {
  const rows = await trx('lessons').where({ organization_id: orgId }).whereBetween('date', [from, to])
    .select('id', 'uid', 'nk', 'source', 'deleted_at', ...ATTR_COLUMNS);
  return rows.map(decode);
}

/** Live lessons of an organization on some dates (a change list touches a handful). */
export async function lessonsOn(trx: Knex | Knex.Transaction, orgId: number, dates: string[]): Promise<StoredLesson[]> {
  if (dates.length === 0) return [];
  const rows = await trx('lessons').where({ organization_id: orgId }).whereIn('date', dates).whereNull('deleted_at')
    .select('id', 'uid', 'nk', 'source', 'deleted_at', ...ATTR_COLUMNS);
  return rows.map(decode);
}

function decode(r: Record<string, unknown>): StoredLesson {
  return {
    ...(r as unknown as StoredLesson),
    id: Number(r.id),
    organization_id: Number(r.organization_id),
    period: Number(r.period),
    subject_id: r.subject_id == null ? null : Number(r.subject_id),
    room_id: r.room_id == null ? null : Number(r.room_id),
  };
}

export interface LessonWrite {
  nk: string;
  attrs: LessonAttrs;
  /** Present for an existing row (kept uid); absent for a new one. */
  uid?: string;
  /** New rows: who attends (lesson_audience). */
  audience?: AudienceMember[];
  /** The owner to keep (a change list does not take a lesson over from its timetable). */
  source?: string | null;
}

/**
 * Inserts new rows (plain multi-row inserts: the caller read the range, so their natural keys
 * are free) and rewrites changed ones (insert … on conflict (nk) merge), then the audience of the
 * new ones. Every row written takes its own change version.
 */
export async function writeLessons(trx: Knex.Transaction, versions: VersionSource, writes: LessonWrite[], opts: { source: string; now: Date; dryRun?: boolean }): Promise<void> {
  // A dry run counts, and takes no change version (on MariaDB a lease outlives the rollback).
  if (writes.length === 0 || opts.dryRun) return;
  const stamp = nowIso(opts.now);
  const row = async (w: LessonWrite): Promise<Record<string, unknown>> => ({
    ...w.attrs, uid: w.uid ?? uuidv7(opts.now.getTime()), nk: w.nk, content_hash: contentHash(w.attrs),
    change_version: await versions.take(), created_at: stamp, updated_at: stamp, deleted_at: null,
    source: w.source === undefined ? opts.source : w.source,
  });
  const creates = writes.filter((w) => w.uid === undefined);
  const updates = writes.filter((w) => w.uid !== undefined);
  versions.expect(writes.length + creates.reduce((n, w) => n + (w.audience?.length ?? 0), 0));
  const inserted: Record<string, unknown>[] = [];
  for (const w of creates) inserted.push(await row(w));
  const changed: Record<string, unknown>[] = [];
  for (const w of updates) changed.push(await row(w));
  const cols = Object.keys(inserted[0] ?? changed[0] ?? {});
  const per = statementRows(trx, cols.length);
  for (let i = 0; i < inserted.length; i += per) await trx('lessons').insert(inserted.slice(i, i + per));
  const merge = cols.filter((c) => c !== 'uid' && c !== 'nk' && c !== 'created_at');
  for (let i = 0; i < changed.length; i += per) await trx('lessons').insert(changed.slice(i, i + per)).onConflict('nk').merge(merge);

  const fresh = creates.filter((w) => w.audience && w.audience.length > 0);
  if (fresh.length === 0) return;
  const ids = await idsOf(trx, fresh);
  const audience: Record<string, unknown>[] = [];
  for (const w of fresh) {
    const lessonId = ids.get(w.nk);
    if (lessonId === undefined) continue;
    for (const m of w.audience ?? []) {
      const attrs = { lesson_id: lessonId, class_id: m.classId, group_id: m.groupId };
      audience.push({
        ...attrs, uid: uuidv7(opts.now.getTime()), nk: `${lessonId}|${m.classId}|${m.groupId ?? ''}`, content_hash: contentHash(attrs),
        change_version: await versions.take(), created_at: stamp, updated_at: stamp, deleted_at: null, source: opts.source,
      });
    }
  }
  const perA = statementRows(trx, Object.keys(audience[0] ?? { a: 1 }).length);
  for (let i = 0; i < audience.length; i += perA) await trx('lesson_audience').insert(audience.slice(i, i + perA));
}

/** Ids of rows just inserted: many by one range scan of the organization's dates, a few by key. */
async function idsOf(trx: Knex.Transaction, written: LessonWrite[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const wanted = new Set(written.map((w) => w.nk));
  const org = written[0]!.attrs.organization_id;
  if (written.length < 1000 || written.some((w) => w.attrs.organization_id !== org)) {
    for (const r of await selectByNk<{ id: number; nk: string }>(trx, 'lessons', [...wanted], ['id', 'nk'])) ids.set(r.nk, Number(r.id));
    return ids;
  }
  const dates = written.map((w) => w.attrs.date).sort();
  const rows = await trx('lessons').where({ organization_id: org }).whereBetween('date', [dates[0]!, dates.at(-1)!]).select('id', 'nk');
  for (const r of rows) if (wanted.has(r.nk)) ids.set(r.nk, Number(r.id));
  return ids;
}

/** Soft deletes in batches: one UPDATE per batch, a distinct change version per row. */
export async function softDeleteLessons(trx: Knex.Transaction, versions: VersionSource, ids: number[], now: Date): Promise<number> {
  const stamp = nowIso(now);
  versions.expect(ids.length);
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    const cases: string[] = [];
    const bindings: number[] = [];
    for (const id of part) {
      cases.push('when ? then ?');
      bindings.push(id, await versions.take());
    }
    await trx('lessons').whereIn('id', part).whereNull('deleted_at').update({
      deleted_at: stamp,
      updated_at: stamp,
      change_version: trx.raw(`case id ${cases.join(' ')} end`, bindings),
    });
  }
  return ids.length;
}

/** Lessons that marks, attendance or homework point at: history the timetable never removes. */
export async function referencedLessons(trx: Knex.Transaction, ids: number[]): Promise<Set<number>> {
  const out = new Set<number>();
  for (let i = 0; i < ids.length; i += 5000) {
    const part = ids.slice(i, i + 5000);
    for (const table of ['marks', 'attendance', 'homework']) {
      const rows = await trx(table).whereIn('lesson_id', part).whereNull('deleted_at').distinct('lesson_id');
      for (const r of rows) out.add(Number(r.lesson_id));
    }
  }
  return out;
}
