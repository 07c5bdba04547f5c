import { describe, expect, it } from 'vitest';
import { moodleConfigSchema } from '../../../connectors/moodle/config.ts';
import moodle from '../../../connectors/moodle/index.ts';
import { PermanentError } from '../../../src/core/errors.ts';
import { BASE_URL, TOKEN, fixture, useFakeMoodle } from './fake-moodle.ts';

const fake = useFakeMoodle();
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const ctx = { log: silent, signal: new AbortController().signal };

const base = { baseUrl: BASE_URL, token: TOKEN, roles: { student: 11, teacher: 12 } };

describe('configuration', () => {
  it('fills safe defaults: suspend, never unenrol, PHP’s max_input_vars, 2 calls at once', () => {
    const config = moodleConfigSchema.parse(base);
    expect(config).toMatchObject({
      leavers: 'suspend_user',
      removedEnrolments: 'suspend',
      maxInputVars: 1000,
      concurrency: 2,
      newUsers: { auth: 'manual', createpassword: true },
    });
  });

  it('lists every problem at once and never echoes the token', () => {
    const result = moodleConfigSchema.safeParse({
      ...base,
      baseUrl: `${BASE_URL}/webservice/rest/server.php`,
      roles: { student: 5 },
      newUsers: { auth: 'webservice' },
    });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['baseUrl', 'roles.teacher', 'newUsers.auth']));
    expect(JSON.stringify(result.error)).not.toContain(TOKEN);
  });
});

describe('check()', () => {
  it('passes when the service offers every roster function', async () => {
    fake.respond(() => fixture('site-info.json'));
    await expect(moodle.check(moodleConfigSchema.parse(base), ctx)).resolves.toBeUndefined();
    expect(fake.calls.map((c) => c.fn)).toEqual(['core_webservice_get_site_info']);
  });

  it('names the missing functions when the service lacks some', async () => {
    const info = fixture('site-info.json') as { functions: Array<{ name: string }> };
    fake.respond(() => ({
      ...info,
      functions: info.functions.filter((f) => !f.name.startsWith('enrol_manual')),
    }));
    const err = await moodle.check(moodleConfigSchema.parse(base), ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as Error).message).toMatch(/enrol_manual_enrol_users, enrol_manual_unenrol_users/);
  });

  it('with grades: true also requires the grade functions', async () => {
    const info = fixture('site-info.json') as { functions: Array<{ name: string }> };
    fake.respond(() => ({ ...info, functions: info.functions.filter((f) => !f.name.startsWith('mod_')) }));
    const err = await moodle.check(moodleConfigSchema.parse({ ...base, grades: true }), ctx).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(
      /lacks mod_assign_get_assignments, mod_assign_get_grades, mod_quiz_get_quizzes_by_courses, mod_quiz_get_user_best_grade;/,
    );
  });
});
