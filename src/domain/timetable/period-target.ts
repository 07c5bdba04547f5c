/**
 * Load target `timetable.period`: the bell periods a timetable file declares (aSc `<periods>`,
 * the Excel template's `Звонки`). The organization's bells in hub.yaml win period by period
 * (ARCHITECTURE.md: bell periods are declared per organization), so only periods hub.yaml does
 * not declare are stored; the file's list also serves the lessons stream of the same run.
 */
import { z } from 'zod';
import { organizationId } from '../../db/organizations-store.ts';
import { softDelete, upsertByNk } from '../../db/upsert.ts';
import type { LoadTarget } from '../../pipeline/target.ts';
import type { BellPeriod } from './model.ts';
import { filePeriodsKey } from './timetable-run.ts';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time HH:MM');

export const periodRecord = z.object({ period: z.number().int().min(0).max(20), start: hhmm, end: hhmm })
  .refine((p) => p.start < p.end, { message: 'a period must end after it starts', path: ['end'] });
export type PeriodRecord = z.infer<typeof periodRecord>;

export const periodTarget: LoadTarget<PeriodRecord> = {
  name: 'timetable.period',
  schema: periodRecord,
  keyOf: (r) => String(r.period),
  async loadChunk(trx, versions, records, ctx) {
    const key = filePeriodsKey(ctx.instance.name);
    const list = (ctx.cache.get(key) as BellPeriod[] | undefined) ?? [];
    list.push(...records.map((r) => ({ period: r.data.period, start: r.data.start, end: r.data.end })));
    ctx.cache.set(key, list);
    const declared = new Set(ctx.org.calendar.bellPeriods.map((b) => b.period));
    const own = records.filter((r) => !declared.has(r.data.period));
    const orgId = await organizationId(trx, ctx.org.code);
    const res = await upsertByNk(trx, versions, 'bell_periods', own.map((r) => ({
      nk: `${ctx.org.code}|${r.data.period}`,
      attrs: { organization_id: orgId, period: r.data.period, start_time: r.data.start, end_time: r.data.end },
    })), { source: ctx.instance.name, now: ctx.now, dryRun: ctx.dryRun });
    const overridden = records.length - own.length;
    return {
      created: res.created, updated: res.updated, unchanged: res.unchanged + overridden, rejects: [],
      notes: overridden ? { bells_from_hub_yaml: overridden } : {},
    };
  },
  async finish(trx, versions, seen, ctx) {
    const orgId = await organizationId(trx, ctx.org.code);
    const rows = await trx('bell_periods').where({ organization_id: orgId, source: ctx.instance.name }).whereNull('deleted_at').select('id', 'period');
    const gone = rows.filter((r: { period: number }) => !seen.has(String(r.period))).map((r: { id: number }) => Number(r.id));
    return { deleted: ctx.dryRun ? gone.length : await softDelete(trx, versions, 'bell_periods', gone, ctx.now) };
  },
};
