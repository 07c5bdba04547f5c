/**
 * Columns other capabilities add to core tables (lessons.change_note from the timetable loader,
 * homework.class_id/date from the journal): the read model uses them when the migration that adds
 * them is applied, and works without them otherwise. Asked once per database handle.
 */
import type { Knex } from 'knex';

const known = new WeakMap<Knex, Map<string, Promise<boolean>>>();

export function hasColumn(db: Knex, table: string, column: string): Promise<boolean> {
  let m = known.get(db);
  if (!m) known.set(db, (m = new Map()));
  const key = `${table}.${column}`;
  let p = m.get(key);
  if (!p) m.set(key, (p = db.schema.hasColumn(table, column).catch(() => false)));
  return p;
}
