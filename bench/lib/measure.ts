/** Shared benchmark helpers: wall time, peak RSS sampling, MariaDB scratch databases, LOAD DATA. */
import fs from 'node:fs';
import knexFactory, { type Knex } from 'knex';

export function rssSampler(everyMs = 50): { peakMb(): number; stop(): void } {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, everyMs);
  return { peakMb: () => Math.round(Math.max(peak, process.memoryUsage().rss) / 1048576), stop: () => clearInterval(t) };
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

async function onServer(url: string, fn: (admin: Knex, name: string) => Promise<void>): Promise<string> {
  const u = new URL(url);
  const admin = knexFactory({ client: 'mysql2', connection: { host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) } });
  try {
    await fn(admin, u.pathname.slice(1));
  } finally {
    await admin.destroy();
  }
  return url;
}

/** Drops and creates a database on the server of `url` (root); returns the URL of the new one. */
export function freshDatabase(url: string): Promise<string> {
  return onServer(url, async (admin, name) => {
    await admin.raw('DROP DATABASE IF EXISTS ??', [name]);
    await admin.raw('CREATE DATABASE ?? CHARACTER SET utf8mb4', [name]);
  });
}

/** Creates the database of `url` when it is missing (a benchmark that keeps its dataset between runs). */
export function ensureDatabase(url: string): Promise<string> {
  return onServer(url, async (admin, name) => {
    await admin.raw('CREATE DATABASE IF NOT EXISTS ?? CHARACTER SET utf8mb4', [name]);
  });
}

function tsvCell(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s = typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** Writes a table's rows to a TSV file in LOAD DATA's default format; returns the row count. */
export async function dumpTable(db: Knex, table: string, file: string): Promise<{ rows: number; columns: string[] }> {
  const out = fs.createWriteStream(file);
  const cols = (await db.raw('SHOW COLUMNS FROM ??', [table]))[0].map((c: { Field: string }) => c.Field) as string[];
  let rows = 0;
  let lastId = 0;
  for (;;) {
    const batch = await db(table).where('id', '>', lastId).orderBy('id').limit(20_000).select(cols);
    if (batch.length === 0) break;
    const chunk = batch.map((r: Record<string, unknown>) => cols.map((c) => tsvCell(r[c])).join('\t')).join('\n') + '\n';
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    rows += batch.length;
    lastId = Number(batch[batch.length - 1].id);
  }
  await new Promise<void>((r) => out.end(() => r()));
  return { rows, columns: cols };
}

/** LOAD DATA LOCAL INFILE into a copy of `table` (same columns and indexes); returns seconds. */
export async function loadDataInto(db: Knex, table: string, copy: string, file: string, columns: string[]): Promise<number> {
  await db.raw('DROP TABLE IF EXISTS ??', [copy]);
  await db.raw('CREATE TABLE ?? LIKE ??', [copy, table]);
  const t = await timed(() =>
    db.raw(`LOAD DATA LOCAL INFILE ? INTO TABLE ?? CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' (${columns.map(() => '??').join(',')})`, [file, copy, ...columns])
      .options({ infileStreamFactory: (p: string) => fs.createReadStream(p) }),
  );
  return t.seconds;
}

/**
 * A region's tables do not fit MariaDB's default 128 MB buffer pool; the benchmark sizes it like a
 * production server would (dynamic since MariaDB 10.2) and reports the setting it ran with.
 */
export async function ensureBufferPool(url: string, mb: number): Promise<void> {
  await onServer(url, async (db) => {
    try {
      const [rows] = (await db.raw("SHOW VARIABLES LIKE 'innodb_buffer_pool_size'")) as [{ Value: string }[]];
      if (Number(rows[0]?.Value) < mb * 1048576) await db.raw(`SET GLOBAL innodb_buffer_pool_size = ${Math.floor(mb) * 1048576}`);
    } catch {
      // Not allowed (no SUPER): the run reports the size it had.
    }
  });
}

/**
 * CPU time (ms) the local MariaDB/MySQL server process has used so far, read from /proc; NaN
 * when the server is not a local process this user can see. A difference over a run is the
 * database's share of the work, a figure that holds on a machine where other work competes.
 */
export function databaseCpuMs(): number {
  try {
    for (const pid of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let comm = '';
      try {
        comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      } catch {
        continue;
      }
      if (comm !== 'mariadbd' && comm !== 'mysqld') continue;
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name), in clock ticks.
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    }
  } catch {
    // no /proc
  }
  return NaN;
}
