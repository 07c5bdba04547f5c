/**
 * What the turnstile benchmark needs in the core before the morning starts, written directly (the
 * roster and timetable paths have their own benchmarks): the city's students with their classes,
 * subgroups and enrollments, the roster's person links, every student's card in the register, and
 * the lessons of the benchmark day from the city's weekly timetable.
 */
import { saveLinks } from '../../src/db/crosswalk.ts';
import { writeTransaction } from '../../src/db/change-versions.ts';
import { organizationId } from '../../src/db/organizations-store.ts';
import { upsertByNk } from '../../src/db/upsert.ts';
import type { Runtime } from '../../src/runtime.ts';
import { weekday } from '../city/dates.ts';
import type { City, School } from '../city/model.ts';

export interface SeededStudent {
  personId: number;
  code: string;
  /** The card in its normal (decimal) form. */
  card: number;
  /** Start of the first and last lesson that day, local HH:MM; absent when no lessons. */
  first?: string;
  last?: string;
}

export interface SeededSchool {
  code: string;
  students: SeededStudent[];
}

/** Cards are numbered after the student: 10,000,000 + the student's number in the city. */
export const cardOf = (studentCode: string) => 10_000_000 + (Number(studentCode) - 1_000_000);

export async function seedCity(rt: Runtime, city: City, date: string): Promise<SeededSchool[]> {
  const out: SeededSchool[] = [];
  for (const school of city.schools) out.push(await seedSchool(rt, city, school, date));
  return out;
}

async function seedSchool(rt: Runtime, city: City, school: School, date: string): Promise<SeededSchool> {
  const now = rt.now();
  const year = city.calendar.year.code;
  const bells = new Map(city.calendar.bellPeriods.map((b) => [b.period, b]));
  const students = [...school.students()];
  return writeTransaction(rt.db, async (trx, versions) => {
    versions.expect(students.length * 3 + 2000);
    const orgId = await organizationId(trx, school.code);
    const opts = { source: `bench-${school.code}`, now };
    const classes = await upsertByNk(trx, versions, 'classes', school.classes.map((c) => ({ nk: `${school.code}|${year}|${c.name}`, attrs: { organization_id: orgId, year_code: year, name: c.name, grade: c.grade, letter: c.letter, homeroom_id: null } })), opts);
    const classId = (name: string) => classes.refs.get(`${school.code}|${year}|${name}`)!.id;
    const groupRows = school.classes.filter((c) => c.split).flatMap((c) => ['1', '2'].map((g) => ({ nk: `${classId(c.name)}|${g}`, attrs: { class_id: classId(c.name), name: g } })));
    const groups = await upsertByNk(trx, versions, 'class_groups', groupRows, opts);
    const groupId = (name: string, g: string | undefined) => (g ? groups.refs.get(`${classId(name)}|${g}`)!.id : null);
    const persons = await upsertByNk(trx, versions, 'persons', students.map((s) => ({
      nk: `p:bench-${s.code}`,
      attrs: { last_name: s.lastName, first_name: s.firstName, middle_name: s.middleName || null, birth_date: s.birthDate, sex: s.sex === 'M' ? 'male' : 'female', snils: s.snils.replace(/\D/g, ''), snils_checked: true, esia_id: null, name_key: `${s.lastName} ${s.firstName}`.toLowerCase(), merged_into: null },
    })), opts);
    const personId = (code: string) => persons.refs.get(`p:bench-${code}`)!.id;
    await upsertByNk(trx, versions, 'enrollments', students.map((s) => ({
      nk: `${personId(s.code)}|${orgId}|${s.enrolledOn}|${classId(s.className)}`,
      attrs: { person_id: personId(s.code), organization_id: orgId, class_id: classId(s.className), group_id: groupId(s.className, s.group), from_date: s.enrolledOn, to_date: null, reason_in: 'admission', reason_out: null },
    })), opts);
    await saveLinks(trx, `roster-${school.code}`, 'person', school.code, students.map((s) => ({ externalId: s.code, coreId: personId(s.code) })), now);
    await saveLinks(trx, `turnstile-${school.code}`, 'card', school.code, students.map((s) => ({ externalId: String(cardOf(s.code)), coreId: personId(s.code) })), now);

    // The day's lessons: one per class (or subgroup) and period of the weekly timetable.
    const today = school.timetable().filter((e) => e.weekday === weekday(date));
    const lessonRows = new Map<string, { nk: string; attrs: Record<string, unknown>; classId: number; groupId: number | null }>();
    for (const e of today) {
      const audience = e.group ? `${e.className}/${e.group}` : e.className;
      const bell = bells.get(e.period)!;
      const nk = `${school.code}|${date}|${e.period}|${audience}`;
      lessonRows.set(nk, { nk, classId: classId(e.className), groupId: groupId(e.className, e.group), attrs: { organization_id: orgId, date, period: e.period, start_time: bell.start, end_time: bell.end, subject_id: null, room_id: null, audience_key: audience, teacher_ids: null, status: 'scheduled', replaced: null, topic: null } });
    }
    const lessons = await upsertByNk(trx, versions, 'lessons', [...lessonRows.values()].map(({ nk, attrs }) => ({ nk, attrs })), opts);
    await upsertByNk(trx, versions, 'lesson_audience', [...lessonRows.values()].map((l) => {
      const lessonId = lessons.refs.get(l.nk)!.id;
      return { nk: `${lessonId}|${l.classId}|${l.groupId ?? ''}`, attrs: { lesson_id: lessonId, class_id: l.classId, group_id: l.groupId } };
    }), opts);

    // Each student's first and last lesson: their class's lessons and their own subgroup's.
    const span = new Map<string, { first: string; last: string }>();
    for (const e of today) {
      const start = bells.get(e.period)!.start;
      const key = `${e.className}|${e.group ?? ''}`;
      const cur = span.get(key);
      span.set(key, { first: !cur || start < cur.first ? start : cur.first, last: !cur || start > cur.last ? start : cur.last });
    }
    return {
      code: school.code,
      students: students.map((s) => {
        const whole = span.get(`${s.className}|`);
        const own = s.group ? span.get(`${s.className}|${s.group}`) : undefined;
        const first = [whole?.first, own?.first].filter((x): x is string => !!x).sort()[0];
        const last = [whole?.last, own?.last].filter((x): x is string => !!x).sort().at(-1);
        return { personId: personId(s.code), code: s.code, card: cardOf(s.code), ...(first && last ? { first, last } : {}) };
      }),
    };
  });
}
