/**
 * The roster sync as a pure diff: desired state (from the hub) against current state (read from
 * Moodle by idnumber) gives the fewest writes that make Moodle match. No I/O here.
 *
 * Invariants the tests hold it to:
 * - a second sync after a successful one plans no write;
 * - a hand-made change to a field the hub owns (e.g. a user suspended in Moodle) is corrected by
 *   exactly one update;
 * - nothing is ever deleted: leavers are suspended (account or enrolments), categories and
 *   courses the hub no longer lists are left alone;
 * - only what the hub manages is touched: users and courses outside the desired idnumbers, and
 *   enrolments of such users, never appear in a plan.
 *
 * Order of the result: categories (parents first), courses, users, enrolments (adds before
 * removals), so an executor can run it top to bottom, resolving `{idnumber}` refs from the ids
 * the earlier creates returned.
 */
import { type People, planEnrolments } from './sync-enrolments.ts';
import { idsByIdnumber, refResolver } from './sync-refs.ts';
import type {
  CourseChanges,
  CurrentState,
  DesiredCategory,
  DesiredState,
  PlanOptions,
  Ref,
  SyncOp,
  UserChanges,
  WriteOp,
} from './sync-types.ts';
import { normalizeUsername } from './username.ts';

export function planSync(
  desired: DesiredState,
  current: CurrentState,
  options: PlanOptions,
): SyncOp[] {
  const categoryOps = planCategories(desired, current);
  const categoryRef = refResolver(idsByIdnumber(current.categories), created(categoryOps));
  const courseOps = planCourses(desired, current, categoryRef);
  const userOps = planUsers(desired, current, options);
  // An enrolment may only point at a user or course this plan can vouch for: one that exists
  // unambiguously or that an earlier op creates. Conflicts are reported once, by their own plan.
  const refs = {
    user: withoutConflicts(refResolver(idsByIdnumber(current.users), created(userOps)), userOps),
    course: withoutConflicts(
      refResolver(idsByIdnumber(current.courses), created(courseOps)),
      courseOps,
    ),
  };
  const managed = new Set(desired.courses.map((c) => c.idnumber));
  return [
    ...categoryOps,
    ...courseOps,
    ...userOps,
    ...planEnrolments(desired, current, options, refs, managed),
  ];
}

/**
 * The people half of a sync whose courses were synced before (the `users` stream after the
 * `courses` stream): accounts, and enrolments in `managedCourses`, the hub's courses Moodle
 * already holds. Same invariants as planSync; the order is users, then enrolments.
 */
export function planPeople(
  desired: People,
  current: CurrentState,
  managedCourses: ReadonlySet<string>,
  options: PlanOptions,
): SyncOp[] {
  const userOps = planUsers(desired, current, options);
  const refs = {
    user: withoutConflicts(refResolver(idsByIdnumber(current.users), created(userOps)), userOps),
    course: refResolver(idsByIdnumber(current.courses), new Set()),
  };
  return [...userOps, ...planEnrolments(desired, current, options, refs, managedCourses)];
}

function created(ops: readonly SyncOp[]): Set<string> {
  return new Set(
    ops.flatMap((o) =>
      o.op === 'create_category' || o.op === 'create_course' || o.op === 'create_user'
        ? [o.idnumber]
        : [],
    ),
  );
}

function withoutConflicts(
  resolve: (idnumber: string) => Ref | undefined,
  ops: readonly SyncOp[],
): (idnumber: string) => Ref | undefined {
  const conflicted = new Set(ops.flatMap((o) => (o.op === 'conflict' ? [o.key] : [])));
  return (idnumber) => (conflicted.has(idnumber) ? undefined : resolve(idnumber));
}

export function writeOps(ops: readonly SyncOp[]): WriteOp[] {
  return ops.filter((o): o is WriteOp => o.op !== 'conflict');
}

function planCategories(desired: DesiredState, current: CurrentState): SyncOp[] {
  const existing = idsByIdnumber(current.categories);
  const byIdnumber = new Map(desired.categories.map((c) => [c.idnumber, c]));
  const ops: SyncOp[] = [];
  const resolved = new Map<string, Ref | undefined>();
  // Depth-first so a parent's create precedes its children's; `visiting` catches cycles.
  const visit = (category: DesiredCategory, visiting: ReadonlySet<string>): Ref | undefined => {
    if (resolved.has(category.idnumber)) return resolved.get(category.idnumber);
    const ref = place(category, visiting);
    resolved.set(category.idnumber, ref);
    return ref;
  };
  const place = (category: DesiredCategory, visiting: ReadonlySet<string>): Ref | undefined => {
    const id = existing.get(category.idnumber);
    if (id !== undefined) return { id };
    const conflict = (code: string, message: string) => {
      const key = category.idnumber;
      // A cycle is met again on the way back out; report each category once.
      if (!ops.some((o) => o.op === 'conflict' && o.key === key)) {
        ops.push({ op: 'conflict', entity: 'category', key, code, message });
      }
      return undefined;
    };
    if (visiting.has(category.idnumber)) return conflict('category_cycle', 'parent cycle');
    let parent: Ref | undefined = { id: 0 };
    if (category.parentIdnumber !== undefined) {
      const parentCategory = byIdnumber.get(category.parentIdnumber);
      const parentId = existing.get(category.parentIdnumber);
      parent =
        parentId !== undefined
          ? { id: parentId }
          : parentCategory && visit(parentCategory, new Set([...visiting, category.idnumber]));
      if (!parent)
        return conflict('category_unknown_parent', `no parent ${category.parentIdnumber}`);
    }
    ops.push({ op: 'create_category', idnumber: category.idnumber, name: category.name, parent });
    return { idnumber: category.idnumber };
  };
  for (const category of desired.categories) visit(category, new Set());
  return ops;
}

function planCourses(
  desired: DesiredState,
  current: CurrentState,
  categoryRef: (idnumber: string) => Ref | undefined,
): SyncOp[] {
  const existing = new Map(current.courses.map((c) => [c.idnumber, c]));
  return desired.courses.flatMap((course): SyncOp[] => {
    const category = categoryRef(course.categoryIdnumber);
    if (!category) {
      const message = `category ${course.categoryIdnumber} is neither in Moodle nor planned`;
      return [
        {
          op: 'conflict',
          entity: 'course',
          key: course.idnumber,
          code: 'course_unknown_category',
          message,
        },
      ];
    }
    const found = existing.get(course.idnumber);
    const { idnumber, categoryIdnumber: _category, ...fields } = course;
    if (!found) return [{ op: 'create_course', idnumber, category, course: fields }];
    const changes: CourseChanges = {};
    for (const key of ['fullname', 'shortname', 'visible', 'startdate', 'enddate'] as const) {
      const want = course[key];
      if (want !== undefined && found[key] !== undefined && found[key] !== want) {
        Object.assign(changes, { [key]: want });
      }
    }
    if (!('id' in category) || category.id !== found.categoryid) changes.category = category;
    return Object.keys(changes).length === 0
      ? []
      : [{ op: 'update_course', idnumber, id: found.id, changes }];
  });
}

function planUsers(desired: People, current: CurrentState, options: PlanOptions): SyncOp[] {
  const byIdnumber = new Map<string, typeof current.users>();
  for (const user of current.users) {
    if (!user.idnumber) continue;
    byIdnumber.set(user.idnumber, [...(byIdnumber.get(user.idnumber) ?? []), user]);
  }
  return desired.users.flatMap((user): SyncOp[] => {
    const conflict = (code: string, message: string): SyncOp[] => [
      { op: 'conflict', entity: 'user', key: user.idnumber, code, message },
    ];
    const found = byIdnumber.get(user.idnumber) ?? [];
    if (found.length > 1) {
      const ids = found.map((u) => u.id).join(', ');
      return conflict('moodle_duplicate_idnumber', `Moodle users ${ids} share this idnumber`);
    }
    const username = user.status === 'withdrawn' ? '' : normalizeUsername(user.username);
    if (username === undefined) {
      return conflict('moodle_invalid_username', 'username has no usable character');
    }
    const [existing] = found;
    if (user.status === 'withdrawn') {
      return existing && !existing.suspended
        ? [{ op: 'suspend_user', idnumber: user.idnumber, id: existing.id, changes: { suspended: true } }]
        : [];
    }
    if (!existing) {
      if (user.status === 'left') return [];
      const { status: _status, ...fields } = user;
      return [
        {
          op: 'create_user',
          idnumber: user.idnumber,
          user: { ...fields, username, ...options.newUser },
        },
      ];
    }
    const changes: UserChanges = {};
    const want = {
      username,
      firstname: user.firstname,
      lastname: user.lastname,
      email: user.email,
    };
    for (const key of ['username', 'firstname', 'lastname', 'email'] as const) {
      // A field the WS user cannot see comes back absent: unknown, so not "changed".
      if (existing[key] !== undefined && existing[key] !== want[key]) changes[key] = want[key];
    }
    const suspendedNow = existing.suspended ?? false;
    const suspendedWanted =
      user.status === 'active' ? false : options.leavers === 'suspend_user' ? true : suspendedNow;
    if (suspendedWanted !== suspendedNow) changes.suspended = suspendedWanted;
    if (Object.keys(changes).length === 0) return [];
    const op =
      changes.suspended === true
        ? 'suspend_user'
        : changes.suspended === false
          ? 'reactivate_user'
          : 'update_user';
    return [{ op, idnumber: user.idnumber, id: existing.id, changes }];
  });
}
