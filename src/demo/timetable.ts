/**
 * Demo: both schools' timetables (an aSc export for sch-001, Untis GPU files with the day's
 * substitutions for sch-002) become dated lessons for the year; a re-run writes nothing.
 */
import type { Knex } from 'knex';
import { formatSummary } from '../cli/summary.ts';
import { todayIn } from '../config/organizations.ts';
import { runNow } from '../pipeline/execute.ts';
import { listRejects } from '../pipeline/runs-store.ts';
import { addDemoStep } from './steps.ts';

addDemoStep({
  name: 'timetable',
  describe: 'import the timetables of both demo schools (aSc XML, Untis GPU with substitutions) as dated lessons',
  async run(rt, say) {
    for (const instance of ['timetable-sch-001', 'timetable-sch-002']) {
      const s = await runNow(rt, { instance });
      say(formatSummary(s));
      for (const r of await listRejects(rt.db, s.runId)) say(`  rejected ${r.stream} ${r.position} [${r.code}]: ${r.message}`);
    }
    const again = await runNow(rt, { instance: 'timetable-sch-001' });
    const l = again.streams.lessons;
    say(`re-run of timetable-sch-001: ${l?.created ?? 0} lessons created, ${l?.updated ?? 0} updated, ${l?.deleted ?? 0} removed, ${l?.unchanged ?? 0} unchanged`);
    const counts = (await rt.db('lessons as l').join('organizations as o', 'o.id', 'l.organization_id').whereNull('l.deleted_at')
      .groupBy('o.code').select('o.code').count({ n: '*' }).min({ first: 'l.date' }).max({ last: 'l.date' })) as unknown as { code: string; n: number; first: string; last: string }[];
    for (const c of counts) say(`core: ${c.code} has ${c.n} dated lessons from ${c.first} to ${c.last}`);
    say(`today in sch-002 is ${todayIn(rt.orgs.get('sch-002').timeZone, rt.now())}; its 5А on Wednesday 2 and Friday 4 December 2026, after the substitutions:`);
    for (const line of await day(rt.db, 'sch-002', ['2026-12-02', '2026-12-04'], '5А')) say(`  ${line}`);
  },
});

/** "2026-12-02 1 08:30-09:15 5А Математика КравцовАМ (вместо СоколоваИВ) каб. 12". */
async function day(db: Knex, org: string, dates: string[], className: string): Promise<string[]> {
  const rows = await db('lessons as l').join('organizations as o', 'o.id', 'l.organization_id')
    .join('lesson_audience as a', 'a.lesson_id', 'l.id').join('classes as c', 'c.id', 'a.class_id')
    .leftJoin('subjects as s', 's.id', 'l.subject_id').leftJoin('rooms as r', 'r.id', 'l.room_id')
    .where({ 'o.code': org, 'c.name': className }).whereIn('l.date', dates).whereNull('l.deleted_at')
    .orderBy(['l.date', 'l.period']).distinct('l.id', 'l.date', 'l.period', 'l.start_time', 'l.end_time', 'l.audience_key', 'l.teacher_ids', 'l.replaced', 'l.status', 'l.change_note', 's.name as subject', 'r.name as room');
  const staff = new Map<number, string>();
  for (const s of await db('staff').whereNotNull('short_code').select('person_id', 'short_code')) staff.set(Number(s.person_id), String(s.short_code));
  const names = (ids: number[]) => ids.map((id) => staff.get(id) ?? `#${id}`).join(', ');
  return rows.map((r: Record<string, string | number | null>) => {
    const replaced = r.replaced ? (JSON.parse(String(r.replaced)) as { teacher_ids?: number[] }) : {};
    const instead = replaced.teacher_ids ? ` (вместо ${names(replaced.teacher_ids)})` : '';
    const status = r.status === 'cancelled' ? ` — отменён${r.change_note ? `: ${r.change_note}` : ''}` : '';
    return `${r.date} ${r.period} ${r.start_time}-${r.end_time} ${r.audience_key} ${r.subject} ${names(JSON.parse(String(r.teacher_ids)) as number[])}${instead} каб. ${r.room}${status}`;
  });
}
