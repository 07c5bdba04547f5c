/**
 * What every chunk of one timetable run shares, computed at its first chunk and kept in the run's
 * cache: the calendar range, the organization's references, the bell periods, and what this
 * instance owned before the run (so "already owned" does not shift while the run writes).
 */
import type { Knex } from 'knex';
import { todayIn } from '../../config/organizations.ts';
import { organizationId } from '../../db/organizations-store.ts';
import { getRun } from '../../pipeline/runs-store.ts';
import type { LoadContext } from '../../pipeline/target.ts';
import type { BellPeriod } from './model.ts';
import { TimetableReferences } from './references.ts';
import { runCalendar, type RunCalendar } from './run-calendar.ts';

export interface TimetableRun {
  orgId: number;
  /** Today in the organization's time zone: lessons before it are history. */
  today: string;
  cal: RunCalendar;
  refs: TimetableReferences;
  /** The file's own bell periods (the organization's win over them when expanding). */
  filePeriods: BellPeriod[];
  /** What this instance owned in the range before the run: set by the first chunk's read. */
  owned: OwnedBefore | undefined;
  /** nk -> position of the weekly lesson that produced it in this run (conflicts, removals). */
  claimed: Map<string, string>;
  /** plan_keys this run brought that had no lesson from today on before. */
  newKeys: Set<string>;
}

export interface OwnedBefore {
  /** Past dates on which this instance already had lessons: those days are not rewritten. */
  pastDates: Set<string>;
  /** plan_keys of this instance's lessons from today on. */
  futureKeys: Set<string>;
}

/** Taken once per run, from the first chunk's read of the range (later chunks see this run's writes). */
export function ownedBefore(run: TimetableRun, rows: Iterable<{ source: string | null; deleted_at: string | null; date: string; plan_key: string | null }>, source: string): OwnedBefore {
  if (run.owned) return run.owned;
  const owned: OwnedBefore = { pastDates: new Set(), futureKeys: new Set() };
  for (const r of rows) {
    if (r.source !== source || r.deleted_at !== null) continue;
    if (r.date < run.today) owned.pastDates.add(r.date);
    else owned.futureKeys.add(r.plan_key ?? '');
  }
  run.owned = owned;
  return owned;
}

const KEY = 'timetable:run';
export const filePeriodsKey = (instance: string): string => `timetable:file-periods:${instance}`;

export async function timetableRun(trx: Knex.Transaction, ctx: LoadContext): Promise<TimetableRun> {
  const cached = ctx.cache.get(KEY) as TimetableRun | undefined;
  if (cached) {
    cached.today = todayIn(ctx.org.timeZone, ctx.now);
    return cached;
  }
  const orgId = await organizationId(trx, ctx.org.code);
  const today = todayIn(ctx.org.timeZone, ctx.now);
  const input = (await getRun(trx, ctx.runId))?.input;
  const cal = runCalendar(ctx.org, today, { from: input?.from, to: input?.to });
  const refs = await TimetableReferences.of(trx, ctx, orgId, cal.yearCode);
  const run: TimetableRun = {
    orgId, today, cal, refs, filePeriods: await filePeriods(trx, ctx, orgId), owned: undefined, claimed: new Map(), newKeys: new Set(),
  };
  ctx.cache.set(KEY, run);
  return run;
}

/** From this run's periods stream when it ran, else what an earlier run stored. */
async function filePeriods(trx: Knex.Transaction, ctx: LoadContext, orgId: number): Promise<BellPeriod[]> {
  const fromRun = ctx.cache.get(filePeriodsKey(ctx.instance.name)) as BellPeriod[] | undefined;
  if (fromRun) return fromRun;
  const rows = await trx('bell_periods').where({ organization_id: orgId }).whereNull('deleted_at').orderBy('period').select('period', 'start_time', 'end_time');
  return rows.map((r: { period: number; start_time: string; end_time: string }) => ({ period: Number(r.period), start: r.start_time, end: r.end_time }));
}

/** Whether the calendar can place a period at all: the organization's bells or the file's. */
export function bellFor(run: TimetableRun, period: number): BellPeriod | undefined {
  return run.cal.calendar.bellPeriods?.find((b) => b.period === period) ?? run.filePeriods.find((b) => b.period === period);
}
