/**
 * Import stream `grade_items`: every graded activity and manual gradebook item of the hub's
 * courses, one gradereport_user_get_grade_items call per course (all users at once; the call
 * regrades the course, so it is never made per user). Course and category totals are not marks;
 * items graded on a scale are skipped (a scale's position is not a score).
 */
import { isPublicId } from '../../../src/domain/lms/course-key.ts';
import type { ReadEvent } from '../../../src/core/contract.ts';
import type { MoodleClient } from '../client.ts';
import { type GradeItem, getGradeItems } from '../grades.ts';
import { readHubCourses } from '../read-state.ts';
import { gradeEvent, isoFromUnix } from './grade-record.ts';

const STREAM = 'grade_items';

export function itemKey(item: GradeItem): string | undefined {
  if (item.itemtype === 'mod' && item.itemmodule && item.iteminstance != null)
    return `${item.itemmodule}:${item.iteminstance}`;
  if (item.itemtype === 'manual') return `manual:${item.id}`;
  return undefined;
}

export async function* readGradeItems(client: MoodleClient): AsyncIterable<ReadEvent> {
  const { courses } = await readHubCourses(client);
  const reports = await Promise.all(
    courses.map(async (course) => ({ course, users: await getGradeItems(client, course.id) })),
  );
  for (const { course, users } of reports) {
    for (const u of users) {
      // Accounts without a public id were not made by the hub: not its students.
      if (!isPublicId(u.useridnumber)) continue;
      for (const item of u.gradeitems) {
        const key = itemKey(item);
        if (!key || item.graderaw == null || item.scaleid) continue;
        const min = item.grademin ?? 0;
        yield gradeEvent(STREAM, `course ${course.id} user ${u.userid} item ${item.id}`, {
          item_key: key,
          itemname: item.itemname ?? null,
          itemmodule: item.itemmodule ?? null,
          courseid: course.id,
          courseidnumber: course.idnumber!,
          userid: u.userid,
          useridnumber: u.useridnumber!,
          score: item.graderaw - min,
          max_score: (item.grademax ?? 0) - min,
          graded_at: isoFromUnix(item.gradedategraded),
        });
      }
    }
  }
}
