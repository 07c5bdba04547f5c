/**
 * A term of journal marks for one school as the journal's export file (connectors/journal README,
 * "Export files"): each student of a lesson's audience gets a mark with probability `p`, with a
 * realistic spread of values and work types. Seeded: the same city gives the same files.
 */
import { CsvSink } from '../city/csv-sink.ts';
import { forkRng } from '../city/rng.ts';
import type { School } from '../city/model.ts';
import type { SchoolRows } from './core-rows.ts';

export const MARKS_HEADER = ['id', 'student', 'subject', 'date', 'period', 'value', 'weight', 'workType'];

const VALUES: [string, number][] = [['5', 0.3], ['4', 0.4], ['3', 0.22], ['2', 0.08]];
const WORK: [string, number][] = [['Ответ на уроке', 0.5], ['Домашняя работа', 0.25], ['Самостоятельная работа', 0.15], ['Контрольная работа', 0.1]];

function weighted(x: number, table: [string, number][]): string {
  let acc = 0;
  for (const [v, w] of table) if (x < (acc += w)) return v;
  return table[table.length - 1]![0];
}

/** Student-lessons of the school: the sum of the audiences of its lessons. */
export function studentLessons(rows: Pick<SchoolRows, 'rosters'>, lessons: { audience: string }[]): number {
  return lessons.reduce((n, l) => n + (rows.rosters.get(l.audience)?.length ?? 0), 0);
}

export async function writeMarksFile(file: string, seed: number, school: School, rows: SchoolRows, p: number): Promise<number> {
  const rng = forkRng(seed, 'marks', school.code);
  const sink = await CsvSink.open(file, MARKS_HEADER);
  let n = 0;
  try {
    for (const l of rows.lessons) {
      for (const student of rows.rosters.get(l.audience) ?? []) {
        if (!rng.chance(p)) continue;
        const wait = sink.write([`${school.code}-${++n}`, student, l.subject, l.date, String(l.period), weighted(rng.float(), VALUES), '', weighted(rng.float(), WORK)]);
        if (wait) await wait;
      }
    }
    await sink.close();
  } catch (err) {
    sink.destroy();
    throw err;
  }
  return n;
}
