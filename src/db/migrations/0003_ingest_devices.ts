/**
 * Devices and controllers that push batches (turnstiles, journals): per-instance HMAC secrets.
 * The secret must be readable to verify HMAC signatures, so it is stored as given; it never
 * reaches a log or an answer (see `rso-hub devices`).
 */
import type { Knex } from 'knex';
import { instant } from '../columns.ts';

export const name = '0003_ingest_devices';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ingest_devices', (t) => {
    t.bigIncrements('id').primary();
    t.string('instance', 64).notNullable();
    t.string('device_id', 128).notNullable();
    t.string('secret', 128).notNullable();
    t.string('description', 191).nullable();
    instant(t, 'created_at', false);
    instant(t, 'rotated_at');
    instant(t, 'revoked_at');
    t.unique(['instance', 'device_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('ingest_devices');
}
