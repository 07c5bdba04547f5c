/**
 * Export stream `courses` (source `lms.courses`): a course category per school and a course per
 * class and subject, created or corrected, never deleted. Diff first: one listing of categories,
 * one listing of courses per school category, then only the writes the plan asks for.
 */
import type { ExportRow, WriteContext, WriteResult } from '../../../src/core/contract.ts';
import { applyPlan } from '../apply-plan.ts';
import type { MoodleClient } from '../client.ts';
import { type MoodleConfig, planOptions } from '../config.ts';
import { desiredCourses } from '../desired.ts';
import { readHubCourses } from '../read-state.ts';
import { planSync } from '../sync-plan.ts';
import { resultFor } from './results.ts';

/** Where `courses` leaves the ids of the courses it created for `users` in the same run (WriteContext.cache). */
export const NEW_COURSES = 'moodle:new-courses';

export async function* pushCourses(
  client: MoodleClient,
  config: MoodleConfig,
  rows: readonly ExportRow[],
  ctx: WriteContext,
): AsyncIterable<WriteResult> {
  if (rows.length === 0) return;
  const wish = desiredCourses(rows, config);
  const { categories, courses } = await readHubCourses(client, new Set(wish.categories.map((c) => c.idnumber)));
  const current = { categories, courses, users: [], enrolments: [] };
  const ops = planSync(
    { categories: wish.categories, courses: wish.courses, users: [], enrolments: [] },
    current,
    planOptions(config),
  );
  const applied = await applyPlan(client, ops, current, batchOptions(config));
  // A course made a moment ago has nobody enrolled: the users stream need not list it.
  ctx.cache?.set(
    NEW_COURSES,
    new Set(
      ops.flatMap((o) =>
        o.op === 'create_course' && applied.written.has(o.idnumber) ? [applied.ids.courses.get(o.idnumber)!] : [],
      ),
    ),
  );
  for (const row of rows) {
    const bad = wish.problems.get(row.publicId);
    if (bad) {
      yield { publicId: row.publicId, status: 'failed', ...bad };
      continue;
    }
    const courseIds = wish.coursesOf.get(row.publicId);
    if (courseIds === undefined) {
      yield resultFor(row.publicId, [row.publicId], applied, applied.ids.categories.get(row.publicId));
    } else if (courseIds.length === 0) {
      ctx.log.warn('moodle: a class with no subject gets no course', {
        class: row.publicId,
        name: row.data.name,
        grade: row.data.grade,
      });
      yield {
        publicId: row.publicId,
        status: 'skipped',
        code: 'moodle_no_subjects',
        message: 'no lessons and no subjectsByGrade entry for this grade',
      };
    } else {
      yield resultFor(row.publicId, courseIds, applied);
    }
  }
}

export const batchOptions = (config: MoodleConfig) =>
  config.batchSize === undefined ? {} : { maxRecords: config.batchSize };
