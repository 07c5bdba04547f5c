/**
 * Turnstiles (issue 5): lookups for deduplicating access events and deriving a school-day's
 * attendance, the "absent, no entry" signals the SMS capability sends from, the job outbox
 * (src/queue/outbox.ts) that turns a committed load into follow-up jobs, and the lookups of pushed
 * batches joining a waiting run (src/api/routes/ingest.ts) and of a run's batches.
 */
import type { Knex } from 'knex';
import { coreColumns, instant } from '../columns.ts';

export const name = '0005_turnstile';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('access_events', (t) => {
    t.index(['organization_id', 'person_id', 'occurred_at'], 'access_events_person_time_idx');
  });
  await knex.schema.alterTable('attendance', (t) => {
    t.index(['organization_id', 'date'], 'attendance_org_date_idx');
  });
  await knex.schema.createTable('attendance_signals', (t) => {
    coreColumns(t);
    t.bigInteger('student_id').notNullable();
    t.bigInteger('organization_id').notNullable();
    t.string('date', 10).notNullable();
    /** `absent_no_entry`: no entry by the first lesson + grace. One per student, day and kind. */
    t.string('kind', 32).notNullable();
    /** When the first lesson started and when the grace ran out (UTC). */
    instant(t, 'first_lesson_at', false);
    instant(t, 'deadline_at', false);
    t.unique(['student_id', 'date', 'kind']);
    t.index(['organization_id', 'date']);
  });
  await knex.schema.alterTable('runs', (t) => {
    t.index(['instance', 'status'], 'runs_instance_status_idx');
  });
  await knex.schema.alterTable('ingest_batches', (t) => {
    t.index(['run_id'], 'ingest_batches_run_idx');
  });
  // Cards (and lookups) are found by external id within an entity, from any source of the school's
  // chain: the unique (source, entity, external_id) index cannot serve that.
  await knex.schema.alterTable('external_ids', (t) => {
    t.index(['entity', 'external_id'], 'external_ids_entity_external_idx');
  });
  await knex.schema.createTable('job_outbox', (t) => {
    t.bigIncrements('id').primary();
    t.string('job_id', 191).notNullable().unique();
    t.string('job', 64).notNullable();
    t.text('data').notNullable();
    instant(t, 'not_before');
    instant(t, 'created_at', false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('job_outbox');
  await knex.schema.alterTable('external_ids', (t) => t.dropIndex(['entity', 'external_id'], 'external_ids_entity_external_idx'));
  await knex.schema.alterTable('ingest_batches', (t) => t.dropIndex(['run_id'], 'ingest_batches_run_idx'));
  await knex.schema.alterTable('runs', (t) => t.dropIndex(['instance', 'status'], 'runs_instance_status_idx'));
  await knex.schema.dropTableIfExists('attendance_signals');
  await knex.schema.alterTable('attendance', (t) => {
    t.dropIndex(['organization_id', 'date'], 'attendance_org_date_idx');
  });
  await knex.schema.alterTable('access_events', (t) => {
    t.dropIndex(['organization_id', 'person_id', 'occurred_at'], 'access_events_person_time_idx');
  });
}
