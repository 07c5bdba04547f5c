/**
 * Writes each school's weekly timetable as an Untis export (formats.md §2): GPU001 (one row per
 * class × period: Unt-Nr, class, teacher, subject, room, day 1 = Monday, period) and GPU002 (the
 * lesson list, here only for the student group in field 42, so the two halves of a split class
 * are two lessons). Comma-separated, double-quoted text, no header, UTF-8: what Untis writes with
 * the export dialog's "UTF-8" box ticked.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { City, School } from './model.ts';

const GPU002_FIELDS = 46;
const quote = (s: string): string => `"${s.replaceAll('"', '""')}"`;

export interface UntisFiles {
  weeklyRows: number;
  bytes: number;
}

export function schoolUntis(school: School): { gpu001: string; gpu002: string; rows: number } {
  const numbers = new Map<string, number>();
  const gpu001: string[] = [];
  const gpu002: string[] = [];
  for (const e of school.timetable()) {
    const lesson = `${e.className}\u0000${e.subject}\u0000${e.teacher}\u0000${e.group ?? ''}`;
    let nr = numbers.get(lesson);
    if (nr === undefined) {
      nr = numbers.size + 1;
      numbers.set(lesson, nr);
      const fields: string[] = new Array<string>(GPU002_FIELDS).fill('');
      fields[0] = String(nr);
      fields[4] = quote(e.className);
      fields[5] = quote(e.teacher);
      fields[6] = quote(e.subject);
      fields[7] = quote(e.room);
      if (e.group) fields[41] = quote(e.group);
      gpu002.push(fields.join(','));
    }
    gpu001.push(`${nr},${quote(e.className)},${quote(e.teacher)},${quote(e.subject)},${quote(e.room)},${e.weekday},${e.period},,`);
  }
  return { gpu001: `${gpu001.join('\r\n')}\r\n`, gpu002: `${gpu002.join('\r\n')}\r\n`, rows: gpu001.length };
}

/** `dir/<school>/GPU001.TXT`, `GPU002.TXT` for every school. */
export async function writeUntisFiles(city: City, dir: string): Promise<UntisFiles> {
  const out: UntisFiles = { weeklyRows: 0, bytes: 0 };
  for (const school of city.schools) {
    const { gpu001, gpu002, rows } = schoolUntis(school);
    const folder = join(dir, school.code);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'GPU001.TXT'), gpu001);
    await writeFile(join(folder, 'GPU002.TXT'), gpu002);
    out.weeklyRows += rows;
    out.bytes += Buffer.byteLength(gpu001) + Buffer.byteLength(gpu002);
  }
  return out;
}
