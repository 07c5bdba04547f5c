/**
 * One week of the generated school's timetable written straight into the core tables (subjects,
 * lessons, lesson_audience, teachers by their short code): what the Moodle export reads to know
 * each class's subjects and who teaches them. The timetable connectors would produce the same rows.
 */
import type { Knex } from 'knex';
import { writeTransaction } from '../../src/db/change-versions.ts';
import { upsertByNk } from '../../src/db/upsert.ts';
import type { School } from '../city/model.ts';

/** Monday of the benchmark week. */
const MONDAY = Date.parse('2026-11-30T00:00:00Z');

export async function loadWeek(db: Knex, school: School): Promise<number> {
  const entries = school.timetable();
  return writeTransaction(db, async (trx, versions) => {
    const org = await trx('organizations').where({ code: school.code }).first('id');
    const opts = { source: 'bench-timetable', now: new Date() };
    const subjects = await upsertByNk(
      trx,
      versions,
      'subjects',
      [...new Set(entries.map((e) => e.subject))].map((name) => ({
        nk: `subject|${school.code}|${name.toLowerCase()}`,
        attrs: { organization_id: org.id, name, short_name: null },
      })),
      opts,
    );
    const classes = new Map(
      (await trx('classes').where({ organization_id: org.id }).select('id', 'name')).map(
        (c: { id: number; name: string }) => [c.name, Number(c.id)],
      ),
    );
    const teachers = new Map(
      (await trx('staff').where({ organization_id: org.id }).select('person_id', 'short_code')).map(
        (s: { person_id: number; short_code: string }) => [s.short_code, Number(s.person_id)],
      ),
    );
    const rows = entries.map((e) => {
      const date = new Date(MONDAY + (e.weekday - 1) * 86_400_000).toISOString().slice(0, 10);
      const nk = `bench|${school.code}|${date}|${e.period}|${e.className}|${e.group ?? ''}`;
      return {
        nk,
        classId: classes.get(e.className),
        attrs: {
          organization_id: org.id,
          date,
          period: e.period,
          start_time: '08:30',
          end_time: '09:15',
          subject_id: subjects.refs.get(`subject|${school.code}|${e.subject.toLowerCase()}`)!.id,
          room_id: null,
          audience_key: `${e.className}|${e.group ?? ''}`,
          teacher_ids: JSON.stringify([teachers.get(e.teacher)].filter((t) => t !== undefined)),
          status: 'scheduled',
        },
      };
    });
    const lessons = await upsertByNk(
      trx,
      versions,
      'lessons',
      rows.map(({ nk, attrs }) => ({ nk, attrs })),
      opts,
    );
    await upsertByNk(
      trx,
      versions,
      'lesson_audience',
      rows
        .filter((r) => r.classId !== undefined)
        .map((r) => ({
          nk: `${r.nk}|a`,
          attrs: { lesson_id: lessons.refs.get(r.nk)!.id, class_id: r.classId, group_id: null },
        })),
      opts,
    );
    return rows.length;
  });
}
