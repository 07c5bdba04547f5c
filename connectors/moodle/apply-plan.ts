/**
 * Executes a sync plan (sync-plan.ts) against Moodle: ops of one kind go out together, batched by
 * max_input_vars and bisected on a rejected record (batches.ts), in the plan's order: categories
 * (one tree level at a time), courses, accounts, enrolments, unenrolments. An op pointing at an
 * entity created earlier takes the id that create returned; when that create failed, the op is
 * not sent and fails with the same key.
 *
 * Every op is about one or two keys (idnumbers: a user, a course, a category); the outcome says
 * per key whether something was written and the first failure, which is what the stream turns
 * into per-row results.
 */
import type { RecordOutcome, WriteOptions } from './batches.ts';
import { createCategories } from './categories.ts';
import type { MoodleClient } from './client.ts';
import { createCourses, updateCourses, type MoodleCourseUpdate } from './courses.ts';
import { enrolUsers, unenrolUsers, type MoodleEnrolment } from './enrol.ts';
import { idsByIdnumber } from './sync-refs.ts';
import type { CurrentState, Ref, SyncOp } from './sync-types.ts';
import { createUsers, updateUsers } from './users.ts';

type Op<K extends SyncOp['op']> = Extract<SyncOp, { op: K }>;

export interface Failure {
  code: string;
  message: string;
}

export interface Applied {
  /** idnumber -> Moodle id of every entity known after the writes (found or created). */
  ids: { categories: Map<string, number>; courses: Map<string, number>; users: Map<string, number> };
  /** Keys with at least one successful write. */
  written: Set<string>;
  /** Keys with a failed op or a conflict: the first failure of each. */
  failed: Map<string, Failure>;
}

/** The keys an op is about: the user and the course of an enrolment, else its own idnumber. */
export function keysOf(op: SyncOp): string[] {
  if (op.op === 'conflict') {
    if (op.entity !== 'enrolment') return [op.key];
    // Enrolment conflicts are keyed `<user idnumber>/<course idnumber>`; a user idnumber (a UUID) has no slash.
    const cut = op.key.indexOf('/');
    return [op.key.slice(0, cut), op.key.slice(cut + 1)];
  }
  return 'userIdnumber' in op ? [op.userIdnumber, op.courseIdnumber] : [op.idnumber];
}

export async function applyPlan(
  client: MoodleClient,
  ops: readonly SyncOp[],
  current: CurrentState,
  options: WriteOptions = {},
): Promise<Applied> {
  const ids = {
    categories: idsByIdnumber(current.categories),
    courses: idsByIdnumber(current.courses),
    users: idsByIdnumber(current.users),
  };
  const applied: Applied = { ids, written: new Set(), failed: new Map() };
  const fail = (op: SyncOp, f: Failure) => {
    for (const k of keysOf(op)) if (!applied.failed.has(k)) applied.failed.set(k, f);
  };
  const settle = <O extends SyncOp, V>(
    sent: readonly O[],
    outcomes: ReadonlyArray<RecordOutcome<unknown, V>>,
    onOk?: (op: O, value: V) => void,
  ) => {
    outcomes.forEach((o, i) => {
      const op = sent[i]!;
      if (!o.ok) return fail(op, { code: o.error.code, message: o.error.message });
      for (const k of keysOf(op)) applied.written.add(k);
      onOk?.(op, o.value);
    });
  };
  const resolve = (map: Map<string, number>, ref: Ref) => ('id' in ref ? ref.id : map.get(ref.idnumber));
  const of = <K extends SyncOp['op']>(...kinds: K[]) =>
    ops.filter((o): o is Op<K> => (kinds as string[]).includes(o.op));
  /** Ops whose references resolve; the others fail with `code`. */
  const ready = <O extends SyncOp>(
    list: readonly O[],
    refsOf: (op: O) => Array<number | undefined>,
    code: string,
    what: string,
  ) =>
    list.filter((op) => {
      if (refsOf(op).every((id) => id !== undefined)) return true;
      fail(op, { code, message: `not sent: ${what} was not created in Moodle (see its own rejection)` });
      return false;
    });

  for (const op of of('conflict')) fail(op, { code: op.code, message: op.message });

  // Categories one tree level at a time: a child needs its parent's new id.
  let pending = of('create_category');
  while (pending.length > 0) {
    const now = pending.filter((op) => resolve(ids.categories, op.parent) !== undefined);
    const parentFailed = (op: Op<'create_category'>) =>
      'idnumber' in op.parent && applied.failed.has(op.parent.idnumber);
    pending
      .filter((op) => !now.includes(op) && parentFailed(op))
      .forEach((op) =>
        fail(op, { code: 'moodle_parent_not_created', message: 'not sent: the parent category was not created' }),
      );
    if (now.length === 0) break;
    const outcomes = await createCategories(
      client,
      now.map((op) => ({ name: op.name, idnumber: op.idnumber, parent: resolve(ids.categories, op.parent)! })),
      options,
    );
    settle(now, outcomes, (op, v) => ids.categories.set(op.idnumber, v.id));
    pending = pending.filter((op) => !now.includes(op) && !parentFailed(op));
  }

  const newCourses = ready(
    of('create_course'),
    (op) => [resolve(ids.categories, op.category)],
    'moodle_category_not_created',
    'the course category',
  );
  settle(
    newCourses,
    await createCourses(
      client,
      newCourses.map((op) => ({
        ...op.course,
        idnumber: op.idnumber,
        categoryid: resolve(ids.categories, op.category)!,
      })),
      options,
    ),
    (op, v) => ids.courses.set(op.idnumber, v.id),
  );
  const courseUpdates = ready(
    of('update_course'),
    (op) => [op.changes.category ? resolve(ids.categories, op.changes.category) : 0],
    'moodle_category_not_created',
    'the course category',
  );
  settle(
    courseUpdates,
    await updateCourses(
      client,
      courseUpdates.map((op): MoodleCourseUpdate => {
        const { category, ...fields } = op.changes;
        return { id: op.id, ...fields, ...(category ? { categoryid: resolve(ids.categories, category)! } : {}) };
      }),
      options,
    ),
  );

  const newUsers = of('create_user');
  settle(
    newUsers,
    await createUsers(
      client,
      newUsers.map((op) => op.user),
      options,
    ),
    (op, v) => ids.users.set(op.idnumber, v.id),
  );
  const userUpdates = of('update_user', 'suspend_user', 'reactivate_user');
  settle(
    userUpdates,
    await updateUsers(
      client,
      userUpdates.map((op) => ({ id: op.id, ...op.changes })),
      options,
    ),
  );

  // Enrol, suspend and reactivate are all enrol_manual_enrol_users: one kind of call.
  const enrolments = ready(
    of('enrol', 'suspend_enrolment', 'reactivate_enrolment'),
    (op) => [resolve(ids.users, op.user), resolve(ids.courses, op.course)],
    'moodle_not_created',
    'the account or the course',
  );
  settle(
    enrolments,
    await enrolUsers(
      client,
      enrolments.map((op): MoodleEnrolment => ({
        roleid: op.roleid,
        userid: resolve(ids.users, op.user)!,
        courseid: resolve(ids.courses, op.course)!,
        ...(op.op === 'enrol' ? {} : { suspend: op.op === 'suspend_enrolment' }),
      })),
      options,
    ),
  );
  const unenrolments = of('unenrol');
  settle(
    unenrolments,
    await unenrolUsers(
      client,
      unenrolments.map((op) => ({ userid: op.userid, courseid: op.courseid })),
      options,
    ),
  );
  return applied;
}
