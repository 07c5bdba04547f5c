/**
 * The knex factory: SQLite (better-sqlite3, the embedded default) or MySQL/MariaDB (mysql2).
 * Every store is written once for both; dialect differences live in src/db/dialect.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';

export type Db = Knex;

export interface DbConfig {
  /** `sqlite:<path>` | `sqlite::memory:` | `mysql://user:pass@host:port/db` */
  url: string;
  pool?: { min?: number | undefined; max?: number | undefined } | undefined;
}

export function isMysql(db: Knex): boolean {
  const c = db.client.config.client as string;
  return c === 'mysql2' || c === 'mysql';
}

interface MysqlConnection {
  query(sql: string, cb: (err: (Error & { code?: string }) | null) => void): void;
}

/**
 * The stores look rows up by lists of keys (`where person_id in (…hundreds…)`). Past 200 values
 * MariaDB estimates such a list from index statistics instead of looking into the index, and past
 * 1,000 it rewrites the list into a subquery; on the roster's tables both ended in full table
 * scans (a region's load slowed with every school). Looking into the index for lists of up to
 * 2,500 keys (a chunk is 2,000 records by default) keeps these lookups on their indexes; longer
 * lists, which only bulk event loads build, keep the cheaper estimate (dives for 10,000 keys made
 * the marks load 5-13% slower). The second setting is MariaDB's (10.3.18+); MySQL does not know it.
 */
function tuneSession(conn: MysqlConnection, done: (err: Error | null, c: unknown) => void): void {
  conn.query('SET SESSION eq_range_index_dive_limit = 2500', (err) => {
    if (err) return done(err, conn);
    conn.query('SET SESSION in_predicate_conversion_threshold = 0', (e) => {
      done(e && e.code !== 'ER_UNKNOWN_SYSTEM_VARIABLE' ? e : null, conn);
    });
  });
}

export function createDb(cfg: DbConfig): Knex {
  if (cfg.url.startsWith('sqlite:')) {
    const file = cfg.url.slice('sqlite:'.length) || ':memory:';
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    return knexFactory({
      client: 'better-sqlite3',
      connection: { filename: file },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: { pragma(s: string): unknown }, done: (err: Error | null, c: unknown) => void) {
          // WAL lets readers (the API) run beside the single writer; busy_timeout makes a second
          // process wait for the write lock instead of failing at once.
          conn.pragma('journal_mode = WAL');
          conn.pragma('synchronous = NORMAL');
          conn.pragma('foreign_keys = ON');
          conn.pragma('busy_timeout = 10000');
          done(null, conn);
        },
      },
    });
  }
  if (cfg.url.startsWith('mysql://') || cfg.url.startsWith('mariadb://')) {
    const u = new URL(cfg.url.replace(/^mariadb:/, 'mysql:'));
    return knexFactory({
      client: 'mysql2',
      connection: {
        host: u.hostname,
        port: Number(u.port || 3306),
        user: decodeURIComponent(u.username),
        password: decodeURIComponent(u.password),
        database: u.pathname.replace(/^\//, ''),
        charset: 'utf8mb4',
        timezone: 'Z',
        dateStrings: true,
        supportBigNumbers: true,
        bigNumberStrings: false,
        multipleStatements: false,
      },
      pool: { min: cfg.pool?.min ?? 0, max: cfg.pool?.max ?? 10, afterCreate: tuneSession },
      acquireConnectionTimeout: 30_000,
    });
  }
  throw new Error(`unsupported database url scheme: ${cfg.url.split(':')[0] ?? ''}`);
}
