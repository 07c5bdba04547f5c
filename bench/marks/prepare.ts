/**
 * Set-up of the marks benchmark, run as its own process so the timed pipeline starts in a clean
 * one (peak RSS is then the pipeline's): the city's core rows and its journal export files.
 *   tsx bench/marks/prepare.ts <hub.yaml> <marks> <seed> <students> <schools>
 * Prints one JSON line: lessons, student-lessons, marks written.
 */
import path from 'node:path';
import { generateCity } from '../city/generate.ts';
import { insertSchool, type SchoolRows } from './core-rows.ts';
import { studentLessons, writeMarksFile } from './marks-file.ts';
import { createRuntime } from '../../src/runtime.ts';
import { silentLogger } from '../../src/log.ts';
import type { School } from '../city/model.ts';

const [config = '', marks = '2000000', seed = '1', students = '70000', schools = '90'] = process.argv.slice(2);
const city = generateCity({ seed: Number(seed), students: Number(students), schools: Number(schools) });
const rt = await createRuntime({ configFile: config, log: silentLogger });
try {
  const prepared: { s: School; rows: SchoolRows }[] = [];
  let total = 0;
  for (const [i, s] of city.schools.entries()) {
    const rows = await insertSchool(rt.db, city, s, city.calendar.year.code);
    total += studentLessons(rows, rows.lessons);
    prepared.push({ s, rows });
    process.stderr.write(`\rset-up: ${i + 1}/${city.schools.length} schools (students, classes, lessons)`);
  }
  process.stderr.write('\n');
  // Each student of a lesson gets a mark with the same probability: the city's term holds `marks`.
  const p = Number(marks) / total;
  let written = 0;
  for (const { s, rows } of prepared) written += await writeMarksFile(path.join(path.dirname(config), 'marks', s.code, 'marks.csv'), Number(seed), s, rows, p);
  const lessons = Number((await rt.db('lessons').count({ n: '*' }).first())?.n);
  process.stdout.write(`${JSON.stringify({ lessons, studentLessons: total, marks: written })}\n`);
} finally {
  await rt.close();
}
