/**
 * `npm run bench -- api [--seconds 20] [--connections 50] [--students 70000] [--schools 90] [--seed 1] [--fresh]`:
 * the portal API on MariaDB with the city-scale dataset (bench/city: 70,000 students, a 10-week
 * term of lessons, marks, attendance and homework, bulk-loaded straight into the core tables).
 * autocannon, in its own process, asks the diary of random students for random weeks over 50
 * loopback connections; every answer writes its audit row. Baseline in the same run: the same
 * server's GET /healthz (one `select 1`). Targets: >= 1,000 diary requests/s, p99 < 100 ms.
 * Database: BENCH_MYSQL_URL, else mysql://root@127.0.0.1:3306/bench_api. The dataset is kept
 * between runs (table bench_api_meta) unless --fresh or other sizes are asked.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { generateCity } from './city/generate.ts';
import { addDays } from './city/dates.ts';
import { forkRng } from './city/rng.ts';
import { cityHubYaml } from './city/write-config.ts';
import { loadCity } from './lib/api-dataset.ts';
import { databaseCpuMs, ensureBufferPool, ensureDatabase, freshDatabase, timed } from './lib/measure.ts';
import { createClient } from '../src/api/auth/clients-store.ts';
import { refreshDiaryWeeks } from '../src/domain/diary/class-weeks.ts';
import { listen } from '../src/api/server.ts';
import { silentLogger } from '../src/log.ts';
import { createRuntime, type Runtime } from '../src/runtime.ts';

const here = path.dirname(new URL(import.meta.url).pathname);
const run = promisify(execFile);

interface Load { rps: number; total: number; p50: number; p99: number; avg: number; max: number; ok: number; non2xx: number; errors: number; timeouts: number; seconds: number }

async function load(url: string, paths: string[], token: string | undefined, connections: number, seconds: number): Promise<Load> {
  const tsx = path.join(here, '..', 'node_modules', '.bin', 'tsx');
  const options = path.join(here, '.data', 'api', 'load.json');
  fs.writeFileSync(options, JSON.stringify({ url, paths, token, connections, seconds }));
  const { stdout } = await run(tsx, [path.join(here, 'lib', 'api-load.ts'), options], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Load;
}

async function hasDataset(rt: Runtime, params: string): Promise<boolean> {
  if (!(await rt.db.schema.hasTable('bench_api_meta'))) return false;
  const row = await rt.db('bench_api_meta').first('params');
  return row?.params === params;
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const count = async (rt: Runtime, table: string) => Number((await rt.db(table).count({ n: '*' }).first())?.n ?? 0);

/** The V8 options `rso-hub serve` runs with (bin/rso-hub.js), from package.json. */
function serveNodeOptions(): string {
  return (JSON.parse(fs.readFileSync(path.join(here, '..', 'package.json'), 'utf8')) as { config: { serveNodeOptions: string } }).config.serveNodeOptions;
}

export default async function api(argv: string[]): Promise<void> {
  // The server runs in this process: run it as `rso-hub serve` runs, with its V8 options.
  const options = serveNodeOptions();
  if (!(process.env.NODE_OPTIONS ?? '').includes(options)) {
    const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${options}`.trim() };
    const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, ...process.argv.slice(2)], { stdio: 'inherit', env });
    process.exitCode = r.status ?? 1;
    return;
  }
  const { values } = parseArgs({ args: argv, options: {
    seed: { type: 'string', default: '1' }, students: { type: 'string', default: '70000' }, schools: { type: 'string', default: '90' },
    seconds: { type: 'string', default: '20' }, connections: { type: 'string', default: '50' }, fresh: { type: 'boolean', default: false },
    pool: { type: 'string', default: '50' }, 'buffer-pool-mb': { type: 'string', default: '2048' },
  } });
  const seed = Number(values.seed);
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const url = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/bench_api';
  const city = generateCity({ seed, students: Number(values.students), schools: Number(values.schools) });
  const dir = path.join(here, '.data', 'api');
  fs.mkdirSync(dir, { recursive: true });
  // The bench client asks at full speed: the per-client limit is lifted (its cost is measured in app.test.ts).
  const yaml = cityHubYaml(city, { databaseUrl: url, dropRoot: './roster' })
    .replace(/^database: .*$/m, `database: { url: ${JSON.stringify(url)}, pool: { min: 2, max: ${Number(values.pool)} } }`)
    .concat('consent: { unknownMeans: { diary_portal: granted } }\napi: { rateLimitPerMinute: 100000000 }\n');
  fs.writeFileSync(path.join(dir, 'hub.yaml'), yaml);
  const params = JSON.stringify({ seed, students: city.totals.students, schools: city.schools.length, term: city.calendar.term, v: 1 });

  await ensureDatabase(url);
  await ensureBufferPool(url, Number(values['buffer-pool-mb']));
  let rt = await createRuntime({ configFile: path.join(dir, 'hub.yaml'), env: { ...process.env, REDIS_URL: '' }, log: silentLogger });
  if (values.fresh || !(await hasDataset(rt, params))) {
    await rt.close();
    await freshDatabase(url);
    rt = await createRuntime({ configFile: path.join(dir, 'hub.yaml'), env: { ...process.env, REDIS_URL: '' }, log: silentLogger });
    process.stdout.write(`loading the city into ${url.replace(/\/\/[^@]*@/, '//')} ...\n`);
    const orgIds = new Map<string, number>((await rt.db('organizations').select('code', 'id')).map((r: { code: string; id: number }) => [r.code, Number(r.id)]));
    const loaded = await timed(() => loadCity(rt.db, city, orgIds, (l) => process.stdout.write(`${l}\n`)));
    for (const t of ['persons', 'enrollments', 'lessons', 'lesson_audience', 'marks', 'attendance', 'homework', 'person_consents']) await rt.db.raw('ANALYZE TABLE ??', [t]);
    await rt.db.schema.createTable('bench_api_meta', (t) => t.text('params'));
    await rt.db('bench_api_meta').insert({ params });
    process.stdout.write(`loaded in ${loaded.seconds.toFixed(0)} s: ${JSON.stringify(loaded.value)}\n`);
  }
  // The diary's class-week read model, as the API server's refresher keeps it after imports.
  const built = await timed(() => refreshDiaryWeeks(rt.db));
  if (built.value.built > 0) process.stdout.write(`diary class-weeks built: ${built.value.built} in ${built.seconds.toFixed(1)} s\n`);
  const sizes = Object.fromEntries(await Promise.all(['persons', 'lessons', 'marks', 'attendance', 'homework'].map(async (t) => [t, await count(rt, t)] as const)));

  // Random students (whose guardians did not refuse the portal) and random weeks of the term.
  const rng = forkRng(seed, 'bench-api-requests');
  const students: string[] = await rt.db('enrollments as e').join('persons as p', 'p.id', 'e.person_id')
    .whereNotExists((q) => q.select(rt.db.raw('1')).from('person_consents as c').whereRaw('c.person_id = p.id').where({ 'c.purpose': 'diary_portal', 'c.status': 'refused' }))
    .pluck('p.uid');
  const term = city.calendar.term;
  const firstMonday = addDays(term.from, 1 - (new Date(`${term.from}T00:00:00Z`).getUTCDay() || 7));
  const weeks = Math.floor((Date.parse(term.to) - Date.parse(firstMonday)) / 604_800_000) + 1;
  const paths = Array.from({ length: 20_000 }, () => {
    const from = addDays(firstMonday, 7 * rng.int(0, weeks - 1));
    return `/api/v1/students/${rng.pick(students)}/diary?from=${from}&to=${addDays(from, 6)}`;
  });

  const server = await listen(rt, { port: 0, host: '127.0.0.1' }, { clientCacheMs: 60_000 });
  try {
    const { client, secret } = await createClient(rt, { name: 'bench portal', organizations: [city.municipality.code], resources: ['diary:read'] });
    const t = await server.app.inject({ method: 'POST', url: '/oauth/token', headers: { authorization: `Basic ${Buffer.from(`${client.clientId}:${secret}`).toString('base64')}` }, payload: { grant_type: 'client_credentials' } });
    const token = (t.json() as { access_token: string }).access_token;
    const probe = await server.app.inject({ url: paths[0]!, headers: { authorization: `Bearer ${token}` } });
    if (probe.statusCode !== 200) throw new Error(`diary probe answered ${probe.statusCode}: ${probe.body.slice(0, 300)}`);
    const sample = probe.json() as { days: { lessons: { marks: unknown[] }[] }[] };
    process.stdout.write(`dataset: ${JSON.stringify(sizes)}; a sample week: ${sample.days.length} days, ${sample.days.reduce((a, d) => a + d.lessons.length, 0)} lessons\n`);

    await load(server.url, paths, token, connections, Math.min(5, seconds)); // warm-up: buffer pool, JIT
    const auditBefore = await count(rt, 'audit_log');
    // CPU of this process (the API server; autocannon runs in its own) per answered request: a
    // figure that holds on a machine busy with other work, where requests/s do not.
    let cpu = process.cpuUsage();
    let dbCpu = databaseCpuMs();
    const diary = await load(server.url, paths, token, connections, seconds);
    const diaryCpu = cpuMs(process.cpuUsage(cpu)) / Math.max(1, diary.total);
    const diaryDbCpu = (databaseCpuMs() - dbCpu) / Math.max(1, diary.total);
    await new Promise((r) => setTimeout(r, 1000)); // requests cut off at the end still finish and audit
    const auditAfter = await count(rt, 'audit_log');
    cpu = process.cpuUsage();
    dbCpu = databaseCpuMs();
    const health = await load(server.url, ['/healthz'], undefined, connections, seconds);
    const healthCpu = cpuMs(process.cpuUsage(cpu)) / Math.max(1, health.total);
    const healthDbCpu = (databaseCpuMs() - dbCpu) / Math.max(1, health.total);
    const loadAvg = os.loadavg()[0]!.toFixed(1);
    const settings = Object.fromEntries(((await rt.db.raw("SHOW VARIABLES WHERE Variable_name IN ('version','innodb_buffer_pool_size','innodb_flush_log_at_trx_commit')"))[0] as { Variable_name: string; Value: string }[]).map((r) => [r.Variable_name, r.Value]));

    const fmt = (l: Load, ms: number, dbMs: number) => `${l.rps.toFixed(0)} req/s, p50 ${l.p50} ms, p99 ${l.p99} ms (max ${l.max} ms), ${l.ok} ok, ${l.non2xx} non-2xx, ${l.errors} errors; CPU per request: API ${ms.toFixed(2)} ms, MariaDB ${dbMs.toFixed(2)} ms`;
    process.stdout.write(`\nGET /api/v1/students/:id/diary (random students and weeks, ${connections} connections, ${seconds} s): ${fmt(diary, diaryCpu, diaryDbCpu)}\n`);
    process.stdout.write(`GET /healthz (same server, baseline):                                  ${fmt(health, healthCpu, healthDbCpu)}\n`);
    process.stdout.write(`machine: ${os.cpus().length} CPUs, load average ${loadAvg} at the end of the run; MariaDB ${JSON.stringify(settings)}; API node options: ${options}\n`);
    process.stdout.write(`audit rows written during the diary run: ${auditAfter - auditBefore} for ${diary.ok} answered requests\n`);
    const pass = diary.rps >= 1000 && diary.p99 < 100 && diary.non2xx === 0 && auditAfter - auditBefore >= diary.ok;
    process.stdout.write(`targets (>= 1000 req/s, p99 < 100 ms, every request audited): ${pass ? 'met' : 'NOT met'}\n`);
    process.stdout.write(`${JSON.stringify({ bench: 'api', diary: { ...diary, cpuMs: diaryCpu, dbCpuMs: diaryDbCpu }, healthz: { ...health, cpuMs: healthCpu, dbCpuMs: healthDbCpu }, loadAvg, audited: auditAfter - auditBefore, dataset: sizes, connections, seconds })}\n`);
  } finally {
    await server.close();
    await rt.close();
  }
}
