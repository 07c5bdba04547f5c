/**
 * Load target `timetable.lesson`: weekly lessons of a timetable export become the dated lessons
 * of the run's range (src/domain/timetable/run-calendar.ts), with their audience. Set-based: per
 * chunk one read of the school's lessons in the range, multi-row writes, one delete statement per
 * batch. The snapshot rule (ARCHITECTURE.md) is in lesson-diff.ts; `finish` removes from today on
 * what the export no longer holds, except lessons that marks, attendance or homework reference.
 */
import type { Knex } from 'knex';
import { PermanentError } from '../../core/errors.ts';
import type { VersionSource } from '../../db/change-versions.ts';
import type { ChunkResult, LoadContext, LoadTarget, TargetReject } from '../../pipeline/target.ts';
import { expandLessons } from './expand.ts';
import { diffLessons, leftBehind, summarizeMoves } from './lesson-diff.ts';
import { boundedKey, planDated, planWeekly, type PlannedLesson } from './lesson-row.ts';
import { lessonsInRange, referencedLessons, softDeleteLessons, writeLessons } from './lesson-store.ts';
import { ownedBefore, timetableRun } from './timetable-run.ts';
import { resolveWeekly, weeklyLessonRecord, type WeeklyLessonRecord } from './weekly-record.ts';

/** A snapshot may remove at most this share of its future lessons without --confirm (or the instance's maxCloseRatio if higher). */
const REMOVE_WITHOUT_CONFIRM = 0.5;

export const lessonTarget: LoadTarget<WeeklyLessonRecord> = {
  name: 'timetable.lesson',
  schema: weeklyLessonRecord,
  keyOf: (r) => r.key,
  async loadChunk(trx, versions, records, ctx): Promise<ChunkResult> {
    const run = await timetableRun(trx, ctx);
    const { ok, rejects } = await resolveWeekly(trx, versions, ctx, run, records);
    const dated = expandLessons({ periods: run.filePeriods, lessons: ok.map((r) => r.lesson), rejects: [] }, run.cal.calendar);
    const weekly = new Map(ok.map((r) => [r.lesson.key, planWeekly(r.lesson, run.refs, r.teacherIds)]));
    const planned = new Map<string, PlannedLesson[]>();
    for (const d of dated) {
      const list = planned.get(d.sourceKey) ?? [];
      list.push(planDated(weekly.get(d.sourceKey)!, d));
      planned.set(d.sourceKey, list);
    }
    const { from, to } = run.cal.calendar;
    const existing = await lessonsInRange(trx, run.orgId, from, to);
    const owned = ownedBefore(run, existing, ctx.instance.name);
    // Two weekly lessons giving one class the same period on the same day: the later is rejected.
    const accepted: PlannedLesson[] = [];
    const keys = new Set<string>();
    for (const r of ok) {
      const rows = planned.get(r.lesson.key) ?? [];
      const clash = rows.find((p) => run.claimed.has(p.nk));
      if (clash) {
        rejects.push(conflict(r.record.index, clash, run.claimed.get(clash.nk) ?? '?'));
        continue;
      }
      for (const p of rows) run.claimed.set(p.nk, r.record.position);
      accepted.push(...rows);
      keys.add(boundedKey(r.lesson.key));
      if (!owned.futureKeys.has(boundedKey(r.lesson.key))) run.newKeys.add(boundedKey(r.lesson.key));
    }

    const byNk = new Map(existing.map((e) => [e.nk, e]));
    const diff = diffLessons(accepted, byNk, { today: run.today, pastOwned: owned.pastDates, source: ctx.instance.name });
    await writeLessons(trx, versions, diff.writes, { source: ctx.instance.name, now: ctx.now, dryRun: ctx.dryRun });
    const stale = leftBehind(existing, { today: run.today, source: ctx.instance.name, keys, produced: new Set(accepted.map((p) => p.nk)) });
    const removed = await removeUnreferenced(trx, versions, stale.filter((e) => !run.claimed.has(e.nk)).map((e) => e.id), ctx);
    const notes: Record<string, number> = {};
    if (diff.pastKept) notes.past_kept = diff.pastKept;
    if (removed.kept) notes.referenced_kept = removed.kept;
    return { created: diff.created, updated: diff.updated, unchanged: diff.unchanged, deleted: removed.deleted, rejects, notes };
  },
  async finish(trx, versions, seen, ctx) {
    const run = await timetableRun(trx, ctx);
    const seenKeys = new Set([...seen].map(boundedKey));
    const { to } = run.cal.calendar;
    const start = run.cal.calendar.from > run.today ? run.cal.calendar.from : run.today;
    const owned = start > to ? [] : await trx('lessons').where({ organization_id: run.orgId, source: ctx.instance.name }).whereNull('deleted_at')
      .whereBetween('date', [start, to]).select('id', 'nk', 'plan_key');
    const gone = owned.filter((r: { nk: string; plan_key: string | null }) => !seenKeys.has(r.plan_key ?? '') && !run.claimed.has(r.nk));
    const limit = Math.max(ctx.instance.maxCloseRatio, REMOVE_WITHOUT_CONFIRM);
    if (gone.length > 0 && gone.length / owned.length > limit && !ctx.confirm) {
      throw new PermanentError('snapshot_too_small', `this timetable would remove ${gone.length} of the ${owned.length} lessons from ${start} to ${to} that ${ctx.instance.name} placed (limit ${Math.round(limit * 100)}%); the new and changed lessons are loaded, nothing was removed. If the timetable really shrank, re-run with --confirm`);
    }
    const removed = await removeUnreferenced(trx, versions, gone.map((r: { id: number }) => Number(r.id)), ctx);
    // A weekly lesson is gone when some of its lessons were removed; one whose remaining lessons
    // are all referenced was reported before and is only counted under referenced_kept.
    const goneKeys = new Set(gone.filter((r: { id: number }) => !removed.referenced.has(Number(r.id))).map((r: { plan_key: string | null }) => r.plan_key ?? ''));
    const moves = summarizeMoves(goneKeys, run.newKeys);
    const notes: Record<string, number> = { weekly_added: moves.added, weekly_moved: moves.moved, weekly_removed: moves.removed };
    if (removed.kept) notes.referenced_kept = removed.kept;
    return { deleted: removed.deleted, notes };
  },
};

async function removeUnreferenced(trx: Knex.Transaction, versions: VersionSource, ids: number[], ctx: LoadContext): Promise<{ deleted: number; kept: number; referenced: Set<number> }> {
  if (ids.length === 0) return { deleted: 0, kept: 0, referenced: new Set() };
  const referenced = await referencedLessons(trx, ids);
  const unreferenced = ids.filter((id) => !referenced.has(id));
  const deleted = ctx.dryRun ? unreferenced.length : await softDeleteLessons(trx, versions, unreferenced, ctx.now);
  return { deleted, kept: referenced.size, referenced };
}

function conflict(index: number, p: PlannedLesson, other: string): TargetReject {
  return {
    index, field: 'period', code: 'timetable_conflict',
    message: `${p.plan.audience_key} already has a lesson in period ${p.plan.period} on ${p.plan.date} (from ${other}): one class cannot have two lessons at once`,
  };
}
