/**
 * `npm run bench -- turnstile [--students 70000 --schools 90 --clients 50 --rate 2000]`: a school
 * day of the benchmark city's turnstiles (bench/city, ~3 passes per student) pushed by concurrent
 * controllers in signed batches of 1–20 passes to a real API node on 127.0.0.1, each acknowledged
 * only once its batch is committed on MariaDB (BENCH_MYSQL_URL); then the queued runs loaded into
 * access_events by parallel workers, and every school-day's attendance derived. Baseline, same
 * run: the same batches committed straight into copies of the tables, one transaction each, by as
 * many concurrent writers (the floor any push path pays).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import deriveAttendance from '../jobs/derive-attendance.job.ts';
import { addDevice } from '../src/db/ingest-devices.ts';
import { silentLogger } from '../src/log.ts';
import { executeRun } from '../src/pipeline/execute.ts';
import { createRuntime, type Runtime } from '../src/runtime.ts';
import { generateCity } from './city/generate.ts';
import { cityHubYaml } from './city/write-config.ts';
import { freshDatabase, rssSampler, timed } from './lib/measure.ts';
import { floor } from './turnstile/floor.ts';
import { percentile, pushAll } from './turnstile/clients.ts';
import { schoolDay } from './turnstile/morning.ts';
import { seedCity } from './turnstile/seed.ts';

/** Samara: UTC+4 all year. The hub's clock reads 18:00 of the benchmark day, after every pass. */
const OFFSET = '+04:00';

export default async function turnstile(argv: string[]): Promise<void> {
  const { values: v } = parseArgs({ args: argv, options: {
    students: { type: 'string', default: '70000' }, schools: { type: 'string', default: '90' }, seed: { type: 'string', default: '1' },
    clients: { type: 'string', default: '50' }, rate: { type: 'string', default: '2000' }, workers: { type: 'string', default: '4' },
    date: { type: 'string', default: '2026-09-15' },
    db: { type: 'string', default: process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/bench_ts' },
  } });
  const date = v.date!;
  const workers = Number(v.workers);
  const say = (s: string) => process.stdout.write(`${s}\n`);
  const offsetMs = Date.now() - Date.parse(`${date}T18:00:00${OFFSET}`);
  const hubNow = () => Date.now() - offsetMs;

  const city = generateCity({ seed: Number(v.seed), students: Number(v.students), schools: Number(v.schools) });
  const dir = path.resolve('bench/.data/turnstile');
  fs.mkdirSync(dir, { recursive: true });
  const configFile = path.join(dir, 'hub.yaml');
  const dbUrl = await freshDatabase(v.db!);
  fs.writeFileSync(configFile, hubYaml(city, dbUrl));
  const rt = await createRuntime({ configFile, log: silentLogger, now: () => new Date(hubNow()) });
  const rss = rssSampler();
  try {
    const seeded = await timed(() => seedCity(rt, city, date));
    const withLessons = seeded.value.reduce((n, s) => n + s.students.filter((x) => x.first).length, 0);
    say(`seeded ${city.totals.students} students of ${city.schools.length} schools (${withLessons} with lessons on ${date}) in ${seeded.seconds.toFixed(1)} s`);
    const secrets = new Map<string, string>();
    for (const s of city.schools) secrets.set(s.code, await addDevice(rt.db, `turnstile-${s.code}`, 'gate-1', undefined, rt.now()));
    const day = schoolDay(seeded.value, date, OFFSET, Number(v.seed));
    say(`the day: ${day.passes} passes in ${day.batches.length} batches of 1–20`);

    const base = await floor(rt, day.batches, Number(v.clients), Number(v.rate));
    say(`baseline (one transaction per batch, ${v.clients} writers, no HTTP, same offered rate, first 5000 batches): ${Math.round(base.perSecond)} batches/s, p50 ${base.p50.toFixed(1)} ms, p99 ${base.p99.toFixed(1)} ms`);

    const server = await startServer(configFile, offsetMs);
    let pushed;
    let server_ = { cpu: NaN, p50: '?', p99: '?' };
    try {
      pushed = await pushAll(day.batches, { url: server.url, clients: Number(v.clients), rate: Number(v.rate), secrets, hubNow, onProgress: (i) => process.stderr.write(`\rpushed ${i}/${day.batches.length} batches`) });
      process.stderr.write('\n');
    } finally {
      server_ = await server.stop();
    }
    const p = (q: number) => percentile(pushed.latencies, q).toFixed(1);
    say(`push: ${pushed.passes} passes in ${pushed.sent} batches by ${v.clients} clients, offered ${v.rate === '0' ? 'unpaced' : `${v.rate} passes/s`}: ${Math.round(pushed.passes / pushed.seconds)} passes/s, ${Math.round(pushed.sent / pushed.seconds)} batches/s; ack latency p50 ${p(50)} ms, p95 ${p(95)} ms, p99 ${p(99)} ms, max ${p(100)} ms; answers ${JSON.stringify(pushed.statuses)}; inside the API node p50 ${server_.p50} ms, p99 ${server_.p99} ms, CPU ${(server_.cpu / pushed.sent).toFixed(2)} ms per batch`);

    const load = await timed(() => loadQueuedRuns(rt, workers));
    const events = Number((await rt.db('access_events').count({ n: '*' }).first())?.n);
    say(`load: ${load.value.runs} runs (${load.value.failed} failed) -> ${events} passes stored (${day.passes - events - load.value.rejected} repeated reads merged, ${load.value.rejected} rejected) in ${load.seconds.toFixed(1)} s: ${Math.round(day.passes / load.seconds)} passes/s with ${workers} workers`);

    const derived = await timed(() => deriveAll(rt, city.schools.map((s) => s.code), date, workers));
    const statuses = (await rt.db('attendance').where({ date }).groupBy('status').select('status').count({ n: '*' })) as unknown as { status: string; n: number }[];
    const signals = Number((await rt.db('attendance_signals').count({ n: '*' }).first())?.n);
    say(`derivation: ${city.schools.length} school-days, ${withLessons} students, ${events} passes in ${derived.seconds.toFixed(1)} s: ${Math.round(events / derived.seconds)} passes/s; ${statuses.map((s) => `${s.status} ${s.n}`).join(', ')}; ${signals} "absent, no entry" signals`);
    say(`push to attendance (load + derivation): ${(load.seconds + derived.seconds).toFixed(1)} s; peak RSS of the bench process ${rss.peakMb()} MB`);
  } finally {
    rss.stop();
    await rt.close();
  }
}

/** The city's hub.yaml plus one turnstile instance per school (runs load the events stream only). */
function hubYaml(city: ReturnType<typeof generateCity>, dbUrl: string): string {
  const base = cityHubYaml(city, { databaseUrl: dbUrl }).replace(/^database: .*$/m, `database: { url: ${JSON.stringify(dbUrl)}, pool: { min: 2, max: 20 } }`);
  const turnstiles = city.schools.map((s) => [
    `  - name: turnstile-${s.code}`, '    connector: turnstile', `    organization: ${s.code}`, '    mapping: v1', '    streams: [events]',
    '    config: { attendance: { graceMinutes: 15, debounceSeconds: 30, deadlineRechecks: false } }',
  ].join('\n'));
  return `${base}${turnstiles.join('\n')}\n`;
}

/** The API node in its own process; stop() returns its CPU time and its own answer times (ms). */
async function startServer(configFile: string, offsetMs: number): Promise<{ url: string; stop(): Promise<{ cpu: number; p50: string; p99: string }> }> {
  // BENCH_CPU_PROF=<dir>: a V8 CPU profile of the API node.
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', 'bench/turnstile/server.ts', configFile, String(offsetMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout! });
  const seen = { cpu: NaN, p50: '?', p99: '?' };
  lines.on('line', (l) => {
    if (l.startsWith('cpu ')) seen.cpu = Number(l.slice(4));
    if (l.startsWith('server ')) [seen.p50, seen.p99] = l.slice(7).split(' ') as [string, string];
  });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (l) => l.startsWith('listening ') && resolve(l.slice('listening '.length)));
    child.once('exit', (code) => reject(new Error(`the API node exited (${code})`)));
  });
  return {
    url,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      return seen;
    },
  };
}

/** Workers elsewhere: each instance's runs one after another, `workers` instances at once. */
async function loadQueuedRuns(rt: Runtime, workers: number): Promise<{ runs: number; failed: number; rejected: number }> {
  const queued: { id: string; instance: string }[] = await rt.db('runs').where({ status: 'queued' }).orderBy('queued_at').orderBy('id').select('id', 'instance');
  const byInstance = new Map<string, string[]>();
  for (const r of queued) byInstance.set(r.instance, [...(byInstance.get(r.instance) ?? []), r.id]);
  const instances = [...byInstance.keys()];
  let failed = 0;
  let rejected = 0;
  let done = 0;
  await pool(instances, workers, async (inst) => {
    for (const id of byInstance.get(inst)!) {
      const run = await executeRun(rt, id);
      if (run.status !== 'succeeded') failed++;
      rejected += run.totals.rejected;
      if (++done % 1000 === 0) process.stderr.write(`\rloaded ${done}/${queued.length} runs`);
    }
  });
  process.stderr.write('\n');
  return { runs: queued.length, failed, rejected };
}

async function deriveAll(rt: Runtime, schools: string[], date: string, workers: number): Promise<void> {
  const ctx = { signal: new AbortController().signal, worker: 'bench', attempt: 1 };
  await pool(schools, workers, (school) => deriveAttendance.process(rt, { instance: `turnstile-${school}`, organization: school, date }, ctx));
}

async function pool<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: size }, async () => {
    for (let i = next++; i < items.length; i = next++) await fn(items[i]!);
  }));
}
