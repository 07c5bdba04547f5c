/** Engine tables: crosswalk, runs, rejections, checkpoints, ingest, API clients, audit, versions. */
import type { Knex } from 'knex';
import { instant } from '../columns.ts';

export const name = '0001_engine';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('cv_sequence', (t) => {
    t.integer('id').primary();
    t.bigInteger('value').notNullable();
  });
  await knex('cv_sequence').insert({ id: 1, value: 0 });
  // In-flight change-version allocations: the committed watermark is just below the oldest.
  await knex.schema.createTable('cv_leases', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('version_from').notNullable().index();
    t.bigInteger('version_to').notNullable();
    instant(t, 'expires_at', false);
  });
  await knex.schema.createTable('external_ids', (t) => {
    t.bigIncrements('id').primary();
    t.string('source', 64).notNullable();
    t.string('entity', 32).notNullable();
    t.string('external_id', 191).notNullable();
    t.bigInteger('core_id').notNullable();
    t.string('organization', 64).nullable();
    instant(t, 'updated_at', false);
    t.unique(['source', 'entity', 'external_id']);
    t.index(['entity', 'core_id']);
  });
  await knex.schema.createTable('runs', (t) => {
    t.string('id', 36).primary();
    t.string('instance', 64).notNullable().index();
    t.string('status', 16).notNullable();
    t.string('kind', 16).notNullable();
    t.text('input').nullable();
    t.text('counts').nullable();
    t.string('error_code', 64).nullable();
    t.text('error_message').nullable();
    t.string('replay_of', 36).nullable();
    t.boolean('dry_run').notNullable().defaultTo(false);
    t.string('worker', 128).nullable();
    instant(t, 'queued_at', false);
    instant(t, 'started_at');
    instant(t, 'finished_at');
  });
  await knex.schema.createTable('rejected_records', (t) => {
    t.bigIncrements('id').primary();
    t.string('run_id', 36).notNullable().index();
    t.string('stream', 64).notNullable();
    t.string('position', 191).notNullable();
    t.string('field', 128).nullable();
    t.string('code', 64).notNullable();
    t.text('message').notNullable();
    t.text('raw', 'mediumtext').nullable();
    t.string('replayed_in', 36).nullable();
  });
  await knex.schema.createTable('checkpoints', (t) => {
    t.string('run_id', 36).notNullable();
    t.string('stream', 64).notNullable();
    t.text('state').notNullable();
    t.text('counts').notNullable();
    instant(t, 'updated_at', false);
    t.primary(['run_id', 'stream']);
  });
  await knex.schema.createTable('instance_locks', (t) => {
    t.string('instance', 64).primary();
    t.string('holder', 128).notNullable();
    instant(t, 'expires_at', false);
  });
  await knex.schema.createTable('export_cursors', (t) => {
    t.string('instance', 64).notNullable();
    t.string('stream', 64).notNullable();
    t.bigInteger('change_version').notNullable();
    instant(t, 'updated_at', false);
    t.primary(['instance', 'stream']);
  });
  await knex.schema.createTable('ingest_batches', (t) => {
    t.string('id', 36).primary();
    t.string('instance', 64).notNullable().index();
    t.string('source', 128).notNullable();
    t.string('body_sha256', 64).notNullable();
    t.text('body', 'longtext').notNullable();
    t.string('status', 16).notNullable();
    t.string('run_id', 36).nullable();
    instant(t, 'received_at', false);
    t.unique(['instance', 'body_sha256']);
  });
  await knex.schema.createTable('api_clients', (t) => {
    t.bigIncrements('id').primary();
    t.string('client_id', 64).notNullable().unique();
    t.string('name', 191).notNullable();
    t.string('secret_hash', 255).notNullable();
    t.text('organizations').notNullable();
    t.text('resources').notNullable();
    t.string('purpose', 64).notNullable();
    instant(t, 'created_at', false);
    instant(t, 'secret_rotated_at', false);
    instant(t, 'revoked_at');
  });
  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id').primary();
    instant(t, 'at', false);
    t.string('client_id', 64).notNullable();
    t.bigInteger('person_id').nullable();
    t.string('resource', 64).notNullable();
    t.string('result', 32).notNullable();
    t.string('request_id', 64).nullable();
    t.index(['person_id', 'at']);
    t.index(['client_id', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of [
    'audit_log', 'api_clients', 'ingest_batches', 'export_cursors', 'instance_locks',
    'checkpoints', 'rejected_records', 'runs', 'external_ids', 'cv_leases', 'cv_sequence',
  ]) {
    await knex.schema.dropTableIfExists(t);
  }
}
