/**
 * The enrolment half of the sync plan (see sync-plan.ts for the invariants).
 *
 * Moodle facts it relies on (moodle.md §3): `enrol_manual_enrol_users` on an existing enrolment
 * only updates its status and times, so suspending and reactivating are enrol calls with
 * `suspend` 1/0; `core_enrol_get_enrolled_users` gives no status, so `CourseEnrolment.active`
 * comes from comparing the full and `onlyactive` listings.
 */
import type { CourseEnrolment } from './enrol.ts';
import type {
  CurrentState,
  DesiredEnrolment,
  DesiredState,
  PlanOptions,
  Ref,
  SyncOp,
} from './sync-types.ts';

export interface EnrolmentRefs {
  /** Resolves a user or course the plan can vouch for; undefined for conflicts and unknowns. */
  user: (idnumber: string) => Ref | undefined;
  course: (idnumber: string) => Ref | undefined;
}

type Existing = Map<string, CourseEnrolment>;

/** The part of the desired state enrolments are planned from. */
export type People = Pick<DesiredState, 'users' | 'enrolments'>;

/** Internal map key; a NUL cannot occur in either idnumber. */
const keyOf = (userIdnumber: string, courseIdnumber: string) =>
  `${userIdnumber}\u0000${courseIdnumber}`;

/**
 * `managedCourses`: idnumbers of the courses whose enrolments the hub owns; enrolments elsewhere
 * are never touched, and a wanted enrolment in another course is a conflict.
 */
export function planEnrolments(
  desired: People,
  current: CurrentState,
  options: PlanOptions,
  refs: EnrolmentRefs,
  managedCourses: ReadonlySet<string>,
): SyncOp[] {
  const existing = indexCurrent(current);
  const wanted = new Set<string>();
  const users = new Map(desired.users.map((u) => [u.idnumber, u]));
  const adds = desired.enrolments.flatMap((d) => {
    const roleid = roleFor(d, users, options, managedCourses);
    if (roleid === 'skip') return [];
    if (typeof roleid !== 'number') return [roleid];
    wanted.add(keyOf(d.userIdnumber, d.courseIdnumber));
    return planAdd(d, roleid, existing, refs);
  });
  return [...adds, ...planRemovals(desired, existing, wanted, options, managedCourses)];
}

/** Current enrolments by (user idnumber, course idnumber). */
function indexCurrent(current: CurrentState): Existing {
  const userIdnumberById = new Map(current.users.map((u) => [u.id, u.idnumber]));
  const courseIdnumberById = new Map(current.courses.map((c) => [c.id, c.idnumber]));
  const existing: Existing = new Map();
  for (const e of current.enrolments) {
    const userIdnumber = e.idnumber || userIdnumberById.get(e.userid);
    const courseIdnumber = courseIdnumberById.get(e.courseid);
    if (userIdnumber && courseIdnumber) existing.set(keyOf(userIdnumber, courseIdnumber), e);
  }
  return existing;
}

/** The Moodle role id to enrol with, a conflict, or `skip` for a leaver. */
function roleFor(
  d: DesiredEnrolment,
  users: ReadonlyMap<string, DesiredState['users'][number]>,
  options: PlanOptions,
  managedCourses: ReadonlySet<string>,
): number | SyncOp | 'skip' {
  const conflict = (code: string, message: string): SyncOp => ({
    op: 'conflict',
    entity: 'enrolment',
    key: `${d.userIdnumber}/${d.courseIdnumber}`,
    code,
    message,
  });
  const user = users.get(d.userIdnumber);
  if (!user)
    return conflict('enrolment_unknown_user', `user ${d.userIdnumber} is not in the roster`);
  // A leaver gets no new or renewed enrolment; what they had is handled as a removal.
  if (user.status !== 'active') return 'skip';
  if (!managedCourses.has(d.courseIdnumber)) {
    return conflict('enrolment_unknown_course', `course ${d.courseIdnumber} is not exported`);
  }
  return (
    options.roles[d.role] ??
    conflict('enrolment_unknown_role', `no Moodle role id configured for "${d.role}"`)
  );
}

function planAdd(d: DesiredEnrolment, roleid: number, existing: Existing, refs: EnrolmentRefs) {
  const user = refs.user(d.userIdnumber);
  const course = refs.course(d.courseIdnumber);
  // An unresolvable user or course is already reported by the user or course plan.
  if (!user || !course) return [];
  const found = existing.get(keyOf(d.userIdnumber, d.courseIdnumber));
  const base = { userIdnumber: d.userIdnumber, courseIdnumber: d.courseIdnumber, user, course };
  if (!found) return [{ op: 'enrol' as const, ...base, roleid }];
  if (!found.active) return [{ op: 'reactivate_enrolment' as const, ...base, roleid }];
  // A further role in the same course (a student who also assists) is a role assignment.
  if (!found.roleIds.includes(roleid)) return [{ op: 'enrol' as const, ...base, roleid }];
  return [];
}

function planRemovals(
  desired: People,
  existing: Existing,
  wanted: ReadonlySet<string>,
  options: PlanOptions,
  managedCourses: ReadonlySet<string>,
): SyncOp[] {
  const users = new Map(desired.users.map((u) => [u.idnumber, u]));
  const ops: SyncOp[] = [];
  for (const [key, e] of existing) {
    if (wanted.has(key)) continue;
    const [userIdnumber = '', courseIdnumber = ''] = key.split('\u0000');
    const user = users.get(userIdnumber);
    // Enrolments of people or courses the hub does not manage are not the hub's to change.
    if (!user || !managedCourses.has(courseIdnumber)) continue;
    const isLeaver = user.status !== 'active';
    // A suspended account already locks a leaver out; keeping the enrolments lets a return
    // (re-admission) restore everything with one reactivation. A withdrawn account is always
    // suspended, so its enrolments are left as they are too.
    if (user.status === 'withdrawn' || (isLeaver && options.leavers === 'suspend_user')) continue;
    const ids = { userIdnumber, courseIdnumber };
    // Leavers are only ever suspended; `unenrol` is for active users' superseded enrolments.
    if (!isLeaver && options.removedEnrolments === 'unenrol') {
      ops.push({ op: 'unenrol', ...ids, userid: e.userid, courseid: e.courseid });
      continue;
    }
    if (!e.active) continue;
    const roleid = e.roleIds[0];
    if (roleid === undefined) {
      const message = 'the enrolment has no role to re-enrol with as suspended';
      const conflictKey = `${userIdnumber}/${courseIdnumber}`;
      ops.push({
        op: 'conflict',
        entity: 'enrolment',
        key: conflictKey,
        code: 'enrolment_no_role',
        message,
      });
      continue;
    }
    const refs = { user: { id: e.userid }, course: { id: e.courseid } };
    ops.push({ op: 'suspend_enrolment', ...ids, ...refs, roleid });
  }
  return ops;
}
