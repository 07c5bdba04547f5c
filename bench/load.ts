/**
 * `npm run bench -- load [--students 400000 --schools 520]`: a region-scale roster through the full
 * pipeline into MariaDB (one roster instance per school, as schools export them), then the same
 * files again (unchanged re-load), against MariaDB's own LOAD DATA LOCAL INFILE of the same
 * resulting rows into tables with the same columns and indexes, in the same run.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRuntime } from '../src/runtime.ts';
import { silentLogger } from '../src/log.ts';
import { runNow } from '../src/pipeline/execute.ts';
import { dumpTable, ensureBufferPool, freshDatabase, loadDataInto, rssSampler, timed } from './lib/measure.ts';

const TABLES = ['persons', 'enrollments', 'guardians', 'staff', 'classes', 'class_groups', 'external_ids', 'person_consents', 'consent_history'];

export default async function load(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: {
    students: { type: 'string', default: '400000' }, schools: { type: 'string', default: '520' }, seed: { type: 'string', default: '1' },
    db: { type: 'string', default: process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/bench_load' },
    concurrency: { type: 'string', default: '3' },
    'buffer-pool-mb': { type: 'string', default: '2048' },
  } });
  const concurrency = Number(values.concurrency);
  const students = Number(values.students);
  const dir = path.resolve(`bench/.data/load-${values.seed}-${students}-${values.schools}`);
  if (!fs.existsSync(path.join(dir, 'hub.yaml'))) {
    process.stdout.write(`generating ${students} students in ${values.schools} schools -> ${dir}\n`);
    const r = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'bench/city/cli.ts', '--seed', values.seed!, '--students', String(students), '--schools', values.schools!, '--out', dir], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('city generation failed');
  }
  const dbUrl = await freshDatabase(values.db!);
  await ensureBufferPool(dbUrl, Number(values['buffer-pool-mb']));
  const rt = await createRuntime({ configFile: path.join(dir, 'hub.yaml'), env: { ...process.env, DATABASE_URL: dbUrl, REDIS_URL: '' }, log: silentLogger });
  const instances = rt.hub.instances.filter((i) => i.connector === 'roster').map((i) => i.name);
  const rss = rssSampler();
  const pass = async (label: string) => {
    const t = await timed(async () => {
      let rows = 0;
      let written = 0;
      let done = 0;
      // As the hub's workers do: several instances at once (each run still one at a time per instance).
      const queue = [...instances];
      await Promise.all(Array.from({ length: concurrency }, async () => {
        for (let inst = queue.shift(); inst; inst = queue.shift()) {
          const s = await runNow(rt, { instance: inst });
          if (s.status !== 'succeeded') throw new Error(`${inst}: ${s.error?.code} ${s.error?.message}`);
          rows += s.totals.read;
          written += s.totals.created + s.totals.updated;
          if (++done % 50 === 0) process.stderr.write(`\r${label}: ${done}/${instances.length} schools, ${rows} rows`);
        }
      }));
      process.stderr.write('\n');
      return { rows, written };
    });
    return { ...t.value, seconds: t.seconds, rowsPerSecond: Math.round(t.value.rows / t.seconds) };
  };
  const first = await pass('first load');
  const again = await pass('unchanged re-load');
  rss.stop();

  // Baseline: the same resulting rows, LOAD DATA'd into copies of the tables.
  const tmp = fs.mkdtempSync(path.join(dir, 'tsv-'));
  let baseRows = 0;
  let baseSeconds = 0;
  for (const t of TABLES) {
    const file = path.join(tmp, `${t}.tsv`);
    const { rows, columns } = await dumpTable(rt.db, t, file);
    baseRows += rows;
    baseSeconds += await loadDataInto(rt.db, t, `baseline_${t}`, file, columns);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  const settings = (await rt.db.raw("SHOW VARIABLES WHERE Variable_name IN ('version','innodb_buffer_pool_size','innodb_flush_log_at_trx_commit','sync_binlog','log_bin','innodb_log_file_size')"))[0]
    .map((r: { Variable_name: string; Value: string }) => `${r.Variable_name}=${r.Value}`).join(', ');
  await rt.close();
  const ratio = baseSeconds / first.seconds;
  const out = [
    `MariaDB: ${settings}`,
    `concurrency: ${concurrency} instances at once (as ${concurrency} worker slots would)`,
    `input: ${instances.length} school rosters, ${first.rows} input rows (students, guardians, staff, consents)`,
    `first load:        ${first.rows} rows in ${first.seconds.toFixed(1)} s = ${first.rowsPerSecond} rows/s (${first.written} core rows written)`,
    `unchanged re-load: ${again.rows} rows in ${again.seconds.toFixed(1)} s = ${again.rowsPerSecond} rows/s (${again.written} written; ${(first.seconds / again.seconds).toFixed(2)}x faster than the first)`,
    `baseline LOAD DATA LOCAL INFILE of the same ${baseRows} resulting rows into ${TABLES.length} tables with the same columns and indexes: ${baseSeconds.toFixed(1)} s`,
    `ratio (LOAD DATA time / pipeline time, same resulting rows): ${ratio.toFixed(2)}x (target >= 0.25x)`,
    `peak RSS: ${rss.peakMb()} MB (target < 512 MB)`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}
