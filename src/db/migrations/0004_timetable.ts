/**
 * Timetable loading (issue 4): what a dated lesson was planned as, so a re-import compares the
 * plan and not the lesson as it really happened (substitutions, cancellations and room changes
 * are applied on top of the plan and must survive a nightly timetable import).
 */
import type { Knex } from 'knex';

export const name = '0004_timetable';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('lessons', (t) => {
    /** The weekly lesson (its source key) this dated lesson was expanded from. */
    t.string('plan_key', 191).nullable();
    /** Hash of the planned attributes (times, subject, teachers, room, plan_key). */
    t.string('plan_hash', 32).nullable();
    /** Text of the day's change for pupils ("Вместо урока — консультация"). */
    t.text('change_note').nullable();
  });
  // "Is this lesson referenced?" is asked before a lesson is removed; marks and homework have an
  // index on lesson_id already, attendance did not.
  await knex.schema.alterTable('attendance', (t) => {
    t.index(['lesson_id'], 'attendance_lesson_ref_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('attendance', (t) => {
    t.dropIndex(['lesson_id'], 'attendance_lesson_ref_idx');
  });
  await knex.schema.alterTable('lessons', (t) => {
    t.dropColumn('plan_key');
    t.dropColumn('plan_hash');
    t.dropColumn('change_note');
  });
}
