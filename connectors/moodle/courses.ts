/**
 * Courses (one per class or per class and subject, as the export's mapping decides).
 * Source: course/externallib.php `get_courses_by_field`, `create_courses`, `update_courses`
 * (https://github.com/moodle/moodle/blob/main/course/externallib.php) and moodle.md §3.
 */
import { z } from 'zod';
import { type RecordOutcome, type WriteOptions, rejectWarned, writeInBatches } from './batches.ts';
import type { MoodleClient } from './client.ts';
import { moodleBool, warningsSchema } from './schemas.ts';

export const moodleCourseSchema = z.object({
  id: z.number(),
  fullname: z.string(),
  shortname: z.string(),
  categoryid: z.number(),
  /** Returned only to callers with moodle/course:update. */
  idnumber: z.string().optional(),
  visible: moodleBool.optional(),
  startdate: z.number().optional(),
  enddate: z.number().optional(),
});
export type MoodleCourse = z.infer<typeof moodleCourseSchema>;

export interface NewMoodleCourse {
  fullname: string;
  shortname: string;
  categoryid: number;
  idnumber: string;
  visible?: boolean;
  /** Unix seconds (UTC). */
  startdate?: number;
  enddate?: number;
  summary?: string;
}

export type MoodleCourseUpdate = { id: number } & Partial<Omit<NewMoodleCourse, 'idnumber'>>;

const byFieldSchema = z.object({ courses: z.array(moodleCourseSchema), warnings: warningsSchema });

export type CourseField = 'id' | 'ids' | 'shortname' | 'idnumber' | 'category';

/**
 * core_course_get_courses_by_field. An empty value makes Moodle return every course on the site,
 * so it is refused here rather than sent.
 * https://docs.moodle.org/dev/Web_service_API_functions#core_course_get_courses_by_field
 */
export async function getCoursesByField(
  client: MoodleClient,
  field: CourseField,
  value: string | number,
): Promise<MoodleCourse[]> {
  if (String(value).trim() === '') {
    throw new RangeError(`get_courses_by_field(${field}) with an empty value lists every course`);
  }
  const answer = await client.call(
    'core_course_get_courses_by_field',
    { field, value },
    byFieldSchema,
  );
  return answer.courses;
}

export async function getCourseByIdnumber(
  client: MoodleClient,
  idnumber: string,
): Promise<MoodleCourse | undefined> {
  const courses = await getCoursesByField(client, 'idnumber', idnumber);
  return courses.find((c) => c.idnumber === idnumber);
}

/** One call per category instead of one per course: how a sync reads a school's courses. */
export async function getCoursesInCategories(
  client: MoodleClient,
  categoryIds: readonly number[],
): Promise<MoodleCourse[]> {
  const lists = await Promise.all(
    categoryIds.map((id) => getCoursesByField(client, 'category', id)),
  );
  return lists.flat();
}

const createdSchema = z.array(z.object({ id: z.number(), shortname: z.string() }));

/**
 * core_course_create_courses: one transaction per call (bisected on a rejection); `shortname`
 * and `idnumber` must be unique site-wide (`shortnametaken`, `courseidnumbertaken`).
 * https://docs.moodle.org/dev/Web_service_API_functions#core_course_create_courses
 */
export function createCourses(
  client: MoodleClient,
  courses: readonly NewMoodleCourse[],
  options: WriteOptions = {},
): Promise<Array<RecordOutcome<NewMoodleCourse, { id: number; shortname: string }>>> {
  return writeInBatches(courses, {
    budget: client.paramBudget,
    ...options,
    paramsOf: (c) => ({ courses: [{ ...c }] }),
    send: (batch) =>
      client.call(
        'core_course_create_courses',
        { courses: batch.map((c) => ({ ...c })) },
        createdSchema,
      ),
  });
}

const updatedSchema = z.object({ warnings: warningsSchema });

/**
 * core_course_update_courses (since 2.5): each course in its own try, problems as `warnings`
 * with `itemid` = course id; parameter validation still fails the whole call (bisected).
 * https://docs.moodle.org/dev/Web_service_API_functions#core_course_update_courses
 */
export async function updateCourses(
  client: MoodleClient,
  updates: readonly MoodleCourseUpdate[],
  options: WriteOptions = {},
): Promise<Array<RecordOutcome<MoodleCourseUpdate, undefined>>> {
  const outcomes = await writeInBatches(updates, {
    budget: client.paramBudget,
    ...options,
    paramsOf: (c) => ({ courses: [{ ...c }] }),
    send: async (batch) => {
      const answer = await client.call(
        'core_course_update_courses',
        { courses: batch.map((c) => ({ ...c })) },
        updatedSchema,
      );
      return batch.map((c) => answer.warnings.find((w) => w.itemid === c.id));
    },
  });
  return rejectWarned(outcomes);
}
