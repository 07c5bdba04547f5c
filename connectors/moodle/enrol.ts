/**
 * Manual enrolments: enrol (also how an enrolment is suspended or reactivated), unenrol, and the
 * read-back of who is enrolled in a course.
 * Sources: enrol/manual/externallib.php, enrol/externallib.php
 * (https://github.com/moodle/moodle/blob/main/enrol/manual/externallib.php,
 * https://github.com/moodle/moodle/blob/main/enrol/externallib.php) and moodle.md §3.
 */
import { z } from 'zod';
import {
  type RecordOutcome,
  type WriteOptions,
  nothingPerRecord,
  writeInBatches,
} from './batches.ts';
import type { MoodleClient } from './client.ts';
import { nullAnswer } from './schemas.ts';

export interface MoodleEnrolment {
  /** From the instance's role configuration: role ids differ between sites. */
  roleid: number;
  userid: number;
  courseid: number;
  /**
   * Unix seconds. Moodle stores an omitted time as 0, overwriting an existing value, so a
   * re-enrol that only flips `suspend` must repeat the times it wants kept.
   */
  timestart?: number;
  timeend?: number;
  /** `true` keeps the enrolment but makes it ENROL_USER_SUSPENDED (grades and work stay). */
  suspend?: boolean;
}

export interface MoodleUnenrolment {
  userid: number;
  courseid: number;
}

/**
 * enrol_manual_enrol_users: one transaction per call (bisected on a rejection), answers `null`.
 * Enrolling an enrolled user again only updates times and status, so it is safe to repeat.
 * https://docs.moodle.org/dev/Web_service_API_functions#enrol_manual_enrol_users
 */
export function enrolUsers(
  client: MoodleClient,
  enrolments: readonly MoodleEnrolment[],
  options: WriteOptions = {},
): Promise<Array<RecordOutcome<MoodleEnrolment, undefined>>> {
  return writeInBatches(enrolments, {
    budget: client.paramBudget,
    ...options,
    paramsOf: (e) => ({ enrolments: [{ ...e }] }),
    send: async (batch) => {
      await client.call(
        'enrol_manual_enrol_users',
        { enrolments: batch.map((e) => ({ ...e })) },
        nullAnswer,
      );
      return nothingPerRecord(batch);
    },
  });
}

/**
 * enrol_manual_unenrol_users: removes the whole manual enrolment (a `roleid` would be ignored).
 * Unenrolling hides the student's course data; the hub suspends by default and unenrols only
 * when configured to.
 * https://docs.moodle.org/dev/Web_service_API_functions#enrol_manual_unenrol_users
 */
export function unenrolUsers(
  client: MoodleClient,
  unenrolments: readonly MoodleUnenrolment[],
  options: WriteOptions = {},
): Promise<Array<RecordOutcome<MoodleUnenrolment, undefined>>> {
  return writeInBatches(unenrolments, {
    budget: client.paramBudget,
    ...options,
    paramsOf: (e) => ({ enrolments: [{ ...e }] }),
    send: async (batch) => {
      await client.call(
        'enrol_manual_unenrol_users',
        { enrolments: batch.map((e) => ({ ...e })) },
        nullAnswer,
      );
      return nothingPerRecord(batch);
    },
  });
}

export const enrolledUserSchema = z.object({
  id: z.number(),
  fullname: z.string().optional(),
  username: z.string().optional(),
  idnumber: z.string().optional(),
  roles: z
    .array(z.object({ roleid: z.number(), name: z.string(), shortname: z.string() }))
    .default([]),
});
export type EnrolledUser = z.infer<typeof enrolledUserSchema>;

/**
 * core_enrol_get_enrolled_users, paged with `limitfrom`/`limitnumber` (the only paginated read
 * among the functions used here). Lists every enrolment method, not only manual.
 * https://docs.moodle.org/dev/Web_service_API_functions#core_enrol_get_enrolled_users
 */
export async function getEnrolledUsers(
  client: MoodleClient,
  courseid: number,
  options: { onlyactive?: boolean; pageSize?: number } = {},
): Promise<EnrolledUser[]> {
  const pageSize = options.pageSize ?? 500;
  const users: EnrolledUser[] = [];
  for (let from = 0; ; from += pageSize) {
    const opts = [
      { name: 'limitfrom', value: from },
      { name: 'limitnumber', value: pageSize },
      ...(options.onlyactive ? [{ name: 'onlyactive', value: 1 }] : []),
    ];
    const page = await client.call(
      'core_enrol_get_enrolled_users',
      { courseid, options: opts },
      z.array(enrolledUserSchema),
    );
    users.push(...page);
    if (page.length < pageSize) return users;
  }
}

/** A user's enrolment in a course as a sync compares it. */
export interface CourseEnrolment {
  userid: number;
  courseid: number;
  idnumber: string | undefined;
  roleIds: number[];
  /** False when suspended (or outside its start/end dates). */
  active: boolean;
}

/**
 * The answer carries no enrolment status, so status is read as the difference between the full
 * list and the `onlyactive=1` list: two listings per course (moodle.md §3, "Caveat"). A course
 * with nobody enrolled (a course the same sync just created) costs one.
 */
export async function readCourseEnrolments(
  client: MoodleClient,
  courseid: number,
  pageSize?: number,
): Promise<CourseEnrolment[]> {
  const paging = pageSize === undefined ? {} : { pageSize };
  const all = await getEnrolledUsers(client, courseid, paging);
  if (all.length === 0) return [];
  const active = await getEnrolledUsers(client, courseid, { ...paging, onlyactive: true });
  const activeIds = new Set(active.map((u) => u.id));
  return all.map((u) => ({
    userid: u.id,
    courseid,
    idnumber: u.idnumber,
    roleIds: u.roles.map((r) => r.roleid),
    active: activeIds.has(u.id),
  }));
}
