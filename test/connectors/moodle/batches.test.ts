import { describe, expect, it } from 'vitest';
import { bisect, splitByInputVars } from '../../../connectors/moodle/batches.ts';
import { type NewMoodleUser, createUsers } from '../../../connectors/moodle/users.ts';
import { RecordRejected } from '../../../src/core/errors.ts';
import { fixture, listField, useFakeMoodle } from './fake-moodle.ts';

const moodle = useFakeMoodle();

function student(n: number): NewMoodleUser {
  return {
    username: `student${n}`,
    firstname: 'Имя',
    lastname: `Фамилия${n}`,
    email: `student${n}@school17.example`,
    idnumber: `0190a1b2-0000-7000-8000-0000000002${String(n).padStart(2, '0')}`,
    auth: 'manual',
    createpassword: true,
    lang: 'ru',
  };
}

describe('batch size follows max_input_vars', () => {
  it('8 fields per user: floor((1000 − 3) / 8) = 124 users per call at PHP default', () => {
    const users = Array.from({ length: 300 }, (_, i) => student(i));
    const { batches } = splitByInputVars(users, {
      budget: 1000 - 3,
      paramsOf: (u) => ({ users: [{ ...u }] }),
    });
    expect(batches.map((b) => b.length)).toEqual([124, 124, 52]);
  });

  it('a site at Moodle’s recommended 5000 takes 624 such users per call', () => {
    const users = Array.from({ length: 700 }, (_, i) => student(i));
    const { batches } = splitByInputVars(users, {
      budget: 5000 - 3,
      paramsOf: (u) => ({ users: [{ ...u }] }),
    });
    expect(batches[0]).toHaveLength(624);
  });

  it('shared params (field, since) are spent once per call', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `id-${i}`);
    const { batches } = splitByInputVars(ids, {
      budget: 997,
      paramsOf: (v) => ({ values: [v] }),
      sharedVars: 1,
    });
    expect(batches.map((b) => b.length)).toEqual([996, 996, 8]);
  });

  it('sends the batches the client sizes, each within max_input_vars', async () => {
    moodle.respond((call) =>
      listField(call.params, 'users', 'username').map((username, i) => ({ id: 500 + i, username })),
    );
    const client = moodle.client({ maxInputVars: 100 });
    const outcomes = await createUsers(
      client,
      Array.from({ length: 30 }, (_, i) => student(i)),
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    // 8 variables per user, (100 − 3) / 8 = 12 users per call.
    expect(moodle.calls.map((c) => listField(c.params, 'users', 'username').length)).toEqual([
      12, 12, 6,
    ]);
    expect(moodle.calls.every((c) => [...c.params.keys()].length <= 100)).toBe(true);
  });
});

describe('an all-or-nothing batch with one bad record', () => {
  it('8 records, 1 bad: 7 calls (1 + 2·log2 8), only the bad one rejected', async () => {
    const users = Array.from({ length: 8 }, (_, i) => student(i));
    const bad = 'student5';
    // Moodle's create_users rolls back the whole call when one user is invalid.
    moodle.respond((call) => {
      const usernames = listField(call.params, 'users', 'username');
      if (usernames.includes(bad)) {
        return {
          ...(fixture('error-invalidparameter.json') as object),
          debuginfo: `Username already exists: ${bad}`,
        };
      }
      return usernames.map((username, i) => ({ id: 700 + i, username }));
    });
    const outcomes = await createUsers(moodle.client(), users);

    expect(moodle.calls).toHaveLength(7);
    // Depth first: the failing half is narrowed before its sibling half is sent.
    const sent = moodle.calls.map((c) =>
      listField(c.params, 'users', 'username').map((u) => Number(u.replace('student', ''))),
    );
    expect(sent).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7], // fails
      [0, 1, 2, 3], // ok
      [4, 5, 6, 7], // fails
      [4, 5], // fails
      [4], // ok
      [5], // fails: rejected
      [6, 7], // ok
    ]);
    const rejected = outcomes.filter((o) => !o.ok);
    expect(rejected.map((o) => o.record.username)).toEqual([bad]);
    expect(rejected[0]).toMatchObject({
      error: { code: 'moodle_invalid_parameter', message: expect.stringContaining(bad) },
    });
    expect(outcomes.filter((o) => o.ok)).toHaveLength(7);
    expect(outcomes.map((o) => o.record.username)).toEqual(users.map((u) => u.username));
  });

  it('rejects locally what Moodle would refuse, without spending a call', async () => {
    moodle.respond((call) =>
      listField(call.params, 'users', 'username').map((username, i) => ({ id: 900 + i, username })),
    );
    const outcomes = await createUsers(moodle.client(), [
      student(1),
      { ...student(2), username: 'Petrov' },
      { ...student(3), lastname: '<b>Петров</b>' },
    ]);
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual([
      'ok',
      'moodle_invalid_username',
      'moodle_invalid_name',
    ]);
    expect(moodle.calls).toHaveLength(1);
  });
});

describe('bisect', () => {
  it('a clean batch is one call', async () => {
    let calls = 0;
    const out = await bisect([1, 2, 3], async (b) => {
      calls += 1;
      return b.map((n) => n * 10);
    });
    expect(calls).toBe(1);
    expect(out.map((o) => (o.ok ? o.value : null))).toEqual([10, 20, 30]);
  });

  it('never more than 2n − 1 calls, even when every record is bad', async () => {
    let calls = 0;
    const out = await bisect([1, 2, 3, 4, 5], async () => {
      calls += 1;
      throw new RecordRejected('bad', 'bad');
    });
    expect(calls).toBe(9);
    expect(out.every((o) => !o.ok)).toBe(true);
  });

  it('does not split on an error that is not about a record', async () => {
    let calls = 0;
    await expect(
      bisect([1, 2], async () => {
        calls += 1;
        throw new Error('network down');
      }),
    ).rejects.toThrow('network down');
    expect(calls).toBe(1);
  });
});
