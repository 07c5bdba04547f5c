import { describe, expect, it } from 'vitest';
import {
  createCategories,
  getCategoriesByIdnumber,
} from '../../../connectors/moodle/categories.ts';
import {
  createCourses,
  getCourseByIdnumber,
  getCoursesByField,
  updateCourses,
} from '../../../connectors/moodle/courses.ts';
import { enrolUsers, readCourseEnrolments } from '../../../connectors/moodle/enrol.ts';
import {
  getAssignGrades,
  getGradeItems,
  getQuizBestGrade,
} from '../../../connectors/moodle/grades.ts';
import { ROSTER_FUNCTIONS, checkFunctions } from '../../../connectors/moodle/site.ts';
import { normalizeUsername } from '../../../connectors/moodle/username.ts';
import { getUsersByIdnumber, updateUsers } from '../../../connectors/moodle/users.ts';
import { fixture, listField, nullBody, useFakeMoodle } from './fake-moodle.ts';

const moodle = useFakeMoodle();

describe('site check', () => {
  it('lists the required functions the token’s service lacks', async () => {
    const info = fixture('site-info.json') as { functions: Array<{ name: string }> };
    moodle.respond(() => ({
      ...info,
      functions: info.functions.filter((f) => f.name !== 'enrol_manual_unenrol_users'),
    }));
    expect(await checkFunctions(moodle.client(), ROSTER_FUNCTIONS)).toEqual([
      'enrol_manual_unenrol_users',
    ]);
  });
});

describe('users', () => {
  it('reads users by idnumber, suspended flag included', async () => {
    moodle.respond(() => fixture('users-by-idnumber.json'));
    const users = await getUsersByIdnumber(moodle.client(), ['a', 'b']);
    expect(users.map((u) => [u.id, u.suspended])).toEqual([
      [101, false],
      [102, true],
    ]);
    expect(moodle.calls[0]?.params.get('field')).toBe('idnumber');
    expect(moodle.calls[0]?.params.get('values[1]')).toBe('b');
  });

  it('makes no call for an empty list', async () => {
    expect(await getUsersByIdnumber(moodle.client(), [])).toEqual([]);
    expect(moodle.calls).toHaveLength(0);
  });

  it('update warnings (Moodle 4.0+) reject only the warned user', async () => {
    moodle.respond(() => fixture('update-users-warnings.json'));
    const outcomes = await updateUsers(moodle.client(), [
      { id: 101, suspended: true },
      { id: 102, email: 'petrov.artem@school17.example' },
    ]);
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual([
      'ok',
      'moodle_useremailduplicate',
    ]);
    expect(moodle.calls[0]?.params.get('users[0][suspended]')).toBe('1');
  });

  it('a pre-4.0 `null` answer counts as done', async () => {
    moodle.respond(() => nullBody());
    const outcomes = await updateUsers(moodle.client(), [{ id: 101, suspended: false }]);
    expect(outcomes[0]?.ok).toBe(true);
  });

  it.each([
    ['Ivanova.Maria', 'ivanova.maria'],
    ['  Иванова Мария ', 'ivanovamariia'],
    ['пётр.щукин', 'petr.shchukin'],
    ['José@school', 'jose@school'],
    ['already.clean-1_a@x', 'already.clean-1_a@x'],
  ])('username %j becomes %j', (raw, clean) => {
    expect(normalizeUsername(raw)).toBe(clean);
    expect(normalizeUsername(clean)).toBe(clean);
  });

  it('a username with nothing usable is undefined', () => {
    expect(normalizeUsername(' ### ')).toBeUndefined();
  });
});

describe('categories and courses', () => {
  it('finds categories by idnumber from one listing', async () => {
    moodle.respond(() => fixture('categories.json'));
    const found = await getCategoriesByIdnumber(moodle.client(), [
      '0190a1b2-0000-7000-8000-00000000c002',
    ]);
    expect(found.map((c) => [c.id, c.parent])).toEqual([[12, 11]]);
    expect(moodle.calls).toHaveLength(1);
  });

  it('creates categories and reports their ids', async () => {
    moodle.respond(() => fixture('create-categories.json'));
    const [outcome] = await createCategories(moodle.client(), [
      { name: '2025/2026', idnumber: 'c3', parent: 11 },
    ]);
    expect(outcome).toMatchObject({ ok: true, value: { id: 13 } });
  });

  it('reads a course by idnumber', async () => {
    moodle.respond(() => fixture('courses-by-field.json'));
    const course = await getCourseByIdnumber(
      moodle.client(),
      '0190a1b2-0000-7000-8000-00000000d001',
    );
    expect(course).toMatchObject({ id: 301, categoryid: 12, visible: true });
    expect(moodle.calls[0]?.params.get('field')).toBe('idnumber');
  });

  it('refuses an empty lookup value, which Moodle would answer with every course', async () => {
    await expect(getCoursesByField(moodle.client(), 'idnumber', '')).rejects.toThrow(
      /every course/,
    );
    expect(moodle.calls).toHaveLength(0);
  });

  it('creates a course, then updates it by id', async () => {
    moodle.respond((call) =>
      call.fn === 'core_course_create_courses'
        ? fixture('create-courses.json')
        : fixture('update-courses.json'),
    );
    const client = moodle.client();
    const [created] = await createCourses(client, [
      { fullname: '5Б Математика', shortname: '5Б-МАТ-2024', categoryid: 12, idnumber: 'd2' },
    ]);
    expect(created).toMatchObject({ ok: true, value: { id: 302 } });
    const [updated] = await updateCourses(client, [{ id: 302, visible: false }]);
    expect(updated?.ok).toBe(true);
    expect(moodle.calls[1]?.params.get('courses[0][visible]')).toBe('0');
  });

  it('shortnametaken rejects that course only', async () => {
    moodle.respond(() => fixture('error-shortnametaken.json'));
    const [outcome] = await createCourses(moodle.client(), [
      { fullname: '5А Математика', shortname: '5А-МАТ-2024', categoryid: 12, idnumber: 'd9' },
    ]);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'moodle_shortname_taken' } });
  });
});

describe('enrolments', () => {
  it('derives suspended enrolments from the full and the onlyactive listings', async () => {
    moodle.respond((call) =>
      call.params.get('options[2][name]') === 'onlyactive'
        ? fixture('enrolled-users-active.json')
        : fixture('enrolled-users.json'),
    );
    const enrolments = await readCourseEnrolments(moodle.client(), 301);
    expect(enrolments.map((e) => [e.userid, e.roleIds, e.active])).toEqual([
      [101, [5], true],
      [102, [5], false],
      [150, [3], true],
    ]);
    expect(moodle.calls).toHaveLength(2);
  });

  it('suspends through enrol_manual_enrol_users with suspend=1 and the configured role', async () => {
    moodle.respond(() => nullBody());
    const outcomes = await enrolUsers(moodle.client(), [
      { roleid: 9, userid: 102, courseid: 301, suspend: true },
    ]);
    expect(outcomes[0]?.ok).toBe(true);
    const params = moodle.calls[0]!.params;
    expect(listField(params, 'enrolments', 'roleid')).toEqual(['9']);
    expect(listField(params, 'enrolments', 'suspend')).toEqual(['1']);
  });
});

describe('grades', () => {
  it('reads the user grade report of a course', async () => {
    moodle.respond(() => fixture('grade-items.json'));
    const [user] = await getGradeItems(moodle.client(), 301);
    expect(user?.gradeitems.map((g) => [g.itemmodule ?? null, g.graderaw ?? null])).toEqual([
      ['assign', 8],
      ['quiz', null],
      [null, 4],
    ]);
  });

  it('pulls assignment grades modified since a cursor', async () => {
    moodle.respond(() => fixture('assign-grades.json'));
    const [assignment] = await getAssignGrades(moodle.client(), [41, 42], 1731000000);
    expect(assignment?.grades.map((g) => [g.userid, g.grade])).toEqual([
      [101, '8.00000'],
      [102, '-1.00000'],
    ]);
    expect(moodle.calls[0]?.params.get('since')).toBe('1731000000');
  });

  it('reads a best quiz grade, or none', async () => {
    moodle.respond((call) =>
      call.params.get('userid') === '101'
        ? fixture('quiz-best-grade.json')
        : fixture('quiz-best-grade-none.json'),
    );
    expect((await getQuizBestGrade(moodle.client(), 52, 101)).grade).toBe(7.5);
    expect((await getQuizBestGrade(moodle.client(), 52, 102)).grade).toBeUndefined();
  });
});
