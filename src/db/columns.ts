/**
 * Column conventions shared by every core table: internal key, public UUIDv7, natural key,
 * content hash, change version and soft delete. Instants are UTC ISO strings (sortable, the same
 * on SQLite and MariaDB); calendar dates are `YYYY-MM-DD` strings.
 */
import type { Knex } from 'knex';

export function coreColumns(t: Knex.CreateTableBuilder): void {
  t.bigIncrements('id').primary();
  t.string('uid', 36).notNullable().unique();
  /** Canonical natural key of the row (ARCHITECTURE.md, "Ids"); one unique index per table. */
  t.string('nk', 255).notNullable().unique();
  t.string('content_hash', 32).notNullable();
  t.bigInteger('change_version').notNullable().index();
  t.string('created_at', 24).notNullable();
  t.string('updated_at', 24).notNullable();
  t.string('deleted_at', 24).nullable();
  /** The connector instance that last wrote the row (snapshot ownership). */
  t.string('source', 64).nullable();
}

export const CORE_META_COLUMNS = [
  'id',
  'uid',
  'nk',
  'content_hash',
  'change_version',
  'created_at',
  'updated_at',
  'deleted_at',
  'source',
] as const;

export function instant(t: Knex.CreateTableBuilder, name: string, nullable = true): void {
  const c = t.string(name, 24);
  if (nullable) c.nullable();
  else c.notNullable();
}
