import { describe, expect, it } from 'vitest';
import { planSync, writeOps } from '../../../connectors/moodle/sync-plan.ts';
import type {
  CurrentState,
  DesiredState,
  PlanOptions,
} from '../../../connectors/moodle/sync-types.ts';
import { applyPlan, emptyMoodle } from './moodle-state.ts';

const SCHOOL = 'cat-school';
const YEAR = 'cat-2024';
const MATH_5A = 'course-5a-math';
const MATH_5B = 'course-5b-math';
const MARIA = 'user-maria';
const ARTEM = 'user-artem';
const OLGA = 'user-olga';

/** Role ids of a customised site: nothing assumes student = 5. */
const options: PlanOptions = {
  roles: { student: 11, teacher: 12 },
  leavers: 'suspend_user',
  removedEnrolments: 'suspend',
  newUser: { auth: 'manual', createpassword: true },
};

function roster(): DesiredState {
  return {
    categories: [
      // Child listed first: the plan still creates the parent first.
      { idnumber: YEAR, name: '2024/2025', parentIdnumber: SCHOOL },
      { idnumber: SCHOOL, name: 'Школа № 17' },
    ],
    courses: [
      { idnumber: MATH_5A, fullname: '5А Математика', shortname: '5А-МАТ', categoryIdnumber: YEAR },
      { idnumber: MATH_5B, fullname: '5Б Математика', shortname: '5Б-МАТ', categoryIdnumber: YEAR },
    ],
    users: [
      {
        idnumber: MARIA,
        username: 'Ivanova.Mariia',
        firstname: 'Мария',
        lastname: 'Иванова',
        email: 'm@s17.example',
        status: 'active',
      },
      {
        idnumber: ARTEM,
        username: 'петров.артём',
        firstname: 'Артём',
        lastname: 'Петров',
        email: 'a@s17.example',
        status: 'active',
      },
      {
        idnumber: OLGA,
        username: 'olga.s',
        firstname: 'Ольга',
        lastname: 'Сергеевна',
        email: 'o@s17.example',
        status: 'active',
      },
    ],
    enrolments: [
      { userIdnumber: MARIA, courseIdnumber: MATH_5A, role: 'student' },
      { userIdnumber: ARTEM, courseIdnumber: MATH_5A, role: 'student' },
      { userIdnumber: OLGA, courseIdnumber: MATH_5A, role: 'teacher' },
      { userIdnumber: OLGA, courseIdnumber: MATH_5B, role: 'teacher' },
    ],
  };
}

/** Moodle after a first, fully successful sync of `desired`. */
function synced(desired: DesiredState, opts: PlanOptions = options): CurrentState {
  return applyPlan(emptyMoodle(), planSync(desired, emptyMoodle(), opts));
}

const summary = (ops: ReturnType<typeof planSync>) =>
  ops.map((o) =>
    'idnumber' in o
      ? `${o.op} ${o.idnumber}`
      : 'userIdnumber' in o
        ? `${o.op} ${o.userIdnumber}>${o.courseIdnumber}`
        : `${o.op} ${o.key}`,
  );

describe('first sync into an empty Moodle', () => {
  const ops = planSync(roster(), emptyMoodle(), options);

  it('creates categories parent first, then courses, users and enrolments', () => {
    expect(summary(ops)).toEqual([
      `create_category ${SCHOOL}`,
      `create_category ${YEAR}`,
      `create_course ${MATH_5A}`,
      `create_course ${MATH_5B}`,
      `create_user ${MARIA}`,
      `create_user ${ARTEM}`,
      `create_user ${OLGA}`,
      `enrol ${MARIA}>${MATH_5A}`,
      `enrol ${ARTEM}>${MATH_5A}`,
      `enrol ${OLGA}>${MATH_5A}`,
      `enrol ${OLGA}>${MATH_5B}`,
    ]);
  });

  it('refers to entities created earlier in the plan by idnumber', () => {
    expect(ops[1]).toMatchObject({ op: 'create_category', parent: { idnumber: SCHOOL } });
    expect(ops[0]).toMatchObject({ parent: { id: 0 } });
    expect(ops[2]).toMatchObject({ op: 'create_course', category: { idnumber: YEAR } });
    expect(ops[9]).toMatchObject({
      user: { idnumber: OLGA },
      course: { idnumber: MATH_5A },
      roleid: 12,
    });
  });

  it('sends usernames Moodle accepts, transliterated and lower-cased', () => {
    const usernames = ops.flatMap((o) => (o.op === 'create_user' ? [o.user.username] : []));
    expect(usernames).toEqual(['ivanova.mariia', 'petrov.artem', 'olga.s']);
    expect(ops[4]).toMatchObject({
      user: { auth: 'manual', createpassword: true, idnumber: MARIA },
    });
  });
});

describe('a second sync with no change', () => {
  it('plans no write at all', () => {
    const desired = roster();
    expect(planSync(desired, synced(desired), options)).toEqual([]);
  });
});

describe('drift made by hand in Moodle', () => {
  it('a user suspended by hand is corrected by exactly one update', () => {
    const desired = roster();
    const moodle = synced(desired);
    const maria = moodle.users.find((u) => u.idnumber === MARIA)!;
    maria.suspended = true;
    const ops = writeOps(planSync(desired, moodle, options));
    expect(ops).toEqual([
      { op: 'reactivate_user', idnumber: MARIA, id: maria.id, changes: { suspended: false } },
    ]);
    expect(planSync(desired, applyPlan(moodle, ops), options)).toEqual([]);
  });

  it('a renamed user and a hand-suspension still make one update for that user', () => {
    const desired = roster();
    const moodle = synced(desired);
    moodle.users.find((u) => u.idnumber === ARTEM)!.suspended = true;
    desired.users[1]!.lastname = 'Петров-Водкин';
    const ops = writeOps(planSync(desired, moodle, options));
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({
      op: 'reactivate_user',
      changes: { lastname: 'Петров-Водкин', suspended: false },
    });
  });

  it('a hand-suspended enrolment is reactivated with the configured role', () => {
    const desired = roster();
    const moodle = synced(desired);
    moodle.enrolments[0]!.active = false;
    expect(summary(writeOps(planSync(desired, moodle, options)))).toEqual([
      `reactivate_enrolment ${MARIA}>${MATH_5A}`,
    ]);
  });
});

describe('a class change moves the enrolment', () => {
  const move = (): DesiredState => {
    const desired = roster();
    desired.enrolments[1] = { userIdnumber: ARTEM, courseIdnumber: MATH_5B, role: 'student' };
    return desired;
  };

  it('enrols in the new class course and suspends the old enrolment (grades kept)', () => {
    const ops = planSync(move(), synced(roster()), options);
    expect(summary(ops)).toEqual([
      `enrol ${ARTEM}>${MATH_5B}`,
      `suspend_enrolment ${ARTEM}>${MATH_5A}`,
    ]);
    expect(ops[1]).toMatchObject({ roleid: 11 });
  });

  it('unenrols instead when configured to', () => {
    const opts: PlanOptions = { ...options, removedEnrolments: 'unenrol' };
    const ops = planSync(move(), synced(roster(), opts), opts);
    expect(summary(ops)).toEqual([`enrol ${ARTEM}>${MATH_5B}`, `unenrol ${ARTEM}>${MATH_5A}`]);
  });

  it('is settled after one sync', () => {
    const moodle = applyPlan(synced(roster()), planSync(move(), synced(roster()), options));
    expect(planSync(move(), moodle, options)).toEqual([]);
  });
});

describe('leavers are suspended, never deleted', () => {
  const leave = (): DesiredState => {
    const desired = roster();
    desired.users[1]!.status = 'left';
    desired.enrolments = desired.enrolments.filter((e) => e.userIdnumber !== ARTEM);
    return desired;
  };

  it('suspend_user: one update suspends the account, enrolments stay for a return', () => {
    const moodle = synced(roster());
    const ops = planSync(leave(), moodle, options);
    const artem = moodle.users.find((u) => u.idnumber === ARTEM)!;
    expect(ops).toEqual([
      { op: 'suspend_user', idnumber: ARTEM, id: artem.id, changes: { suspended: true } },
    ]);
    const after = applyPlan(moodle, ops);
    expect(planSync(leave(), after, options)).toEqual([]);
    // Re-admission: one reactivation restores the account and its enrolments.
    expect(summary(planSync(roster(), after, options))).toEqual([`reactivate_user ${ARTEM}`]);
  });

  it('suspend_enrolments: the account stays, the hub’s enrolments are suspended', () => {
    const opts: PlanOptions = {
      ...options,
      leavers: 'suspend_enrolments',
      removedEnrolments: 'unenrol',
    };
    const moodle = synced(roster(), opts);
    const ops = planSync(leave(), moodle, opts);
    expect(summary(ops)).toEqual([`suspend_enrolment ${ARTEM}>${MATH_5A}`]);
    expect(planSync(leave(), applyPlan(moodle, ops), opts)).toEqual([]);
  });

  it('a leaver Moodle never had is not created', () => {
    const ops = planSync(leave(), emptyMoodle(), options);
    expect(summary(ops)).not.toContain(`create_user ${ARTEM}`);
  });

  it('no op in any plan deletes anything', () => {
    const kinds = new Set(planSync(leave(), synced(roster()), options).map((o) => o.op));
    expect([...kinds].some((k) => k.startsWith('delete'))).toBe(false);
  });
});

describe('what the hub does not manage is left alone', () => {
  it('a teacher enrolled by hand in a hub course keeps the enrolment', () => {
    const desired = roster();
    const moodle = synced(desired);
    moodle.users.push({ id: 77, fullname: 'Методист', idnumber: '', suspended: false });
    moodle.enrolments.push({
      userid: 77,
      courseid: moodle.courses[0]!.id,
      idnumber: undefined,
      roleIds: [12],
      active: true,
    });
    expect(planSync(desired, moodle, options)).toEqual([]);
  });

  it('two Moodle users sharing an idnumber are reported, not guessed between', () => {
    const desired = roster();
    const moodle = synced(desired);
    moodle.users.push({ ...moodle.users[0]!, id: 999 });
    const ops = planSync(desired, moodle, options);
    expect(ops).toEqual([
      expect.objectContaining({ op: 'conflict', key: MARIA, code: 'moodle_duplicate_idnumber' }),
    ]);
    expect(writeOps(ops)).toEqual([]);
  });

  it('a user Moodle would refuse is reported once and gets no enrolment op', () => {
    const desired = roster();
    desired.users[0]!.username = '###';
    const ops = planSync(desired, emptyMoodle(), options);
    expect(ops.filter((o) => o.op === 'conflict')).toEqual([
      expect.objectContaining({ key: MARIA, code: 'moodle_invalid_username' }),
    ]);
    expect(summary(ops).filter((s) => s.includes(MARIA))).toEqual([`conflict ${MARIA}`]);
  });

  it('an enrolment in a role with no configured id is a conflict', () => {
    const desired = roster();
    desired.enrolments.push({ userIdnumber: MARIA, courseIdnumber: MATH_5B, role: 'assistant' });
    const ops = planSync(desired, synced(roster()), options);
    expect(ops).toEqual([
      expect.objectContaining({ op: 'conflict', code: 'enrolment_unknown_role' }),
    ]);
  });
});

describe('course changes', () => {
  it('a renamed course and a move to a new category make one update', () => {
    const desired = roster();
    const moodle = synced(desired);
    desired.categories.push({ idnumber: 'cat-2025', name: '2025/2026', parentIdnumber: SCHOOL });
    desired.courses[0] = {
      ...desired.courses[0]!,
      fullname: '5А Алгебра',
      categoryIdnumber: 'cat-2025',
    };
    const ops = planSync(desired, moodle, options);
    expect(summary(ops)).toEqual(['create_category cat-2025', `update_course ${MATH_5A}`]);
    expect(ops[1]).toMatchObject({
      changes: { fullname: '5А Алгебра', category: { idnumber: 'cat-2025' } },
    });
    expect(planSync(desired, applyPlan(moodle, ops), options)).toEqual([]);
  });
});
