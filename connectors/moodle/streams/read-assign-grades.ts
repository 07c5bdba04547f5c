/**
 * Import stream `assign_grades`: assignment grades changed since the last run. The stream's
 * cursor is the newest `timemodified` it has seen (the checkpoint state `{ since }`, carried from
 * one run to the next by the engine); mod_assign_get_grades returns grades with
 * `timemodified >= since`, so the newest second is read again and written as unchanged.
 * Assignments come from mod_assign_get_assignments for the hub's courses; users are named by
 * Moodle id only, so their idnumbers are read with core_user_get_users_by_field (field id).
 */
import { z } from 'zod';
import type { ReadEvent } from '../../../src/core/contract.ts';
import { isPublicId } from '../../../src/domain/lms/course-key.ts';
import { getAssignments } from '../activities.ts';
import type { MoodleClient } from '../client.ts';
import { getAssignGrades } from '../grades.ts';
import { readHubCourses } from '../read-state.ts';
import { getUsersById } from '../users.ts';
import { gradeEvent, isoFromUnix } from './grade-record.ts';

const STREAM = 'assign_grades';

export const assignCursor = z.object({ since: z.number().int().nonnegative() });
export type AssignCursor = z.infer<typeof assignCursor>;

export async function* readAssignGrades(client: MoodleClient, state: unknown): AsyncIterable<ReadEvent<AssignCursor>> {
  const cursor = assignCursor.safeParse(state);
  const since = cursor.success ? cursor.data.since : 0;
  const { courses } = await readHubCourses(client);
  const courseById = new Map(courses.map((c) => [c.id, c]));
  // A negative maximum is a scale: its grades are positions, not points.
  const assignments = new Map(
    (await getAssignments(client, [...courseById.keys()]))
      .filter((a) => a.grade > 0 && courseById.has(a.course))
      .map((a) => [a.id, a]),
  );
  if (assignments.size === 0) {
    yield { kind: 'checkpoint', state: { since } };
    return;
  }
  const graded = await getAssignGrades(client, [...assignments.keys()], since);
  // "-1.00000": the submission has no grade yet.
  const grades = graded.flatMap((a) =>
    a.grades.filter((g) => Number(g.grade) >= 0).map((g) => ({ assignmentid: a.assignmentid, ...g })),
  );
  const users = new Map(
    (await getUsersById(client, [...new Set(grades.map((g) => g.userid))])).map((u) => [u.id, u.idnumber]),
  );
  let newest = since;
  for (const g of grades) {
    newest = Math.max(newest, g.timemodified);
    const a = assignments.get(g.assignmentid);
    const idnumber = users.get(g.userid);
    if (!a || !isPublicId(idnumber)) continue;
    yield gradeEvent(STREAM, `assignment ${a.id} user ${g.userid} attempt ${g.attemptnumber}`, {
      item_key: `assign:${a.id}`,
      itemname: a.name,
      itemmodule: 'assign',
      courseid: a.course,
      courseidnumber: courseById.get(a.course)!.idnumber!,
      userid: g.userid,
      useridnumber: idnumber!,
      score: Number(g.grade),
      max_score: a.grade,
      graded_at: isoFromUnix(g.timemodified),
    });
  }
  yield { kind: 'checkpoint', state: { since: newest } };
}
