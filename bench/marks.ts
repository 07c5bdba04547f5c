/**
 * `npm run bench -- marks [--marks 2000000 --students 70000 --schools 90 --seed 1 --concurrency 2 --chunk 10000]`:
 * a term of marks for the city (the shared generator in bench/city) as the journal's export files,
 * one per school, loaded through the full pipeline (read CSV -> map -> look up students -> attach
 * to the dated lesson -> upsert) into MariaDB; then the same files again (nothing may be written).
 * Baseline in the same run: LOAD DATA LOCAL INFILE of the resulting marks rows into a table with
 * the same columns and indexes. Then proposed period marks for the whole city (both terms the
 * benchmark window touches). Students, classes, enrollments and the term's lessons are inserted
 * directly beforehand (the roster and timetable benchmarks measure their loading).
 * Database: --db, else BENCH_MYSQL_URL, else mysql://root@127.0.0.1:3306/bench_mk (dropped and
 * created afresh).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateCity } from './city/generate.ts';
import { cityHubYaml } from './city/write-config.ts';
import { dumpTable, freshDatabase, loadDataInto, rssSampler, timed } from './lib/measure.ts';
import { computePeriodMarks } from '../src/domain/marks/period.ts';
import { runNow } from '../src/pipeline/execute.ts';
import { createRuntime } from '../src/runtime.ts';
import { silentLogger } from '../src/log.ts';

const WEIGHTS = '  - weights: { Контрольная работа: 5, Самостоятельная работа: 2, Ответ на уроке: 1, Домашняя работа: 1 }';

export default async function marks(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: {
    marks: { type: 'string', default: '2000000' }, students: { type: 'string', default: '70000' }, schools: { type: 'string', default: '90' },
    seed: { type: 'string', default: '1' }, concurrency: { type: 'string', default: '2' }, chunk: { type: 'string', default: '10000' },
    db: { type: 'string', default: process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/bench_mk' },
  } });
  const seed = Number(values.seed);
  const target = Number(values.marks);
  const concurrency = Number(values.concurrency);
  const city = generateCity({ seed, students: Number(values.students), schools: Number(values.schools) });
  const dir = path.resolve(`bench/.data/marks-${seed}-${values.students}-${values.schools}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const journal = city.schools.flatMap((s) => [`  - name: journal-${s.code}`, '    connector: journal', `    organization: ${s.code}`, `    dropFolder: ./marks/${s.code}`, `    chunkSize: ${values.chunk}`, '    config: {}']);
  fs.writeFileSync(path.join(dir, 'hub.yaml'), `${cityHubYaml(city, { dropRoot: './roster' })}${journal.join('\n')}\nperiodMarks:\n${WEIGHTS}\n`);
  const dbUrl = await freshDatabase(values.db!);
  const env = { ...process.env, DATABASE_URL: dbUrl, REDIS_URL: '' };

  // Set-up in its own process, not timed: core rows, then the marks files.
  const setup = await timed(async () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/marks/prepare.ts', path.join(dir, 'hub.yaml'), String(target), String(seed), values.students!, values.schools!], { env, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`set-up failed (${r.status})`);
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { lessons: number; studentLessons: number; marks: number };
  });
  const rt = await createRuntime({ configFile: path.join(dir, 'hub.yaml'), env, log: silentLogger });
  const bytes = city.schools.reduce((n, s) => n + fs.statSync(path.join(dir, 'marks', s.code, 'marks.csv')).size, 0);

  const instances = city.schools.map((s) => `journal-${s.code}`);
  const pass = async (label: string) => {
    const rss = rssSampler();
    const t = await timed(async () => {
      let read = 0;
      let written = 0;
      let rejected = 0;
      let onLessons = 0;
      const queue = [...instances];
      await Promise.all(Array.from({ length: concurrency }, async () => {
        for (let inst = queue.shift(); inst; inst = queue.shift()) {
          const s = await runNow(rt, { instance: inst });
          if (s.status !== 'succeeded') throw new Error(`${inst}: ${s.error?.code} ${s.error?.message}`);
          read += s.totals.read;
          written += s.totals.created + s.totals.updated;
          rejected += s.totals.rejected;
          process.stderr.write(`\r${label}: ${instances.length - queue.length}/${instances.length} schools, ${read} marks`);
        }
      }));
      onLessons = Number((await rt.db('marks').whereNotNull('lesson_id').count({ n: '*' }).first())?.n);
      process.stderr.write('\n');
      return { read, written, rejected, onLessons };
    });
    rss.stop();
    return { ...t.value, seconds: t.seconds, perSecond: Math.round(t.value.read / t.seconds), peakMb: rss.peakMb() };
  };
  const first = await pass('first load');
  const again = await pass('unchanged re-load');

  // Baseline: the resulting marks rows, LOAD DATA'd into a table with the same columns and indexes.
  const tsv = path.join(dir, 'marks.tsv');
  const { rows: baseRows, columns } = await dumpTable(rt.db, 'marks', tsv);
  const baseSeconds = await loadDataInto(rt.db, 'marks', 'baseline_marks', tsv, columns);
  fs.rmSync(tsv, { force: true });

  const period = await timed(async () => {
    const out = [];
    for (const term of ['1', '2']) out.push(await computePeriodMarks(rt, { organization: city.municipality.code, year: city.calendar.year.code, term, now: rt.now() }));
    return out;
  });
  const pairs = period.value.reduce((n, r) => n + r.studentSubjects, 0);
  const proposed = period.value.reduce((n, r) => n + r.created, 0);
  const settings = (await rt.db.raw("SHOW VARIABLES WHERE Variable_name IN ('version','innodb_buffer_pool_size','innodb_flush_log_at_trx_commit')"))[0]
    .map((r: { Variable_name: string; Value: string }) => `${r.Variable_name}=${r.Value}`).join(', ');
  await rt.close();
  const ratio = baseSeconds / first.seconds;
  process.stdout.write(`${[
    `MariaDB: ${settings}`,
    `city: ${city.schools.length} schools, ${city.totals.students} students; ${setup.value.lessons} dated lessons in the term (${city.calendar.term.from}..${city.calendar.term.to}), ${setup.value.studentLessons} student-lessons; set-up ${setup.seconds.toFixed(0)} s (not timed below)`,
    `input: ${setup.value.marks} marks in ${city.schools.length} journal export files (${(bytes / 1e6).toFixed(1)} MB), concurrency ${concurrency}, chunk ${values.chunk}`,
    `first load:        ${first.read} marks in ${first.seconds.toFixed(1)} s = ${first.perSecond} marks/s; ${first.written} written, ${first.rejected} rejected, ${first.onLessons} attached to their lesson; peak RSS ${first.peakMb} MB`,
    `unchanged re-load: ${again.read} marks in ${again.seconds.toFixed(1)} s = ${again.perSecond} marks/s; ${again.written} written; peak RSS ${again.peakMb} MB`,
    `baseline LOAD DATA LOCAL INFILE of the same ${baseRows} marks rows into a table with the same columns and indexes: ${baseSeconds.toFixed(1)} s = ${Math.round(baseRows / baseSeconds)} rows/s`,
    `ratio (LOAD DATA time / pipeline time): ${ratio.toFixed(2)}x (target >= 0.3x)`,
    `period marks, terms 1 and 2 of the city: ${pairs} students x subjects in ${period.seconds.toFixed(1)} s = ${Math.round(pairs / period.seconds)} per second (${proposed} proposed)`,
  ].join('\n')}\n`);
}
