/**
 * Writes the city as roster v1 drop files. Layout 'per-school': `dir/<school>/students.csv`,
 * `guardians.csv`, `staff.csv` (one roster instance per school). Layout 'region': one file per
 * stream in `dir/` with a leading `ОО` column holding the school code (one region-level instance).
 */
import { join } from 'node:path';
import { CsvSink } from './csv-sink.ts';
import { formatRu } from './dates.ts';
import type { City, Guardian, School, StaffMember, Student } from './model.ts';
import { formatSnils } from './snils.ts';

export type RosterLayout = 'per-school' | 'region';

export interface WriteRosterOptions {
  layout?: RosterLayout;
}

export interface RosterCounts {
  students: number;
  guardians: number;
  staff: number;
  /** Data rows in all files (headers not counted). */
  rows: number;
  bytes: number;
  files: number;
}

export const SCHOOL_COLUMN = 'ОО';
/** The header lines exactly as the roster v1 format writes them. */
export const STUDENT_HEADER: readonly string[] = (
  'Код;Фамилия;Имя;Отчество;Дата рождения;Пол;СНИЛС;ID ЕСИА;Класс;Подгруппа;Дата зачисления;' +
  'Согласие ЭД;Согласие LMS;Согласие SMS'
).split(';');
export const GUARDIAN_HEADER: readonly string[] =
  'Код;Код ученика;Фамилия;Имя;Отчество;Степень родства;Телефон;E-mail;СНИЛС'.split(';');
export const STAFF_HEADER: readonly string[] =
  'Код;Фамилия;Имя;Отчество;Дата рождения;Пол;СНИЛС;Должность;Краткое имя'.split(';');

const sexRu = (sex: 'M' | 'F'): string => (sex === 'M' ? 'М' : 'Ж');

export function studentRow(s: Student): string[] {
  return [
    s.code,
    s.lastName,
    s.firstName,
    s.middleName,
    formatRu(s.birthDate),
    sexRu(s.sex),
    formatSnils(s.snils),
    s.esiaId ?? '',
    s.className,
    s.group ?? '',
    formatRu(s.enrolledOn),
    s.consent.diary,
    s.consent.lms,
    s.consent.sms,
  ];
}

export function guardianRow(g: Guardian): string[] {
  return [
    g.code,
    g.studentCode,
    g.lastName,
    g.firstName,
    g.middleName,
    g.relation,
    g.phone,
    g.email ?? '',
    g.snils ? formatSnils(g.snils) : '',
  ];
}

export function staffRow(m: StaffMember): string[] {
  return [
    m.code,
    m.lastName,
    m.firstName,
    m.middleName,
    formatRu(m.birthDate),
    sexRu(m.sex),
    formatSnils(m.snils),
    m.position,
    m.shortName,
  ];
}

interface Sinks {
  students: CsvSink;
  guardians: CsvSink;
  staff: CsvSink;
}

async function openSinks(dir: string, prefix: readonly string[]): Promise<Sinks> {
  return {
    students: await CsvSink.open(join(dir, 'students.csv'), [...prefix, ...STUDENT_HEADER]),
    guardians: await CsvSink.open(join(dir, 'guardians.csv'), [...prefix, ...GUARDIAN_HEADER]),
    staff: await CsvSink.open(join(dir, 'staff.csv'), [...prefix, ...STAFF_HEADER]),
  };
}

/** One pass over the school's students feeds both the students and the guardians file. */
async function writeSchool(school: School, sinks: Sinks, withSchoolColumn: boolean): Promise<void> {
  const prefix = withSchoolColumn ? [school.code] : [];
  for (const student of school.students()) {
    await sinks.students.write([...prefix, ...studentRow(student)]);
    for (const g of student.guardians) await sinks.guardians.write([...prefix, ...guardianRow(g)]);
  }
  for (const member of school.staff) await sinks.staff.write([...prefix, ...staffRow(member)]);
}

/** Writes `schools` into one set of files, closing them on success and abandoning them on failure. */
async function writeFiles(
  dir: string,
  schools: readonly School[],
  withSchoolColumn: boolean,
  counts: RosterCounts,
): Promise<void> {
  const sinks = await openSinks(dir, withSchoolColumn ? [SCHOOL_COLUMN] : []);
  const all = [sinks.students, sinks.guardians, sinks.staff];
  try {
    for (const school of schools) await writeSchool(school, sinks, withSchoolColumn);
    await Promise.all(all.map((sink) => sink.close()));
  } catch (err) {
    for (const sink of all) sink.destroy();
    throw err;
  }
  counts.students += sinks.students.rows;
  counts.guardians += sinks.guardians.rows;
  counts.staff += sinks.staff.rows;
  for (const sink of all) {
    counts.rows += sink.rows;
    counts.bytes += sink.bytes;
    counts.files++;
  }
}

export async function writeRosterFiles(
  city: City,
  dir: string,
  options: WriteRosterOptions = {},
): Promise<RosterCounts> {
  const counts: RosterCounts = { students: 0, guardians: 0, staff: 0, rows: 0, bytes: 0, files: 0 };
  if ((options.layout ?? 'per-school') === 'region') {
    await writeFiles(dir, city.schools, true, counts);
  } else {
    for (const school of city.schools) await writeFiles(join(dir, school.code), [school], false, counts);
  }
  return counts;
}
