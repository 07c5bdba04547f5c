/**
 * Export stream `users` (source `lms.users`, after `courses`): an account per student and staff
 * member, keyed by idnumber = public id, and their enrolments in the hub's courses. Leavers are
 * suspended (account or enrolments, `leavers`) and reactivated when they come back; a person whose
 * consent for `lms` is refused reaches write() only as a tombstone, when sent before, and that
 * account is suspended. Nothing is ever deleted.
 *
 * Diff first: the hub's courses of the rows' schools, the accounts by idnumber and the
 * enrolments of those courses are read, then planPeople decides the fewest writes.
 */
import type { ExportRow, WriteContext, WriteResult } from '../../../src/core/contract.ts';
import { applyPlan } from '../apply-plan.ts';
import type { MoodleClient } from '../client.ts';
import { type MoodleConfig, planOptions } from '../config.ts';
import { desiredPeople } from '../desired.ts';
import { readEnrolments, readHubCourses } from '../read-state.ts';
import { planPeople } from '../sync-plan.ts';
import { getUsersByIdnumber } from '../users.ts';
import { NEW_COURSES, batchOptions } from './push-courses.ts';
import { resultFor } from './results.ts';

export async function* pushUsers(
  client: MoodleClient,
  config: MoodleConfig,
  rows: readonly ExportRow[],
  ctx: WriteContext,
): AsyncIterable<WriteResult> {
  if (rows.length === 0) return;
  const wish = desiredPeople(rows, config);
  const hub = wish.schools.size > 0 ? await readHubCourses(client, wish.schools) : { categories: [], courses: [] };
  const [users, enrolments] = await Promise.all([
    getUsersByIdnumber(
      client,
      wish.users.map((u) => u.idnumber),
    ),
    readEnrolments(client, hub.courses, {
      withSuspended: config.removedEnrolments === 'unenrol',
      empty: (ctx.cache?.get(NEW_COURSES) as Set<number> | undefined) ?? new Set(),
    }),
  ]);
  const current = { ...hub, users, enrolments };
  const managed = new Set(hub.courses.map((c) => c.idnumber!));
  const ops = planPeople(wish, current, managed, planOptions(config));
  const applied = await applyPlan(client, ops, current, batchOptions(config));
  ctx.log.info('moodle: users synced', {
    rows: rows.length,
    writes: ops.filter((o) => o.op !== 'conflict').length,
    failed: applied.failed.size,
  });
  for (const row of rows) {
    const bad = wish.problems.get(row.publicId);
    yield bad
      ? { publicId: row.publicId, status: 'failed', ...bad }
      : resultFor(row.publicId, [row.publicId], applied, applied.ids.users.get(row.publicId));
  }
}
