/**
 * A school's lessons for one day, written straight into lessons + lesson_audience with the bell
 * periods of the calendar: what the demo uses when no timetable was imported for its day, and what
 * tests of the turnstile use instead of a timetable file.
 */
import { writeTransaction } from '../db/change-versions.ts';
import { organizationId } from '../db/organizations-store.ts';
import { upsertByNk } from '../db/upsert.ts';
import type { Runtime } from '../runtime.ts';

export interface ClassDay {
  className: string;
  /** A subgroup of the class (created if the roster has none by that name). */
  group?: string;
  periods: number[];
}

export async function insertDayLessons(rt: Runtime, org: string, date: string, plan: ClassDay[], source = 'day-lessons'): Promise<number> {
  const bells = new Map(rt.orgs.get(org).calendar.bellPeriods.map((b) => [b.period, b]));
  const year = rt.orgs.yearOf(org, date)?.code;
  if (!year) throw new Error(`${date} is in no academic year of ${org}`);
  return writeTransaction(rt.db, async (trx, versions) => {
    const orgId = await organizationId(trx, org);
    const classes = new Map<string, number>((await trx('classes').where({ organization_id: orgId, year_code: year }).whereNull('deleted_at').select('id', 'name')).map((c: { id: number; name: string }) => [c.name, Number(c.id)]));
    let written = 0;
    for (const day of plan) {
      const classId = classes.get(day.className);
      if (classId === undefined) throw new Error(`no class ${day.className} of ${org} in ${year}: load the roster first`);
      let groupId: number | null = null;
      if (day.group) {
        const g = await upsertByNk(trx, versions, 'class_groups', [{ nk: `${classId}|${day.group}`, attrs: { class_id: classId, name: day.group } }], { source, now: rt.now() });
        groupId = g.refs.get(`${classId}|${day.group}`)!.id;
      }
      const audience = day.group ? `${day.className}/${day.group}` : day.className;
      const lessons = day.periods.map((p) => {
        const bell = bells.get(p);
        if (!bell) throw new Error(`no bell period ${p} in the calendar of ${org}`);
        return { nk: `${org}|${date}|${p}|${audience}`, attrs: { organization_id: orgId, date, period: p, start_time: bell.start, end_time: bell.end, subject_id: null, room_id: null, audience_key: audience, teacher_ids: null, status: 'scheduled', replaced: null, topic: null } };
      });
      const res = await upsertByNk(trx, versions, 'lessons', lessons, { source, now: rt.now() });
      const audienceRows = lessons.map((l) => {
        const lessonId = res.refs.get(l.nk)!.id;
        return { nk: `${lessonId}|${classId}|${groupId ?? ''}`, attrs: { lesson_id: lessonId, class_id: classId, group_id: groupId } };
      });
      await upsertByNk(trx, versions, 'lesson_audience', audienceRows, { source, now: rt.now() });
      written += res.created + res.updated;
    }
    return written;
  });
}
