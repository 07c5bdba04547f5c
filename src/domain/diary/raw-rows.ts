/**
 * Rows of a hand-written SELECT on either dialect. The diary's hot statements are plain SQL text
 * built once per shape: knex's query builder compiles every call anew, and on a page asked a
 * thousand times a second that compiling was a tenth of the API's CPU.
 *
 * `prepared`: on MariaDB, run as a server-side prepared statement (mysql2 keeps it per connection),
 * so the server does not parse a long statement on every call: for the diary's statement this was
 * a sixth of MariaDB's CPU per diary. Only for statements of few shapes: every shape (every list
 * length of an `in (…)`) is a statement kept on every connection, and the server caps them all
 * (max_prepared_stmt_count).
 */
import type { Knex } from 'knex';
import { isMysql } from '../../db/knex.ts';

interface MysqlConnection {
  execute(sql: string, values: unknown[], cb: (err: Error | null, rows: Record<string, unknown>[]) => void): void;
}
interface PooledClient {
  acquireConnection(): Promise<MysqlConnection>;
  releaseConnection(conn: MysqlConnection): Promise<unknown>;
}

export async function selectRows(
  db: Knex,
  sql: string,
  bindings: readonly (string | number)[],
  opts: { prepared?: boolean } = {},
): Promise<Record<string, unknown>[]> {
  if (opts.prepared && isMysql(db) && !(db as Knex & { isTransaction?: boolean }).isTransaction) {
    const client = db.client as PooledClient;
    const conn = await client.acquireConnection();
    try {
      return await new Promise((resolve, reject) => conn.execute(sql, bindings as unknown[], (err, rows) => (err ? reject(err) : resolve(rows))));
    } finally {
      await client.releaseConnection(conn);
    }
  }
  const res = await db.raw(sql, bindings as (string | number)[]);
  // mysql2 answers [rows, fields]; better-sqlite3 the rows.
  return (isMysql(db) ? res[0] : res) as Record<string, unknown>[];
}

/** "?, ?, ?" for n bindings. */
export const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');
