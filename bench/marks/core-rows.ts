/**
 * The city's core rows the marks benchmark needs before any mark can load, inserted directly and
 * not timed: persons and their roster codes in the crosswalk, classes and subgroups, enrollments,
 * subjects, and the term's dated lessons with their audiences (what the roster and timetable
 * loaders would have left; their own benchmarks measure them).
 */
import type { Knex } from 'knex';
import { schoolDays } from '../city/calendar.ts';
import { weekday } from '../city/dates.ts';
import type { City, School } from '../city/model.ts';
import { uuidv7 } from '../../src/db/ids.ts';

const STAMP = '2026-08-31T00:00:00.000Z';
const meta = (nk: string, source: string) => ({ uid: uuidv7(), nk, content_hash: 'bench', change_version: 0, created_at: STAMP, updated_at: STAMP, deleted_at: null, source });

async function insertAll(db: Knex, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) await db(table).insert(rows.slice(i, i + 2000));
}

const ids = async (db: Knex, table: string, where: Record<string, unknown>): Promise<Map<string, number>> =>
  new Map((await db(table).where(where).select('nk', 'id')).map((r: { nk: string; id: number }) => [r.nk, Number(r.id)]));

/** Students of a school by class and subgroup: "5А" and "5А:1" -> student codes. */
export type Rosters = Map<string, string[]>;

export interface SchoolRows {
  rosters: Rosters;
  lessons: { id: number; date: string; period: number; subject: string; audience: string }[];
}

export async function insertSchool(db: Knex, city: City, school: School, yearCode: string): Promise<SchoolRows> {
  const source = `roster-${school.code}`;
  const org = Number((await db('organizations').where({ code: school.code }).first('id')).id);
  await insertAll(db, 'classes', school.classes.map((c) => ({ ...meta(`${school.code}|${yearCode}|${c.name}`, source), organization_id: org, year_code: yearCode, name: c.name, grade: c.grade, letter: c.letter, homeroom_id: null })));
  const classIds = await ids(db, 'classes', { organization_id: org });
  const classOf = (name: string) => classIds.get(`${school.code}|${yearCode}|${name}`)!;
  const split = school.classes.filter((c) => c.split);
  await insertAll(db, 'class_groups', split.flatMap((c) => ['1', '2'].map((g) => ({ ...meta(`${classOf(c.name)}|${g}`, source), class_id: classOf(c.name), name: g }))));
  const groupIds = new Map<string, number>();
  if (split.length) for (const r of await db('class_groups').whereIn('class_id', split.map((c) => classOf(c.name))).select('nk', 'id')) groupIds.set(r.nk, Number(r.id));

  const students = [...school.students()];
  await insertAll(db, 'persons', students.map((s) => ({
    ...meta(`bench|${s.code}`, source), last_name: s.lastName, first_name: s.firstName, middle_name: s.middleName, birth_date: s.birthDate,
    sex: s.sex === 'M' ? 'male' : 'female', snils: s.snils, snils_checked: true, esia_id: null, name_key: `${s.lastName} ${s.firstName} ${s.middleName}`.toLowerCase(), merged_into: null,
  })));
  const personIds = new Map<string, number>();
  for (let i = 0; i < students.length; i += 5000) {
    for (const r of await db('persons').whereIn('nk', students.slice(i, i + 5000).map((s) => `bench|${s.code}`)).select('nk', 'id')) personIds.set(String(r.nk).slice(6), Number(r.id));
  }
  await insertAll(db, 'external_ids', students.map((s) => ({ source, entity: 'person', external_id: s.code, core_id: personIds.get(s.code)!, organization: school.code, updated_at: STAMP })));
  await insertAll(db, 'enrollments', students.map((s) => {
    const classId = classOf(s.className);
    return { ...meta(`bench|${s.code}|${s.enrolledOn}`, source), person_id: personIds.get(s.code)!, organization_id: org, class_id: classId, group_id: s.group ? (groupIds.get(`${classId}|${s.group}`) ?? null) : null, from_date: s.enrolledOn, to_date: null, reason_in: 'admission', reason_out: null };
  }));
  const rosters: Rosters = new Map();
  for (const s of students) {
    for (const key of [s.className, ...(s.group ? [`${s.className}:${s.group}`] : [])]) rosters.set(key, [...(rosters.get(key) ?? []), s.code]);
  }

  const timetable = school.timetable();
  const subjects = [...new Set(timetable.map((t) => t.subject))];
  const norm = (n: string) => n.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');
  await insertAll(db, 'subjects', subjects.map((n) => ({ ...meta(`${school.code}|${norm(n)}`, `tt-${school.code}`), organization_id: org, name: n, short_name: null })));
  const subjectIds = await ids(db, 'subjects', { organization_id: org });
  const bells = new Map(city.calendar.bellPeriods.map((b) => [b.period, b]));
  const lessonRows: Record<string, unknown>[] = [];
  const audience: { nk: string; classId: number; groupId: number | null }[] = [];
  const planned: Omit<SchoolRows['lessons'][number], 'id'>[] = [];
  for (const date of schoolDays(city.calendar, school.workDays)) {
    for (const t of timetable) {
      if (t.weekday !== weekday(date)) continue;
      const aud = t.group ? `${t.className}:${t.group}` : t.className;
      const nk = `${school.code}|${date}|${t.period}|${aud}`;
      const bell = bells.get(t.period)!;
      lessonRows.push({ ...meta(nk, `tt-${school.code}`), organization_id: org, date, period: t.period, start_time: bell.start, end_time: bell.end, subject_id: subjectIds.get(`${school.code}|${norm(t.subject)}`)!, room_id: null, audience_key: aud, teacher_ids: '[]', status: 'scheduled' });
      const classId = classOf(t.className);
      audience.push({ nk, classId, groupId: t.group ? (groupIds.get(`${classId}|${t.group}`) ?? null) : null });
      planned.push({ date, period: t.period, subject: t.subject, audience: aud });
    }
  }
  await insertAll(db, 'lessons', lessonRows);
  const lessonIds = await ids(db, 'lessons', { organization_id: org });
  await insertAll(db, 'lesson_audience', audience.map((a) => {
    const id = lessonIds.get(a.nk)!;
    return { ...meta(`${id}|${a.classId}|${a.groupId ?? ''}`, `tt-${school.code}`), lesson_id: id, class_id: a.classId, group_id: a.groupId };
  }));
  return { rosters, lessons: planned.map((p) => ({ ...p, id: lessonIds.get(`${school.code}|${p.date}|${p.period}|${p.audience}`)! })) };
}
