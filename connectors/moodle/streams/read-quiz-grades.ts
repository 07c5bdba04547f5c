/**
 * Import stream `quiz_grades`: each student's best grade in each quiz of the hub's courses
 * (mod_quiz_get_user_best_grade, already scaled to the quiz's maximum). Moodle offers it one
 * (quiz, user) at a time, so this stream costs a call per quiz and active student; the
 * `grade_items` stream gets the same grades from the gradebook per course and is the cheap one.
 * The best grade carries no date: the mark keeps the date it was first loaded with.
 */
import type { ReadEvent } from '../../../src/core/contract.ts';
import { isPublicId } from '../../../src/domain/lms/course-key.ts';
import { getQuizzes } from '../activities.ts';
import type { MoodleClient } from '../client.ts';
import type { MoodleConfig } from '../config.ts';
import { getEnrolledUsers } from '../enrol.ts';
import { getQuizBestGrade } from '../grades.ts';
import { readHubCourses } from '../read-state.ts';
import { gradeEvent } from './grade-record.ts';

const STREAM = 'quiz_grades';

export async function* readQuizGrades(client: MoodleClient, config: MoodleConfig): AsyncIterable<ReadEvent> {
  const { courses } = await readHubCourses(client);
  const courseById = new Map(courses.map((c) => [c.id, c]));
  const quizzes = (await getQuizzes(client, [...courseById.keys()])).filter(
    (q) => q.grade > 0 && courseById.has(q.course),
  );
  const withQuizzes = [...new Set(quizzes.map((q) => q.course))];
  const students = new Map(
    await Promise.all(
      withQuizzes.map(async (id) => {
        const enrolled = await getEnrolledUsers(client, id, { onlyactive: true });
        return [
          id,
          enrolled.filter((u) => isPublicId(u.idnumber) && u.roles.some((r) => r.roleid === config.roles.student)),
        ] as const;
      }),
    ),
  );
  const pairs = quizzes.flatMap((quiz) => (students.get(quiz.course) ?? []).map((user) => ({ quiz, user })));
  const best = await Promise.all(
    pairs.map(async (p) => ({ ...p, best: await getQuizBestGrade(client, p.quiz.id, p.user.id) })),
  );
  for (const { quiz, user, best: b } of best) {
    if (b.grade === undefined) continue;
    yield gradeEvent(STREAM, `quiz ${quiz.id} user ${user.id}`, {
      item_key: `quiz:${quiz.id}`,
      itemname: quiz.name,
      itemmodule: 'quiz',
      courseid: quiz.course,
      courseidnumber: courseById.get(quiz.course)!.idnumber!,
      userid: user.id,
      useridnumber: user.idnumber!,
      score: b.grade,
      max_score: quiz.grade,
      graded_at: null,
    });
  }
}
