/** Builds a real hub (config file + database) in a temp folder for a test. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { stringify } from 'yaml';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { silentLogger } from '../../src/log.ts';
import { MYSQL_URL, type Dialect } from './env.ts';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

export const calendar = {
  years: [{
    code: '2026/2027', from: '2026-09-01', to: '2027-05-31',
    terms: [
      { code: '1', name: '1 четверть', from: '2026-09-01', to: '2026-10-25' },
      { code: '2', name: '2 четверть', from: '2026-11-05', to: '2026-12-28' },
    ],
    holidays: [{ from: '2026-10-26', to: '2026-11-04', name: 'Осенние каникулы' }],
  }],
  bellPeriods: [
    { period: 1, start: '08:30', end: '09:15' }, { period: 2, start: '09:25', end: '10:10' },
    { period: 3, start: '10:30', end: '11:15' }, { period: 4, start: '11:35', end: '12:20' },
    { period: 5, start: '12:30', end: '13:15' }, { period: 6, start: '13:25', end: '14:10' },
  ],
  weekA: '2026-08-31',
};

export function orgTree(extraSchools: string[] = []) {
  return [{
    code: 'reg-63', kind: 'region', name: 'Самарская область',
    children: [
      { code: 'obr', kind: 'municipality', name: 'г. Образцово', calendar, children: ['sch-001', 'sch-002', ...extraSchools].map((c, i) => ({ code: c, kind: 'school', name: `МБОУ СОШ № ${i + 1}` })) },
      { code: 'other', kind: 'municipality', name: 'Другой район', children: [{ code: 'sch-900', kind: 'school', name: 'МБОУ СОШ № 900' }] },
    ],
  }];
}

/** Drops every table of the MariaDB test database: each test file starts from nothing. */
export async function resetMysql(url = MYSQL_URL): Promise<void> {
  if (!url) return;
  const u = new URL(url);
  const db = knexFactory({ client: 'mysql2', connection: { host: u.hostname, port: Number(u.port || 3306), user: u.username, password: u.password, database: u.pathname.slice(1) } });
  try {
    const [rows] = (await db.raw('SHOW TABLES')) as [Record<string, string>[]];
    await db.raw('SET FOREIGN_KEY_CHECKS = 0');
    for (const r of rows) await db.raw('DROP TABLE IF EXISTS ??', [String(Object.values(r)[0])]);
  } finally {
    await db.destroy();
  }
}

export interface TestHub {
  rt: Runtime;
  dir: string;
  configFile: string;
  dbUrl: string;
  close(): Promise<void>;
}

export interface HubOptions {
  dialect?: Dialect;
  instances?: Record<string, unknown>[];
  extra?: Record<string, unknown>;
  extraSchools?: string[];
  now?: () => Date;
}

export function writeConfig(dir: string, dbUrl: string, o: HubOptions): string {
  const cfg = { timeZone: 'Europe/Samara', database: { url: dbUrl }, organizations: orgTree(o.extraSchools), instances: o.instances ?? [], ...(o.extra ?? {}) };
  const file = path.join(dir, 'hub.yaml');
  fs.writeFileSync(file, stringify(cfg));
  return file;
}

export async function makeHub(o: HubOptions = {}): Promise<TestHub> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rso-hub-'));
  const dialect = o.dialect ?? 'sqlite';
  if (dialect === 'mysql') await resetMysql();
  const dbUrl = dialect === 'mysql' ? MYSQL_URL! : `sqlite:${path.join(dir, 'hub.sqlite')}`;
  const configFile = writeConfig(dir, dbUrl, o);
  const rt = await createRuntime({ configFile, env: { ...process.env, REDIS_URL: '' }, log: silentLogger, ...(o.now ? { now: o.now } : {}) });
  return { rt, dir, configFile, dbUrl, close: async () => { await rt.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

export function rosterInstance(name: string, org: string, folder: string, extra: Record<string, unknown> = {}) {
  return { name, connector: 'roster', organization: org, mapping: 'v1', dropFolder: folder, config: {}, ...extra };
}

export const fixture = (...p: string[]) => path.join(ROOT, 'fixtures', ...p);

/** Sum of created + updated + deleted of a run summary: what it wrote. */
export const written = (t: { created: number; updated: number; deleted: number }) => t.created + t.updated + t.deleted;
