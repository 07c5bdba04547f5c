import { describe, expect, it } from 'vitest';
import { moodleConfigSchema } from '../../../connectors/moodle/config.ts';
import { desiredCourses, desiredPeople } from '../../../connectors/moodle/desired.ts';
import { planPeople, writeOps } from '../../../connectors/moodle/sync-plan.ts';
import type { PlanOptions } from '../../../connectors/moodle/sync-types.ts';
import { assignUsernames } from '../../../connectors/moodle/usernames.ts';
import type { ExportRow } from '../../../src/core/contract.ts';
import { BASE_URL, TOKEN } from './fake-moodle.ts';
import { emptyMoodle } from './moodle-state.ts';

const config = moodleConfigSchema.parse({
  baseUrl: BASE_URL,
  token: TOKEN,
  roles: { student: 11, teacher: 12 },
  emailDomain: 'sch.example',
  subjectsByGrade: { 5: ['Математика', 'Русский язык'] },
});
const options: PlanOptions = {
  roles: { student: 11, teacher: 12 },
  leavers: 'suspend_user',
  removedEnrolments: 'suspend',
  newUser: { auth: 'manual', createpassword: true },
};

const CLASS_5A = '0190a1b2-0000-7000-8000-00000000c5a1';
const CLASS_6B = '0190a1b2-0000-7000-8000-00000000c6b1';
const SCHOOL = '0190a1b2-0000-7000-8000-0000000000aa';
const row = (publicId: string, data: Record<string, unknown>): ExportRow => ({ publicId, kind: 'upsert', data });
const klass = (uid: string, name: string, grade: number, subjects: string[]) =>
  row(uid, {
    kind: 'class',
    name,
    grade,
    year: '2026/2027',
    starts_at: '2026-08-31T20:00:00.000Z',
    ends_at: null,
    organization: 'sch-001',
    organization_id: SCHOOL,
    subjects,
  });

describe('usernames', () => {
  it('are lastname.firstname, transliterated; namesakes after the first get the end of their public id', () => {
    const names = assignUsernames([
      { idnumber: '0190a1b2-0000-7000-8000-0000000000b2', lastname: 'Зайцев', firstname: 'Илья' },
      { idnumber: '0190a1b2-0000-7000-8000-0000000000b1', lastname: 'Зайцев', firstname: 'Илья' },
      { idnumber: '0190a1b2-0000-7000-8000-0000000000c1', lastname: 'Гусейн Заде', firstname: 'Эльдар' },
    ]);
    expect([...names]).toEqual([
      ['0190a1b2-0000-7000-8000-0000000000b1', 'zaitsev.ilia'],
      ['0190a1b2-0000-7000-8000-0000000000b2', 'zaitsev.ilia.00b2'],
      ['0190a1b2-0000-7000-8000-0000000000c1', 'guseinzade.eldar'],
    ]);
  });

  it('a namesake joining later never renames the account of the one who was there first', () => {
    const first = { idnumber: '0190a1b2-0000-7000-8000-0000000000b1', lastname: 'Зайцев', firstname: 'Илья' };
    const later = { idnumber: '0190ffff-0000-7000-8000-0000000000b9', lastname: 'Зайцев', firstname: 'Илья' };
    expect(assignUsernames([first]).get(first.idnumber)).toBe('zaitsev.ilia');
    expect(assignUsernames([later, first]).get(first.idnumber)).toBe('zaitsev.ilia');
  });
});

describe('courses wanted', () => {
  it('follow a class’s lessons, else the subjects configured for its grade; one course per subject key', () => {
    const wish = desiredCourses(
      [
        row(SCHOOL, { kind: 'school', code: 'sch-001', name: 'МБОУ СОШ № 1', short_name: 'СОШ № 1' }),
        klass(CLASS_5A, '5А', 5, []),
        klass(CLASS_6B, '6Б', 6, ['Алгебра', 'алгебра', 'Физика']),
      ],
      config,
    );
    expect(wish.categories).toEqual([{ idnumber: SCHOOL, name: 'СОШ № 1' }]);
    expect(wish.courses.map((c) => [c.idnumber, c.shortname, c.fullname])).toEqual([
      [`${CLASS_5A}/математика`, 'sch-001 2026/2027 5А Математика', '5А Математика (2026/2027)'],
      [`${CLASS_5A}/русский язык`, 'sch-001 2026/2027 5А Русский язык', '5А Русский язык (2026/2027)'],
      [`${CLASS_6B}/алгебра`, 'sch-001 2026/2027 6Б Алгебра', '6Б Алгебра (2026/2027)'],
      [`${CLASS_6B}/физика`, 'sch-001 2026/2027 6Б Физика', '6Б Физика (2026/2027)'],
    ]);
    expect(wish.courses[0]).toMatchObject({
      categoryIdnumber: SCHOOL,
      startdate: Date.parse('2026-08-31T20:00:00Z') / 1000,
    });
    expect(wish.courses[0]).not.toHaveProperty('enddate');
  });

  it('a class with neither lessons nor configured subjects gets none, and a malformed row is reported', () => {
    const wish = desiredCourses([klass(CLASS_6B, '6Б', 6, []), row('x', { kind: 'class', name: '7А' })], config);
    expect(wish.coursesOf.get(CLASS_6B)).toEqual([]);
    expect(wish.problems.get('x')).toMatchObject({ code: 'moodle_bad_row' });
  });
});

describe('people wanted', () => {
  const ANNA = '0190a1b2-0000-7000-8000-000000000a01';
  const OLGA = '0190a1b2-0000-7000-8000-000000000a02';
  const GONE = '0190a1b2-0000-7000-8000-000000000a03';
  const rows: ExportRow[] = [
    row(ANNA, {
      role: 'student',
      last_name: 'Орлова',
      first_name: 'Анна',
      active: true,
      organization_id: SCHOOL,
      class_id: CLASS_5A,
      grade: 5,
      class_subjects: [],
    }),
    row(OLGA, {
      role: 'teacher',
      last_name: 'Иванова',
      first_name: 'Ольга',
      active: true,
      organization_id: SCHOOL,
      teaches: [{ class_id: CLASS_6B, subject: 'Физика' }],
    }),
    { publicId: GONE, kind: 'tombstone', reason: 'consent_refused', data: {} },
  ];

  it('students are enrolled in their class’s courses, teachers where they teach; a tombstone is withdrawn', () => {
    const wish = desiredPeople(rows, config);
    expect(wish.users).toEqual([
      {
        idnumber: ANNA,
        username: 'orlova.anna',
        firstname: 'Анна',
        lastname: 'Орлова',
        email: 'orlova.anna@sch.example',
        status: 'active',
      },
      {
        idnumber: OLGA,
        username: 'ivanova.olga',
        firstname: 'Ольга',
        lastname: 'Иванова',
        email: 'ivanova.olga@sch.example',
        status: 'active',
      },
      { idnumber: GONE, username: '', firstname: '', lastname: '', email: '', status: 'withdrawn' },
    ]);
    expect(wish.enrolments).toEqual([
      { userIdnumber: ANNA, courseIdnumber: `${CLASS_5A}/математика`, role: 'student' },
      { userIdnumber: ANNA, courseIdnumber: `${CLASS_5A}/русский язык`, role: 'student' },
      { userIdnumber: OLGA, courseIdnumber: `${CLASS_6B}/физика`, role: 'teacher' },
    ]);
    expect([...wish.schools]).toEqual([SCHOOL]);
  });

  it('a withdrawn account is suspended and nothing else about it is sent; one Moodle never had is not created', () => {
    const current = {
      ...emptyMoodle(),
      users: [{ id: 7, fullname: 'x', idnumber: GONE, username: 'kim.denis', suspended: false }],
    };
    const ops = writeOps(
      planPeople(
        desiredPeople([rows[2]!, { publicId: OLGA, kind: 'tombstone', reason: 'deleted', data: {} }], config),
        current,
        new Set(),
        options,
      ),
    );
    expect(ops).toEqual([{ op: 'suspend_user', idnumber: GONE, id: 7, changes: { suspended: true } }]);
  });
});
