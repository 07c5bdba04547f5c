/**
 * The vocabulary of a roster sync: what the hub wants Moodle to hold (desired), what Moodle holds
 * (current, read by idnumber), and the operations that turn one into the other. Every entity is
 * keyed by `idnumber` = the hub's public UUID (ARCHITECTURE.md, "Ids").
 */
import type { MoodleCategory } from './categories.ts';
import type { MoodleCourse } from './courses.ts';
import type { CourseEnrolment } from './enrol.ts';
import type { MoodleUser, NewMoodleUser } from './users.ts';

export interface DesiredUser {
  idnumber: string;
  /** Normalized by the plan (lower case, Moodle's characters, Cyrillic transliterated). */
  username: string;
  firstname: string;
  lastname: string;
  email: string;
  /**
   * `left`: a leaver; never deleted, suspended as `PlanOptions.leavers` says.
   * `withdrawn`: the hub may no longer send this person (consent refused, person deleted or
   * merged): an existing account is suspended whatever `leavers` says, nothing else is sent or
   * compared, and no account is ever created.
   */
  status: 'active' | 'left' | 'withdrawn';
}

export interface DesiredCategory {
  idnumber: string;
  name: string;
  /** Absent = top level. */
  parentIdnumber?: string;
}

export interface DesiredCourse {
  idnumber: string;
  fullname: string;
  shortname: string;
  categoryIdnumber: string;
  visible?: boolean;
  /** Unix seconds (UTC). */
  startdate?: number;
  enddate?: number;
}

export interface DesiredEnrolment {
  userIdnumber: string;
  courseIdnumber: string;
  /** A key of `PlanOptions.roles`, e.g. `student`, `teacher`. */
  role: string;
}

export interface DesiredState {
  users: DesiredUser[];
  categories: DesiredCategory[];
  courses: DesiredCourse[];
  enrolments: DesiredEnrolment[];
}

/** Moodle's side, read for the desired idnumbers (users, categories, courses) and courses. */
export interface CurrentState {
  users: MoodleUser[];
  categories: MoodleCategory[];
  courses: MoodleCourse[];
  enrolments: CourseEnrolment[];
}

export interface PlanOptions {
  /** Role key -> Moodle role id. Ids differ between sites (student is 5 only on a fresh one). */
  roles: Record<string, number>;
  /** A leaver's account is suspended, or only the leaver's enrolments in hub courses. */
  leavers: 'suspend_user' | 'suspend_enrolments';
  /** An enrolment no longer wanted for an active user (class change): suspend keeps grades. */
  removedEnrolments: 'suspend' | 'unenrol';
  /** Fields of new accounts the hub does not own per user. */
  newUser: Pick<NewMoodleUser, 'auth' | 'createpassword'>;
}

/** A Moodle entity that exists (`id`) or is created earlier in the same plan (`idnumber`). */
export type Ref = { id: number } | { idnumber: string };

export type UserChanges = {
  username?: string;
  firstname?: string;
  lastname?: string;
  email?: string;
  suspended?: boolean;
};

export type CourseChanges = {
  fullname?: string;
  shortname?: string;
  visible?: boolean;
  startdate?: number;
  enddate?: number;
  category?: Ref;
};

export type SyncOp =
  | { op: 'create_category'; idnumber: string; name: string; parent: Ref }
  | {
      op: 'create_course';
      idnumber: string;
      category: Ref;
      course: Omit<DesiredCourse, 'idnumber' | 'categoryIdnumber'>;
    }
  | { op: 'update_course'; idnumber: string; id: number; changes: CourseChanges }
  | { op: 'create_user'; idnumber: string; user: NewMoodleUser }
  /** One op per user at most: field changes and the suspended flag travel together. */
  | {
      op: 'update_user' | 'suspend_user' | 'reactivate_user';
      idnumber: string;
      id: number;
      changes: UserChanges;
    }
  | {
      op: 'enrol' | 'suspend_enrolment' | 'reactivate_enrolment';
      userIdnumber: string;
      courseIdnumber: string;
      user: Ref;
      course: Ref;
      roleid: number;
    }
  | {
      op: 'unenrol';
      userIdnumber: string;
      courseIdnumber: string;
      userid: number;
      courseid: number;
    }
  /** Not a write: a record the plan cannot act on, reported as a rejection. */
  | {
      op: 'conflict';
      entity: 'user' | 'category' | 'course' | 'enrolment';
      key: string;
      code: string;
      message: string;
    };

export type WriteOp = Exclude<SyncOp, { op: 'conflict' }>;
