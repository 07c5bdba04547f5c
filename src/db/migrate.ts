/**
 * Migrations are listed here statically (not discovered from disk) so that they run the same under
 * tsx, vitest and a compiled build, on SQLite and MariaDB. Additive only: each capability appends.
 */
import type { Knex } from 'knex';
import * as m0001 from './migrations/0001_engine.ts';
import * as m0002 from './migrations/0002_core.ts';
import * as m0003 from './migrations/0003_ingest_devices.ts';
import * as m0004 from './migrations/0004_timetable.ts';
import * as m0005 from './migrations/0005_turnstile.ts';
import * as m0006 from './migrations/0006_marks.ts';
import * as m0007 from './migrations/0007_portal.ts';
import * as m0008 from './migrations/0008_snapshot_owner.ts';
import * as m0009 from './migrations/0009_diary_weeks.ts';

interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

export const migrations: Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009];

const source: Knex.MigrationSource<Migration> = {
  getMigrations: async () => migrations,
  getMigrationName: (m) => m.name,
  getMigration: async (m) => m,
};

export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource: source })) as [number, string[]];
  return applied;
}

export async function migrateRollbackAll(db: Knex): Promise<void> {
  await db.migrate.rollback({ migrationSource: source }, true);
}
