/**
 * Grades read back from Moodle (the LMS grades import): the user grade report per course,
 * assignment grades incrementally with `since`, and a user's best quiz grade.
 * Sources and shapes: moodle.md §3; mod/quiz/classes/external.php for the best grade.
 */
import { z } from 'zod';
import { splitByInputVars } from './batches.ts';
import type { MoodleClient } from './client.ts';
import { moodleBool, warningsSchema } from './schemas.ts';

export const gradeItemSchema = z.object({
  id: z.number(),
  itemname: z.string().nullish(),
  itemtype: z.string(),
  itemmodule: z.string().nullish(),
  iteminstance: z.number().nullish(),
  itemnumber: z.number().nullish(),
  idnumber: z.string().nullish(),
  categoryid: z.number().nullish(),
  cmid: z.number().nullish(),
  /** Set when the item is graded on a scale: `graderaw` is then a position on it, not points. */
  scaleid: z.number().nullish(),
  graderaw: z.number().nullish(),
  gradeformatted: z.string().nullish(),
  grademin: z.number().nullish(),
  grademax: z.number().nullish(),
  percentageformatted: z.string().nullish(),
  /** Unix seconds. */
  gradedategraded: z.number().nullish(),
  gradeishidden: moodleBool.nullish(),
  feedback: z.string().nullish(),
});
export type GradeItem = z.infer<typeof gradeItemSchema>;

export const userGradesSchema = z.object({
  courseid: z.number(),
  courseidnumber: z.string().nullish(),
  userid: z.number(),
  userfullname: z.string().optional(),
  useridnumber: z.string().nullish(),
  maxdepth: z.number().optional(),
  gradeitems: z.array(gradeItemSchema),
});
export type UserGrades = z.infer<typeof userGradesSchema>;

const gradeItemsAnswer = z.object({
  usergrades: z.array(userGradesSchema),
  warnings: warningsSchema,
});

/**
 * gradereport_user_get_grade_items: a whole course (`userid` 0 = all users, needs
 * moodle/grade:viewall) in one unpaginated answer, and it regrades the course first: heavy, so
 * call it per course, not per user. Fails for suspended users when `userid` is given.
 * https://github.com/moodle/moodle/blob/main/grade/report/user/classes/external/user.php
 */
export async function getGradeItems(
  client: MoodleClient,
  courseid: number,
  userid = 0,
): Promise<UserGrades[]> {
  const answer = await client.call(
    'gradereport_user_get_grade_items',
    { courseid, userid },
    gradeItemsAnswer,
  );
  return answer.usergrades;
}

export const assignGradeSchema = z.object({
  id: z.number(),
  userid: z.number(),
  attemptnumber: z.number(),
  timecreated: z.number(),
  /** Unix seconds; the cursor of the incremental pull. */
  timemodified: z.number(),
  grader: z.number(),
  /** As Moodle formats it ("7.50000"); "-1.00000" means not graded. */
  grade: z.string(),
});
export type AssignGrade = z.infer<typeof assignGradeSchema>;

const assignGradesAnswer = z.object({
  assignments: z.array(z.object({ assignmentid: z.number(), grades: z.array(assignGradeSchema) })),
  warnings: warningsSchema,
});

export interface AssignGrades {
  assignmentid: number;
  grades: AssignGrade[];
}

/**
 * mod_assign_get_grades for assignment *instance* ids (not cmids), grades with
 * `timemodified >= since`. Warning code 3 ("no grades found") is an empty result, not an error.
 * https://github.com/moodle/moodle/blob/main/mod/assign/externallib.php
 */
export async function getAssignGrades(
  client: MoodleClient,
  assignmentIds: readonly number[],
  since = 0,
): Promise<AssignGrades[]> {
  const { batches } = splitByInputVars(assignmentIds, {
    budget: client.paramBudget,
    paramsOf: (id) => ({ assignmentids: [id] }),
    sharedVars: 1,
  });
  const answers = await Promise.all(
    batches.map((assignmentids) =>
      client.call('mod_assign_get_grades', { assignmentids, since }, assignGradesAnswer),
    ),
  );
  return answers.flatMap((a) => a.assignments);
}

const bestGradeAnswer = z.object({
  hasgrade: moodleBool,
  grade: z.number().optional(),
  gradetopass: z.number().optional(),
  warnings: warningsSchema,
});

export interface QuizBestGrade {
  quizid: number;
  userid: number;
  /** `undefined` when the user has no graded attempt. Scaled to the quiz's maximum grade. */
  grade: number | undefined;
}

/**
 * mod_quiz_get_user_best_grade (since 3.1): the grade the gradebook uses, already scaled, in
 * one small call per (quiz, user). Preferred over mod_quiz_get_user_attempts, whose `sumgrades`
 * are unscaled and which is deprecated in Moodle 5.0 (MDL-68806). Needs mod/quiz:viewreports
 * and an active user.
 * https://github.com/moodle/moodle/blob/main/mod/quiz/classes/external.php
 */
export async function getQuizBestGrade(
  client: MoodleClient,
  quizid: number,
  userid: number,
): Promise<QuizBestGrade> {
  const answer = await client.call(
    'mod_quiz_get_user_best_grade',
    { quizid, userid },
    bestGradeAnswer,
  );
  return { quizid, userid, grade: answer.hasgrade ? answer.grade : undefined };
}
