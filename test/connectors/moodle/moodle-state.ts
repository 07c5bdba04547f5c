/**
 * An in-memory Moodle for sync-plan tests: applies a plan's write ops the way Moodle would
 * (new ids, enrol = upsert with status), so "the second sync writes nothing" is checked against
 * the state the first sync actually produces.
 */
import type { CurrentState, Ref, SyncOp } from '../../../connectors/moodle/sync-types.ts';

export function emptyMoodle(): CurrentState {
  return { users: [], categories: [], courses: [], enrolments: [] };
}

export function applyPlan(state: CurrentState, ops: readonly SyncOp[]): CurrentState {
  const next = structuredClone(state);
  let id = 1000 + next.users.length + next.courses.length + next.categories.length;
  const resolve = (
    ref: Ref,
    list: ReadonlyArray<{ id: number; idnumber?: string | undefined }>,
  ) => {
    if ('id' in ref) return ref.id;
    const found = list.find((e) => e.idnumber === ref.idnumber);
    if (!found) throw new Error(`unresolved ref ${ref.idnumber}`);
    return found.id;
  };
  for (const op of ops) {
    switch (op.op) {
      case 'create_category':
        next.categories.push({
          id: ++id,
          name: op.name,
          idnumber: op.idnumber,
          parent: resolve(op.parent, next.categories),
        });
        break;
      case 'create_course':
        next.courses.push({
          id: ++id,
          idnumber: op.idnumber,
          categoryid: resolve(op.category, next.categories),
          ...op.course,
        });
        break;
      case 'update_course': {
        const course = next.courses.find((c) => c.id === op.id)!;
        const { category, ...fields } = op.changes;
        Object.assign(course, fields);
        if (category) course.categoryid = resolve(category, next.categories);
        break;
      }
      case 'create_user':
        next.users.push({
          id: ++id,
          fullname: `${op.user.firstname} ${op.user.lastname}`,
          username: op.user.username,
          firstname: op.user.firstname,
          lastname: op.user.lastname,
          email: op.user.email,
          idnumber: op.idnumber,
          suspended: false,
        });
        break;
      case 'update_user':
      case 'suspend_user':
      case 'reactivate_user':
        Object.assign(
          next.users.find((u) => u.id === op.id)!,
          op.changes,
        );
        break;
      case 'enrol':
      case 'suspend_enrolment':
      case 'reactivate_enrolment': {
        const userid = resolve(op.user, next.users);
        const courseid = resolve(op.course, next.courses);
        let enrolment = next.enrolments.find((e) => e.userid === userid && e.courseid === courseid);
        if (!enrolment) {
          enrolment = { userid, courseid, idnumber: op.userIdnumber, roleIds: [], active: true };
          next.enrolments.push(enrolment);
        }
        if (!enrolment.roleIds.includes(op.roleid)) enrolment.roleIds.push(op.roleid);
        enrolment.active = op.op !== 'suspend_enrolment';
        break;
      }
      case 'unenrol':
        next.enrolments = next.enrolments.filter(
          (e) => !(e.userid === op.userid && e.courseid === op.courseid),
        );
        break;
      case 'conflict':
        break;
    }
  }
  return next;
}
