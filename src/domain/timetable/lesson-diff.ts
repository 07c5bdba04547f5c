/**
 * A snapshot's dated lessons against what the database holds (ARCHITECTURE.md: "a snapshot
 * replaces what the same source owned in the same scope and date range"). Pure: the target reads
 * the rows and writes the outcome.
 * - From today on, the snapshot decides: new lessons are created, changed plans rewritten,
 *   unchanged ones not written (their plan hash is equal), the day's changes kept on top.
 * - Before today, lessons are history: a past day this source already filled is not rewritten,
 *   only counted when the new plan differs; a past day it never filled (a first import in the
 *   middle of a term) is filled.
 */
import { scheduledRow, type PlannedLesson } from './lesson-row.ts';
import type { LessonWrite, StoredLesson } from './lesson-store.ts';
import { replanChanged } from './replaced.ts';

export interface LessonDiff {
  writes: LessonWrite[];
  created: number;
  updated: number;
  unchanged: number;
  /** Past lessons whose new plan differs (or that the new plan lacks or adds): reported, kept. */
  pastKept: number;
}

export function diffLessons(
  planned: PlannedLesson[],
  existing: Map<string, StoredLesson>,
  opts: { today: string; pastOwned: Set<string>; source: string },
): LessonDiff {
  const out: LessonDiff = { writes: [], created: 0, updated: 0, unchanged: 0, pastKept: 0 };
  for (const p of planned) {
    const cur = existing.get(p.nk);
    const same = cur !== undefined && cur.deleted_at === null && cur.plan_hash === p.planHash && cur.source === opts.source;
    if (p.plan.date < opts.today && opts.pastOwned.has(p.plan.date)) {
      if (same) out.unchanged++;
      else out.pastKept++;
      continue;
    }
    if (same) {
      out.unchanged++;
      continue;
    }
    if (!cur) {
      out.created++;
      out.writes.push({ nk: p.nk, attrs: scheduledRow(p), audience: p.audience });
      continue;
    }
    out.updated++;
    const fresh = scheduledRow(p, cur.topic);
    const changed = cur.deleted_at === null && (cur.status !== 'scheduled' || cur.replaced !== null);
    out.writes.push({ nk: p.nk, uid: cur.uid, attrs: changed ? replanChanged(cur, fresh) : fresh });
  }
  return out;
}

/**
 * This source's lessons from today on that belong to weekly lessons of this chunk but were not
 * produced again (a holiday declared since, a narrowed validity): to remove.
 */
export function leftBehind(
  existing: Iterable<StoredLesson>,
  opts: { today: string; source: string; keys: Set<string>; produced: Set<string> },
): StoredLesson[] {
  const out: StoredLesson[] = [];
  for (const e of existing) {
    if (e.deleted_at !== null || e.source !== opts.source || e.date < opts.today) continue;
    if (e.plan_key !== null && opts.keys.has(e.plan_key) && !opts.produced.has(e.nk)) out.push(e);
  }
  return out;
}

/** "1.3|5Б||МАТ|ИвановаАП|all" -> "5Б||МАТ|ИвановаАП|all": the lesson without its slot. */
const withoutSlot = (key: string): string => key.slice(key.indexOf('|') + 1);

/**
 * Weekly lessons gone and new, paired into moves when only the slot (weekday.period) differs.
 * Keys are the source's lesson keys (src/domain/timetable/key.ts), slot first.
 */
export function summarizeMoves(gone: Iterable<string>, added: Iterable<string>): { added: number; moved: number; removed: number } {
  const pool = new Map<string, number>();
  let removed = 0;
  for (const k of gone) {
    removed++;
    pool.set(withoutSlot(k), (pool.get(withoutSlot(k)) ?? 0) + 1);
  }
  let moved = 0;
  let fresh = 0;
  for (const k of added) {
    const n = pool.get(withoutSlot(k)) ?? 0;
    if (n > 0) {
      pool.set(withoutSlot(k), n - 1);
      moved++;
    } else {
      fresh++;
    }
  }
  return { added: fresh, moved, removed: removed - moved };
}
