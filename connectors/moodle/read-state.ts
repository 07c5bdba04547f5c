/**
 * Reading what Moodle holds before a sync writes anything ("diff first"). Everything the hub made
 * carries a public id as idnumber: categories are found in one listing, courses by listing the
 * hub's categories (one call each), accounts by idnumber in chunks, enrolments per course.
 */
import { isPublicId, parseLmsCourseKey } from '../../src/domain/lms/course-key.ts';
import { getCategories, type MoodleCategory } from './categories.ts';
import type { MoodleClient } from './client.ts';
import { getCoursesInCategories, type MoodleCourse } from './courses.ts';
import { type CourseEnrolment, getEnrolledUsers, readCourseEnrolments } from './enrol.ts';

export interface HubCourses {
  /** Every category the web service user can see (idnumbers show with moodle/category:manage). */
  categories: MoodleCategory[];
  /** The hub's courses (idnumber `<class id>/<subject>`) in the selected categories. */
  courses: MoodleCourse[];
}

/**
 * The hub's courses in the categories of `schools` (public ids), or in every category a hub made
 * when `schools` is absent (the grade streams, which cannot know the instance's schools).
 * A hub course moved by hand into a category of its own is not found here; see README "Limits".
 */
export async function readHubCourses(client: MoodleClient, schools?: ReadonlySet<string>): Promise<HubCourses> {
  const categories = await getCategories(client);
  const wanted = categories.filter((c) => (schools ? schools.has(c.idnumber ?? '') : isPublicId(c.idnumber)));
  const listed =
    wanted.length === 0
      ? []
      : await getCoursesInCategories(
          client,
          wanted.map((c) => c.id),
        );
  return { categories, courses: listed.filter((c) => parseLmsCourseKey(c.idnumber ?? '') !== undefined) };
}

export interface EnrolmentReadOptions {
  /**
   * Also read suspended enrolments (two listings per course): only `removedEnrolments: unenrol`
   * needs them. Otherwise the active listing is enough: enrol_manual_enrol_users without
   * `suspend` makes an enrolment active whether it was missing or suspended
   * (enrol/manual/externallib.php: `status = empty(suspend) ? ENROL_USER_ACTIVE : ...`), and a
   * suspended enrolment the hub no longer wants needs nothing.
   */
  withSuspended?: boolean;
  /** Courses known to have nobody enrolled (created moments ago by this run): not listed. */
  empty?: ReadonlySet<number>;
}

/** Enrolments of the given courses, one listing each (two with `withSuspended`), paced by the client. */
export async function readEnrolments(
  client: MoodleClient,
  courses: readonly MoodleCourse[],
  options: EnrolmentReadOptions = {},
): Promise<CourseEnrolment[]> {
  const listed = courses.filter((c) => !options.empty?.has(c.id));
  const lists = await Promise.all(
    listed.map(async (c): Promise<CourseEnrolment[]> => {
      if (options.withSuspended) return readCourseEnrolments(client, c.id);
      const active = await getEnrolledUsers(client, c.id, { onlyactive: true });
      return active.map((u) => ({
        userid: u.id,
        courseid: c.id,
        idnumber: u.idnumber,
        roleIds: u.roles.map((r) => r.roleid),
        active: true,
      }));
    }),
  );
  return lists.flat();
}
