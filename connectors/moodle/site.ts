/**
 * Site info: the health check of a Moodle instance and the list of functions its token may call.
 */
import { z } from 'zod';
import type { MoodleClient } from './client.ts';

export const siteInfoSchema = z.object({
  sitename: z.string(),
  username: z.string(),
  fullname: z.string(),
  userid: z.number(),
  siteurl: z.string(),
  functions: z.array(z.object({ name: z.string(), version: z.string() })).default([]),
  release: z.string().optional(),
  version: z.string().optional(),
});
export type SiteInfo = z.infer<typeof siteInfoSchema>;

/** Functions the roster export (users, categories, courses, enrolments) needs. */
export const ROSTER_FUNCTIONS = [
  'core_webservice_get_site_info',
  'core_user_get_users_by_field',
  'core_user_create_users',
  'core_user_update_users',
  'core_course_get_categories',
  'core_course_create_categories',
  'core_course_get_courses_by_field',
  'core_course_create_courses',
  'core_course_update_courses',
  'enrol_manual_enrol_users',
  'enrol_manual_unenrol_users',
  'core_enrol_get_enrolled_users',
] as const;

/** The roster export's functions that change the site (the rest read). */
export const ROSTER_WRITE_FUNCTIONS = [
  'core_course_create_categories',
  'core_course_create_courses',
  'core_course_update_courses',
  'core_user_create_users',
  'core_user_update_users',
  'enrol_manual_enrol_users',
  'enrol_manual_unenrol_users',
] as const satisfies readonly (typeof ROSTER_FUNCTIONS)[number][];

/** Functions the grade import needs (besides the roster reads it shares). */
export const GRADE_FUNCTIONS = [
  'gradereport_user_get_grade_items',
  'mod_assign_get_assignments',
  'mod_assign_get_grades',
  'mod_quiz_get_quizzes_by_courses',
  'mod_quiz_get_user_best_grade',
] as const;

/**
 * core_webservice_get_site_info: takes no required params and answers with the token's user and
 * the functions of its external service
 * (`core_webservice_external::get_site_info`,
 * https://github.com/moodle/moodle/blob/main/webservice/externallib.php).
 */
export function getSiteInfo(client: MoodleClient): Promise<SiteInfo> {
  return client.call('core_webservice_get_site_info', {}, siteInfoSchema);
}

/** The required functions the token's service does not offer (empty when all are there). */
export function missingFunctions(info: SiteInfo, required: readonly string[]): string[] {
  const offered = new Set(info.functions.map((f) => f.name));
  return required.filter((name) => !offered.has(name));
}

/** One call: lists which of `required` the token cannot call. */
export async function checkFunctions(
  client: MoodleClient,
  required: readonly string[],
): Promise<string[]> {
  return missingFunctions(await getSiteInfo(client), required);
}
