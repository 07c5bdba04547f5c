/**
 * A snapshot roster closes what it no longer lists among the rows it owns
 * (src/domain/roster/missing.ts: `where source = <instance> and deleted_at is null`). Without an
 * index that read scanned every guardian and staff post of the region once per school roster, so
 * a region's load slowed with every school loaded before it.
 */
import type { Knex } from 'knex';

export const name = '0008_snapshot_owner';

const TABLES = ['guardians', 'staff'];

export async function up(knex: Knex): Promise<void> {
  for (const t of TABLES) await knex.schema.alterTable(t, (b) => b.index(['source'], `${t}_source_idx`));
}

export async function down(knex: Knex): Promise<void> {
  for (const t of TABLES) await knex.schema.alterTable(t, (b) => b.dropIndex(['source'], `${t}_source_idx`));
}
