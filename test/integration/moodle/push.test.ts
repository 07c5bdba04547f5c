/**
 * Issue 7: the roster pushed to Moodle through a whole export run (core DB -> consent filter ->
 * diff against what Moodle holds -> batched writes -> crosswalk), against the stateful fake site.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runNow } from '../../../src/pipeline/execute.ts';
import { DIALECTS } from '../../helpers/env.ts';
import { type MoodleHub, addLessons, moodleHubs, tally, writes } from './moodle-hub.ts';

const start = moodleHubs();
let m: MoodleHub | undefined;
afterEach(async () => {
  await m?.close();
  m = undefined;
});

/** 5А has a timetable (Иванова teaches Математика, Сидоров Русский язык); 5Б takes subjectsByGrade. */
async function school(o: Parameters<typeof start>[0] = {}): Promise<MoodleHub> {
  const hub = await start(o);
  await hub.roster();
  await addLessons(hub.h, [
    { className: '5А', subject: 'Математика', teacher: 'Иванова', date: '2026-11-30', period: 1 },
    { className: '5А', subject: 'Русский язык', teacher: 'Сидоров', date: '2026-11-30', period: 2 },
  ]);
  return hub;
}

const course = async (hub: MoodleHub, cls: string, subject: string) =>
  `${await hub.classUid(cls)}/${subject.toLowerCase()}`;

describe.each(DIALECTS)('the first sync into an empty Moodle (%s)', (dialect) => {
  it('creates the school category, a course per class and subject, the accounts and enrolments: four writes', async () => {
    m = await school({ dialect });
    const s = await m.sync();
    expect(s.status).toBe('succeeded');
    const org = (await m.h.rt.db('organizations').where({ code: 'sch-001' }).first('uid')).uid as string;
    const math5a = await course(m, '5А', 'Математика');
    const rus5a = await course(m, '5А', 'Русский язык');
    const math5b = await course(m, '5Б', 'Математика');
    const rus5b = await course(m, '5Б', 'Русский язык');

    // Diff first: everything read before anything is written. The courses this run just created
    // are not listed for enrolments: nobody can be enrolled in them yet.
    expect(tally(m.calls)).toEqual({
      core_course_get_categories: 2,
      core_course_create_categories: 1,
      core_course_create_courses: 1,
      core_course_get_courses_by_field: 1,
      core_user_get_users_by_field: 1,
      core_user_create_users: 1,
      enrol_manual_enrol_users: 1,
    });
    const w = writes(m.calls);
    expect(w.map((c) => c.fn)).toEqual([
      'core_course_create_categories',
      'core_course_create_courses',
      'core_user_create_users',
      'enrol_manual_enrol_users',
    ]);
    expect(w[0]!.params).toEqual({ categories: [{ name: 'МБОУ СОШ № 1', idnumber: org, parent: '0' }] });
    const year = {
      startdate: String(Date.parse('2026-08-31T20:00:00Z') / 1000),
      enddate: String(Date.parse('2027-05-31T19:59:59Z') / 1000),
    };
    const catId = String(m.site.state.categories[0]!.id);
    expect(w[1]!.params).toEqual({
      courses: [
        {
          fullname: '5А Математика (2026/2027)',
          shortname: 'sch-001 2026/2027 5А Математика',
          ...year,
          idnumber: math5a,
          categoryid: catId,
        },
        {
          fullname: '5А Русский язык (2026/2027)',
          shortname: 'sch-001 2026/2027 5А Русский язык',
          ...year,
          idnumber: rus5a,
          categoryid: catId,
        },
        {
          fullname: '5Б Математика (2026/2027)',
          shortname: 'sch-001 2026/2027 5Б Математика',
          ...year,
          idnumber: math5b,
          categoryid: catId,
        },
        {
          fullname: '5Б Русский язык (2026/2027)',
          shortname: 'sch-001 2026/2027 5Б Русский язык',
          ...year,
          idnumber: rus5b,
          categoryid: catId,
        },
      ],
    });
    const users = w[2]!.params.users as Array<Record<string, string>>;
    // Ким refused LMS: never sent. Usernames are transliterated, lower-cased, e-mails derived from them.
    expect(users.map((u) => u.username)).toEqual([
      'orlova.anna',
      'zaitsev.ilia',
      'belova.sofia',
      'elkin.petr',
      'garipova.alsu',
      'nesterov.gleb',
      'ivanova.anna',
      'sidorov.oleg',
    ]);
    expect(users[0]).toEqual({
      username: 'orlova.anna',
      firstname: 'Анна',
      lastname: 'Орлова',
      email: 'orlova.anna@sch1.example',
      idnumber: await m.uid('Орлова'),
      auth: 'manual',
      createpassword: '1',
    });
    const id = (last: string) => String(m!.site.state.users.find((u) => u.lastname === last)!.id);
    const c = (idnumber: string) => String(m!.site.course(idnumber).id);
    const student = (last: string, ...courses: string[]) =>
      courses.map((k) => ({ roleid: '11', userid: id(last), courseid: c(k) }));
    expect(w[3]!.params).toEqual({
      enrolments: [
        ...student('Орлова', math5a, rus5a),
        ...student('Зайцев', math5a, rus5a),
        ...student('Белова', math5b, rus5b),
        ...student('Ёлкин', math5a, rus5a),
        ...student('Гарипова', math5b, rus5b),
        ...student('Нестеров', math5b, rus5b),
        { roleid: '12', userid: id('Иванова'), courseid: c(math5a) },
        { roleid: '12', userid: id('Сидоров'), courseid: c(rus5a) },
      ],
    });

    // The run's counts, and the Moodle ids in the crosswalk.
    expect(s.streams.courses).toMatchObject({ read: 3, sent: 3, skipped: 0, withheld: 0, failed: 0 });
    expect(s.streams.users).toMatchObject({ read: 9, sent: 8, skipped: 0, withheld: 1, failed: 0 });
    const links = await m.h.rt
      .db('external_ids')
      .where({ source: 'lms' })
      .orderBy(['entity', 'core_id'])
      .select('entity', 'external_id', 'core_id');
    expect(
      links
        .filter((l: { entity: string }) => l.entity === 'users')
        .map((l: { external_id: string; core_id: number }) => [l.external_id, Number(l.core_id)]),
    ).toEqual(
      await Promise.all(
        ['Орлова', 'Зайцев', 'Белова', 'Ёлкин', 'Гарипова', 'Нестеров', 'Иванова', 'Сидоров'].map(async (n) => [
          await m!.uid(n),
          Number(id(n)),
        ]),
      ),
    );
    expect(links.filter((l: { entity: string }) => l.entity === 'courses')).toEqual([
      { entity: 'courses', external_id: org, core_id: Number(catId) },
    ]);
    expect(m.site.state.users.some((u) => u.lastname === 'Ким')).toBe(false);
  });
});

describe('a second sync with nothing changed', () => {
  it('reads Moodle and writes nothing', async () => {
    m = await school();
    await m.sync();
    const again = await m.sync();
    expect(again.status).toBe('succeeded');
    expect(writes(m.calls)).toEqual([]);
    // Reads only: categories and courses per stream, the active enrolments of the 4 courses, the accounts.
    expect(tally(m.calls)).toEqual({
      core_course_get_categories: 2,
      core_course_get_courses_by_field: 2,
      core_enrol_get_enrolled_users: 4,
      core_user_get_users_by_field: 1,
    });
    expect(again.streams.users).toMatchObject({ read: 9, sent: 0, skipped: 8, withheld: 1, failed: 0 });
    expect(again.streams.courses).toMatchObject({ read: 3, sent: 0, skipped: 3 });
    // The five independent reads go out together, never more than the default 2 at once.
    expect(m.maxInFlight()).toBe(2);
  });

  it.each([1, 3])('keeps at most `concurrency: %i` calls in flight', async (concurrency) => {
    m = await school({ moodle: { concurrency } });
    await m.sync();
    await m.sync();
    expect(m.maxInFlight()).toBe(concurrency);
  });
});

describe('a dry run', () => {
  it('sends nothing to Moodle', async () => {
    m = await school();
    const s = await runNow(m.h.rt, { instance: 'lms', streams: ['courses', 'users'], dryRun: true });
    expect(s.status).toBe('succeeded');
    expect(m.calls).toEqual([]);
    expect(s.streams.users).toMatchObject({ read: 9, withheld: 1, notes: { not_sent_dry_run: 8 } });
  });
});

describe('drift made by hand in Moodle', () => {
  it('a student suspended in Moodle is reactivated by exactly one call', async () => {
    m = await school();
    await m.sync();
    const orlova = m.site.user(await m.uid('Орлова'));
    orlova.suspended = true;
    const s = await m.sync();
    expect(writes(m.calls)).toEqual([
      { fn: 'core_user_update_users', params: { users: [{ id: String(orlova.id), suspended: '0' }] } },
    ]);
    expect(orlova.suspended).toBe(false);
    expect(s.streams.users).toMatchObject({ sent: 1, skipped: 7 });
  });

  it('an enrolment suspended in Moodle is made active again by exactly one call', async () => {
    m = await school();
    await m.sync();
    const belova = m.site.user(await m.uid('Белова'));
    const math5b = m.site.course(await course(m, '5Б', 'Математика'));
    m.site.state.enrolments.find((e) => e.userid === belova.id && e.courseid === math5b.id)!.active = false;
    await m.sync();
    expect(writes(m.calls)).toEqual([
      {
        fn: 'enrol_manual_enrol_users',
        params: { enrolments: [{ roleid: '11', userid: String(belova.id), courseid: String(math5b.id) }] },
      },
    ]);
    await m.sync();
    expect(writes(m.calls)).toEqual([]);
  });
});

describe('a class change', () => {
  it('enrols in the new class’s courses and suspends the old enrolments, in one call', async () => {
    m = await school();
    await m.sync();
    await m.roster((csv) =>
      csv.replace('2002;Зайцев;Илья;Петрович;02.07.2015;М;;;5А', '2002;Зайцев;Илья;Петрович;02.07.2015;М;;;5Б'),
    );
    await m.sync();
    const zaitsev = String(m.site.user(await m.uid('Зайцев')).id);
    const c = async (cls: string, subject: string) => String(m!.site.course(await course(m!, cls, subject)).id);
    expect(writes(m.calls)).toEqual([
      {
        fn: 'enrol_manual_enrol_users',
        params: {
          enrolments: [
            { roleid: '11', userid: zaitsev, courseid: await c('5Б', 'Математика') },
            { roleid: '11', userid: zaitsev, courseid: await c('5Б', 'Русский язык') },
            { roleid: '11', userid: zaitsev, courseid: await c('5А', 'Математика'), suspend: '1' },
            { roleid: '11', userid: zaitsev, courseid: await c('5А', 'Русский язык'), suspend: '1' },
          ],
        },
      },
    ]);
    const enrolled = m.site.state.enrolments
      .filter((e) => String(e.userid) === zaitsev)
      .map((e) => [m!.site.state.courses.find((x) => x.id === e.courseid)!.shortname, e.active]);
    expect(enrolled).toEqual([
      ['sch-001 2026/2027 5А Математика', false],
      ['sch-001 2026/2027 5А Русский язык', false],
      ['sch-001 2026/2027 5Б Математика', true],
      ['sch-001 2026/2027 5Б Русский язык', true],
    ]);
    await m.sync();
    expect(writes(m.calls)).toEqual([]);
  });
});

describe('a leaver', () => {
  it('is suspended (never deleted) and reactivated when coming back', async () => {
    m = await school();
    await m.sync();
    await m.roster((csv) =>
      csv
        .split('\n')
        .filter((l) => !l.startsWith('2005;'))
        .join('\n'),
    );
    expect(
      await m.h.rt
        .db('enrollments as e')
        .join('persons as p', 'p.id', 'e.person_id')
        .where('p.last_name', 'Ёлкин')
        .first('e.reason_out'),
    ).toEqual({ reason_out: 'leaving' });
    await m.sync();
    const elkin = m.site.user(await m.uid('Ёлкин'));
    expect(writes(m.calls)).toEqual([
      { fn: 'core_user_update_users', params: { users: [{ id: String(elkin.id), suspended: '1' }] } },
    ]);
    expect(m.site.state.users).toHaveLength(8);
    expect(m.site.state.enrolments.filter((e) => e.userid === elkin.id).every((e) => e.active)).toBe(true);

    await m.roster();
    await m.sync();
    expect(writes(m.calls)).toEqual([
      { fn: 'core_user_update_users', params: { users: [{ id: String(elkin.id), suspended: '0' }] } },
    ]);
  });

  it('with leavers: suspend_enrolments keeps the account and suspends the enrolments', async () => {
    m = await school({ moodle: { leavers: 'suspend_enrolments' } });
    await m.sync();
    await m.roster((csv) =>
      csv
        .split('\n')
        .filter((l) => !l.startsWith('2005;'))
        .join('\n'),
    );
    await m.sync();
    const elkin = String(m.site.user(await m.uid('Ёлкин')).id);
    const c = async (subject: string) => String(m!.site.course(await course(m!, '5А', subject)).id);
    expect(writes(m.calls)).toEqual([
      {
        fn: 'enrol_manual_enrol_users',
        params: {
          enrolments: [
            { roleid: '11', userid: elkin, courseid: await c('Математика'), suspend: '1' },
            { roleid: '11', userid: elkin, courseid: await c('Русский язык'), suspend: '1' },
          ],
        },
      },
    ]);
    // Back again: enrolling without `suspend` makes the suspended enrolments active.
    await m.roster();
    await m.sync();
    expect(writes(m.calls)).toEqual([
      {
        fn: 'enrol_manual_enrol_users',
        params: {
          enrolments: [
            { roleid: '11', userid: elkin, courseid: await c('Математика') },
            { roleid: '11', userid: elkin, courseid: await c('Русский язык') },
          ],
        },
      },
    ]);
    expect(m.site.state.enrolments.filter((e) => String(e.userid) === elkin).every((e) => e.active)).toBe(true);
  });
});

describe('a class change with removedEnrolments: unenrol', () => {
  it('unenrols from the old class’s courses, reading suspended enrolments too', async () => {
    m = await school({ moodle: { removedEnrolments: 'unenrol' } });
    await m.sync();
    await m.roster((csv) =>
      csv.replace('2002;Зайцев;Илья;Петрович;02.07.2015;М;;;5А', '2002;Зайцев;Илья;Петрович;02.07.2015;М;;;5Б'),
    );
    await m.sync();
    const zaitsev = String(m.site.user(await m.uid('Зайцев')).id);
    const c = async (cls: string, subject: string) => String(m!.site.course(await course(m!, cls, subject)).id);
    expect(writes(m.calls)).toEqual([
      {
        fn: 'enrol_manual_enrol_users',
        params: {
          enrolments: [
            { roleid: '11', userid: zaitsev, courseid: await c('5Б', 'Математика') },
            { roleid: '11', userid: zaitsev, courseid: await c('5Б', 'Русский язык') },
          ],
        },
      },
      {
        fn: 'enrol_manual_unenrol_users',
        params: {
          enrolments: [
            { userid: zaitsev, courseid: await c('5А', 'Математика') },
            { userid: zaitsev, courseid: await c('5А', 'Русский язык') },
          ],
        },
      },
    ]);
    // Both listings (all, then active) of each of the 4 courses.
    expect(tally(m.calls).core_enrol_get_enrolled_users).toBe(8);
  });
});
