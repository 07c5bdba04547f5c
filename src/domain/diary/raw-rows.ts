/**
 * Rows of a hand-written SELECT on either dialect. The diary's hot statements are plain SQL text
 * built once per shape: knex's query builder compiles every call anew, and on a page asked a
 * thousand times a second that compiling was a tenth of the API's CPU.
 */
import type { Knex } from 'knex';
import { isMysql } from '../../db/knex.ts';

export async function selectRows(db: Knex, sql: string, bindings: readonly (string | number)[]): Promise<Record<string, unknown>[]> {
  const res = await db.raw(sql, bindings as (string | number)[]);
  // mysql2 answers [rows, fields]; better-sqlite3 the rows.
  return (isMysql(db) ? res[0] : res) as Record<string, unknown>[];
}

/** "?, ?, ?" for n bindings. */
export const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');
