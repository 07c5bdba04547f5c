/**
 * Moodle user accounts: read by idnumber (the hub's public UUID), create, update (incl. suspend).
 * Source of the signatures: user/externallib.php
 * (https://github.com/moodle/moodle/blob/main/user/externallib.php) and moodle.md §3.
 */
import { z } from 'zod';
import { RecordRejected } from '../../src/core/errors.ts';
import {
  type RecordOutcome,
  type WriteOptions,
  rejectWarned,
  splitByInputVars,
  writeInBatches,
} from './batches.ts';
import type { MoodleClient } from './client.ts';
import { moodleBool, nullAnswer, warningsSchema } from './schemas.ts';
import { normalizeUsername } from './username.ts';

/** `user_description`: only `id` and `fullname` are always there; the rest depends on rights. */
export const moodleUserSchema = z.object({
  id: z.number(),
  fullname: z.string(),
  username: z.string().optional(),
  firstname: z.string().optional(),
  lastname: z.string().optional(),
  email: z.string().optional(),
  idnumber: z.string().optional(),
  auth: z.string().optional(),
  suspended: moodleBool.optional(),
});
export type MoodleUser = z.infer<typeof moodleUserSchema>;

export interface NewMoodleUser {
  username: string;
  firstname: string;
  lastname: string;
  email: string;
  idnumber: string;
  /** Default `manual`; `webservice` and `mnet` are refused by Moodle. */
  auth?: string;
  /** Internal auth plugins need a password or `createpassword` (Moodle mails one). */
  createpassword?: boolean;
  password?: string;
  middlename?: string;
  lang?: string;
  timezone?: string;
}

export interface MoodleUserUpdate {
  id: number;
  username?: string;
  firstname?: string;
  lastname?: string;
  email?: string;
  auth?: string;
  /** `1` also ends the user's sessions (moodle.md §3). */
  suspended?: boolean;
}

const createdSchema = z.array(z.object({ id: z.number(), username: z.string() }));
const updatedSchema = z.union([nullAnswer, z.object({ warnings: warningsSchema })]);

/**
 * core_user_get_users_by_field with `field=idnumber`, chunked by max_input_vars (one variable per
 * value). An idnumber is not unique in Moodle: the answer may hold several users for one value.
 * https://docs.moodle.org/dev/Web_service_API_functions#core_user_get_users_by_field
 */
export async function getUsersByIdnumber(
  client: MoodleClient,
  idnumbers: readonly string[],
): Promise<MoodleUser[]> {
  const { batches } = splitByInputVars(idnumbers, {
    budget: client.paramBudget,
    paramsOf: (value) => ({ values: [value] }),
    sharedVars: 1,
  });
  const answers = await Promise.all(
    batches.map((values) =>
      client.call(
        'core_user_get_users_by_field',
        { field: 'idnumber', values },
        z.array(moodleUserSchema),
      ),
    ),
  );
  return answers.flat();
}

/**
 * core_user_get_users_by_field with `field=id`: who the user ids in a grade answer are (the
 * grade functions name users by Moodle id only).
 */
export async function getUsersById(
  client: MoodleClient,
  ids: readonly number[],
): Promise<MoodleUser[]> {
  const { batches } = splitByInputVars(ids, {
    budget: client.paramBudget,
    paramsOf: (value) => ({ values: [value] }),
    sharedVars: 1,
  });
  const answers = await Promise.all(
    batches.map((values) =>
      client.call('core_user_get_users_by_field', { field: 'id', values }, z.array(moodleUserSchema)),
    ),
  );
  return answers.flat();
}

/** Local checks Moodle would otherwise fail the whole batch for (moodle.md §4, "Pre-validate"). */
export function validateNewUser(user: NewMoodleUser): RecordRejected | undefined {
  if (normalizeUsername(user.username) !== user.username) {
    return new RecordRejected(
      'moodle_invalid_username',
      `username "${user.username}" is not lower-case [-.@_a-z0-9]`,
      'username',
    );
  }
  for (const field of ['firstname', 'lastname'] as const) {
    // PARAM_NOTAGS strips <...>, and validate_param() rejects whatever cleaning changes.
    if (user[field].trim() === '' || /<[^>]*>/.test(user[field])) {
      return new RecordRejected('moodle_invalid_name', `${field} is blank or holds a tag`, field);
    }
  }
  if (user.email.trim() !== user.email || !user.email.includes('@')) {
    return new RecordRejected('moodle_invalid_email', 'email is not a trimmed address', 'email');
  }
  return undefined;
}

/**
 * core_user_create_users: one transaction per call, so a failing call is bisected. The answer is
 * `[{id, username}]` in input order; outcomes come back in input order too.
 * https://docs.moodle.org/dev/Web_service_API_functions#core_user_create_users
 */
export async function createUsers(
  client: MoodleClient,
  users: readonly NewMoodleUser[],
  options: WriteOptions = {},
): Promise<Array<RecordOutcome<NewMoodleUser, { id: number; username: string }>>> {
  const invalid = users.flatMap((u) => {
    const error = validateNewUser(u);
    return error ? [{ record: u, ok: false as const, error }] : [];
  });
  const valid = users.filter((u) => !validateNewUser(u));
  const sent = await writeInBatches(valid, {
    budget: client.paramBudget,
    ...options,
    paramsOf: (u) => ({ users: [{ ...u }] }),
    send: (batch) =>
      client.call('core_user_create_users', { users: batch.map((u) => ({ ...u })) }, createdSchema),
  });
  const position = new Map(users.map((u, i) => [u, i]));
  return [...invalid, ...sent].sort(
    (a, b) => (position.get(a.record) ?? 0) - (position.get(b.record) ?? 0),
  );
}

/**
 * core_user_update_users. Since 4.0 each user has its own transaction and problems come back as
 * `warnings` with `itemid` = the user id; before 4.0 the answer is `null` and invalid users are
 * skipped silently. Parameter validation still covers the whole call, so a call failing with
 * `invalidparameter` is bisected like a create.
 * https://docs.moodle.org/dev/Web_service_API_functions#core_user_update_users
 */
export async function updateUsers(
  client: MoodleClient,
  updates: readonly MoodleUserUpdate[],
  options: WriteOptions = {},
): Promise<Array<RecordOutcome<MoodleUserUpdate, undefined>>> {
  const outcomes = await writeInBatches(updates, {
    budget: client.paramBudget,
    ...options,
    paramsOf: (u) => ({ users: [{ ...u }] }),
    send: async (batch) => {
      const answer = await client.call(
        'core_user_update_users',
        { users: batch.map((u) => ({ ...u })) },
        updatedSchema,
      );
      const warnings = answer?.warnings ?? [];
      return batch.map((u) => warnings.find((w) => w.itemid === u.id));
    },
  });
  return rejectWarned(outcomes);
}
