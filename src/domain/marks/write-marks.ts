/**
 * Writing marks rows: one shape for every source (scores, the journal), through upsertByNk, so an
 * unchanged mark is not written and a changed one keeps its row and public id.
 */
import type { Knex } from 'knex';
import type { VersionSource } from '../../db/change-versions.ts';
import { softDelete, upsertByNk, type UpsertOutcome } from '../../db/upsert.ts';
import type { LoadContext } from '../../pipeline/target.ts';

export interface MarkRow {
  nk: string;
  studentId: number;
  subjectId: number | null;
  lessonId: number | null;
  organizationId: number;
  date: string;
  value: string;
  numeric: number | null;
  weight: number;
  workType: string | null;
  score: number | null;
  maxScore: number | null;
  assessment: string | null;
  takenAt: string | null;
}

export async function writeMarks(trx: Knex.Transaction, versions: VersionSource, ctx: LoadContext, rows: MarkRow[]): Promise<UpsertOutcome> {
  return upsertByNk(trx, versions, 'marks', rows.map((m) => ({
    nk: m.nk,
    attrs: {
      student_id: m.studentId, subject_id: m.subjectId, lesson_id: m.lessonId, organization_id: m.organizationId, date: m.date,
      value: m.value, numeric_value: m.numeric, weight: m.weight, work_type: m.workType, score: m.score, max_score: m.maxScore,
      assessment: m.assessment, taken_at: m.takenAt,
    },
  })), { source: ctx.instance.name, now: ctx.now, dryRun: ctx.dryRun, refs: false, bulk: true });
}

/** Soft-deletes the live rows of `table` with these natural keys; returns how many. */
export async function deleteByNk(trx: Knex.Transaction, versions: VersionSource, ctx: LoadContext, table: string, nks: string[]): Promise<number> {
  if (nks.length === 0 || ctx.dryRun) return 0;
  const ids: number[] = [];
  for (let i = 0; i < nks.length; i += 5000) {
    for (const r of await trx(table).whereIn('nk', nks.slice(i, i + 5000)).whereNull('deleted_at').select('id')) ids.push(Number(r.id));
  }
  return softDelete(trx, versions, table, ids, ctx.now);
}

/** Local date and `HH:MM` of a UTC instant in a time zone. */
const formatters = new Map<string, Intl.DateTimeFormat>();

export function localParts(instant: string, zone: string): { date: string; time: string } {
  let f = formatters.get(zone);
  if (!f) formatters.set(zone, (f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })));
  const p = Object.fromEntries(f.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}
