/**
 * The graded activities of the hub's courses: assignments and quizzes, listed for many courses in
 * one call each, so the grade streams know which instance ids to ask for and out of what maximum.
 */
import { z } from 'zod';
import { splitByInputVars } from './batches.ts';
import type { MoodleClient } from './client.ts';
import { warningsSchema } from './schemas.ts';

export const assignmentSchema = z.object({
  /** The assignment instance id that mod_assign_get_grades takes (not the cmid). */
  id: z.number(),
  cmid: z.number(),
  course: z.number(),
  name: z.string(),
  /** Maximum grade; a negative value is `-scaleid`: the assignment is graded on a scale. */
  grade: z.number(),
});
export type Assignment = z.infer<typeof assignmentSchema>;

const assignmentsAnswer = z.object({
  courses: z.array(z.object({ id: z.number(), assignments: z.array(assignmentSchema) })),
  warnings: warningsSchema,
});

/** Course ids per call: one input variable each, plus the call's own flags. */
function courseBatches(client: MoodleClient, courseIds: readonly number[], sharedVars: number) {
  return splitByInputVars(courseIds, {
    budget: client.paramBudget,
    paramsOf: (id) => ({ courseids: [id] }),
    sharedVars,
  }).batches;
}

/**
 * mod_assign_get_assignments for the given courses. `includenotenrolledcourses=1`: the web
 * service user is not enrolled in the courses it reads, and without the flag Moodle lists only
 * the caller's own courses.
 * https://github.com/moodle/moodle/blob/main/mod/assign/externallib.php (get_assignments)
 */
export async function getAssignments(client: MoodleClient, courseIds: readonly number[]): Promise<Assignment[]> {
  const answers = await Promise.all(
    courseBatches(client, courseIds, 1).map((courseids) =>
      client.call('mod_assign_get_assignments', { courseids, includenotenrolledcourses: true }, assignmentsAnswer),
    ),
  );
  return answers.flatMap((a) => a.courses.flatMap((c) => c.assignments));
}

export const quizSchema = z.object({
  id: z.number(),
  course: z.number(),
  coursemodule: z.number().optional(),
  name: z.string(),
  /** The quiz's maximum grade: best grades are already scaled to it. */
  grade: z.number(),
});
export type Quiz = z.infer<typeof quizSchema>;

const quizzesAnswer = z.object({ quizzes: z.array(quizSchema), warnings: warningsSchema });

/**
 * mod_quiz_get_quizzes_by_courses (since 3.1) for the given courses.
 * https://github.com/moodle/moodle/blob/main/mod/quiz/classes/external.php
 */
export async function getQuizzes(client: MoodleClient, courseIds: readonly number[]): Promise<Quiz[]> {
  const answers = await Promise.all(
    courseBatches(client, courseIds, 0).map((courseids) =>
      client.call('mod_quiz_get_quizzes_by_courses', { courseids }, quizzesAnswer),
    ),
  );
  return answers.flatMap((a) => a.quizzes);
}
