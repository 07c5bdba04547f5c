/**
 * `npm run bench -- timetable [--schools 90 --students 70000 --seed 1 --concurrency 1]`: the city's
 * timetables as Untis GPU001/GPU002 exports (one per school), loaded through the full pipeline into
 * MariaDB and expanded over the city's 10-week benchmark term; then the same exports again
 * (unchanged: nothing may be written, at least 3x faster). Rosters are loaded first (classes,
 * subgroups and teachers' short codes come from them) and not timed. Baseline in the same run:
 * LOAD DATA LOCAL INFILE of the resulting lesson rows into tables with the same columns and indexes.
 * Database: --db, else BENCH_MYSQL_URL, else DATABASE_URL when it names a bench database, else
 * mysql://root@127.0.0.1:3306/bench_tt. It is dropped and created afresh.
 */
import fs from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateCity } from './city/generate.ts';
import type { City } from './city/model.ts';
import { cityHubYaml } from './city/write-config.ts';
import { writeRosterFiles } from './city/write-roster.ts';
import { writeUntisFiles } from './city/write-untis.ts';
import { dumpTable, freshDatabase, loadDataInto, rssSampler, timed } from './lib/measure.ts';
import { createRuntime, type Runtime } from '../src/runtime.ts';
import { silentLogger } from '../src/log.ts';
import { runNow, type RunSummary } from '../src/pipeline/execute.ts';

const TABLES = ['lessons', 'lesson_audience'];

function databaseUrl(flag: string | undefined): string {
  const env = process.env.DATABASE_URL;
  const benchEnv = env && /^mysql:\/\/.*\/bench[^/]*$/.test(env) ? env : undefined;
  return flag ?? process.env.BENCH_MYSQL_URL ?? benchEnv ?? 'mysql://root@127.0.0.1:3306/bench_tt';
}

/** hub.yaml of the city: its roster instances read students and staff only; one Untis instance per school. */
function hubYaml(city: City): string {
  const rosterOnly = '    config: { files: { students: students.csv, staff: staff.csv, guardians: none, consents: none } }';
  const yaml = cityHubYaml(city, { dropRoot: './roster' }).replace(/^ {4}config: \{\}$/gm, rosterOnly);
  const tt = city.schools.flatMap((s) => [
    `  - name: tt-${s.code}`,
    '    connector: untis',
    `    organization: ${s.code}`,
    `    dropFolder: ./untis/${s.code}`,
    '    streams: [lessons]',
    '    chunkSize: 5000',
  ]);
  return `${yaml}${tt.join('\n')}\n`;
}

async function prepare(dir: string, city: City): Promise<void> {
  if (fs.existsSync(path.join(dir, 'hub.yaml'))) return;
  process.stdout.write(`writing the city's rosters and Untis exports -> ${dir}\n`);
  await writeRosterFiles(city, path.join(dir, 'roster'));
  await writeUntisFiles(city, path.join(dir, 'untis'));
  await writeFile(path.join(dir, 'hub.yaml'), hubYaml(city));
}

async function runAll(rt: Runtime, instances: string[], concurrency: number, req: { from?: string; to?: string }, label: string): Promise<RunSummary[]> {
  const out: RunSummary[] = [];
  let next = 0;
  const worker = async () => {
    while (next < instances.length) {
      const instance = instances[next++]!;
      const s = await runNow(rt, { instance, ...req });
      if (s.status !== 'succeeded') throw new Error(`${instance}: ${s.error?.code} ${s.error?.message}`);
      out.push(s);
      if (out.length % 10 === 0) process.stderr.write(`\r${label}: ${out.length}/${instances.length}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  process.stderr.write('\n');
  return out;
}

const sum = (runs: RunSummary[], f: (s: RunSummary) => number): number => runs.reduce((a, s) => a + f(s), 0);
const lessons = (s: RunSummary) => s.streams.lessons ?? { read: 0, created: 0, updated: 0, unchanged: 0, deleted: 0, rejected: 0 };

export default async function timetable(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: {
    seed: { type: 'string', default: '1' }, students: { type: 'string', default: '70000' }, schools: { type: 'string', default: '90' },
    concurrency: { type: 'string', default: '1' }, db: { type: 'string' },
  } });
  const [seed, students, schools, concurrency] = [values.seed, values.students, values.schools, values.concurrency].map(Number) as [number, number, number, number];
  const city = generateCity({ seed, students, schools });
  const dir = path.resolve(`bench/.data/timetable-${seed}-${students}-${schools}`);
  await prepare(dir, city);
  const dbUrl = await freshDatabase(databaseUrl(values.db));
  // The week before the term: every lesson of the term is in the future, nothing is history yet.
  const now = new Date(`${city.calendar.year.from}T06:00:00Z`);
  now.setUTCDate(now.getUTCDate() - 7);
  const rt = await createRuntime({ configFile: path.join(dir, 'hub.yaml'), env: { ...process.env, DATABASE_URL: dbUrl, REDIS_URL: '' }, log: silentLogger, now: () => now });
  const names = (connector: string) => rt.hub.instances.filter((i) => i.connector === connector).map((i) => i.name);

  const roster = await timed(() => runAll(rt, names('roster'), concurrency, {}, 'rosters'));
  const term = { from: city.calendar.term.from, to: city.calendar.term.to };
  const rss = rssSampler();
  const first = await timed(() => runAll(rt, names('untis'), concurrency, term, 'first import'));
  const firstRss = rss.peakMb();
  const again = await timed(() => runAll(rt, names('untis'), concurrency, term, 'unchanged re-import'));
  rss.stop();

  const created = sum(first.value, (s) => lessons(s).created);
  const weekly = sum(first.value, (s) => lessons(s).read);
  const rejected = sum(first.value, (s) => lessons(s).rejected);
  const rewritten = sum(again.value, (s) => lessons(s).created + lessons(s).updated + lessons(s).deleted);
  const audience = Number((await rt.db('lesson_audience').count({ n: '*' }).first())?.n);

  const tmp = fs.mkdtempSync(path.join(dir, 'tsv-'));
  let baseSeconds = 0;
  let baseRows = 0;
  for (const t of TABLES) {
    const file = path.join(tmp, `${t}.tsv`);
    const { rows, columns } = await dumpTable(rt.db, t, file);
    baseRows += rows;
    baseSeconds += await loadDataInto(rt.db, t, `baseline_${t}`, file, columns);
    await rt.db.schema.dropTableIfExists(`baseline_${t}`);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  const version = (await rt.db.raw('SELECT VERSION() AS v'))[0][0].v as string;
  await rt.close();

  const speedup = first.seconds / again.seconds;
  process.stdout.write([
    `MariaDB ${version}; ${city.schools.length} schools, ${city.totals.students} students; term ${term.from}..${term.to}; concurrency ${concurrency}`,
    `rosters (not timed below): ${roster.seconds.toFixed(1)} s`,
    `input: ${weekly} weekly lessons in ${first.value.length} Untis exports (GPU001 + GPU002), ${rejected} rejected`,
    `first import:        ${created} dated lessons (+ ${audience} audience rows) in ${first.seconds.toFixed(1)} s = ${Math.round(created / first.seconds)} lessons/s`,
    `unchanged re-import: ${rewritten} lessons written in ${again.seconds.toFixed(1)} s = ${Math.round(created / again.seconds)} lessons/s checked; ${speedup.toFixed(1)}x faster than the first (target >= 3x)`,
    `baseline LOAD DATA LOCAL INFILE of the same ${baseRows} rows (lessons, lesson_audience), same columns and indexes: ${baseSeconds.toFixed(1)} s`,
    `peak RSS: ${firstRss} MB during the first import, ${rss.peakMb()} MB overall`,
    ...(rewritten > 0 || speedup < 3 ? ['FAILED: the unchanged re-import wrote lessons or was not 3x faster'] : []),
  ].join('\n') + '\n');
  if (rewritten > 0 || speedup < 3) process.exitCode = 1;
}
