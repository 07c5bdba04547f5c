/**
 * Untis master data files (formats.md §2): GPU003 classes, GPU004 teachers, GPU005 rooms,
 * GPU006 subjects. Each row starts with the short code the timetable files refer to; field
 * numbers are 1-based as in the Untis field lists (SVWS-Server DTOs, Nico0302's converter).
 */
import type { LessonSubject, LessonTeacher, TimetableReject } from '../../src/domain/timetable/model.ts';
import type { GpuRow } from './gpu-file.ts';

export interface UntisClass {
  short: string;
  name?: string;
}

export interface UntisRoom {
  short: string;
  name?: string;
}

export interface Keyed<T> {
  data: T;
  position: string;
}

/** Rows without a short code are rejected; a code seen twice keeps its first row. */
function byShort<T>(
  entity: TimetableReject['entity'],
  rows: GpuRow[],
  rejects: TimetableReject[],
  make: (row: GpuRow, short: string) => T,
): Map<string, Keyed<T>> {
  const out = new Map<string, Keyed<T>>();
  for (const row of rows) {
    const short = row.field(1);
    if (short === '') {
      rejects.push({
        entity,
        position: row.position,
        code: 'missing_short',
        message: 'the row has no short code (field 1)',
        field: '1',
        data: row.raw,
      });
      continue;
    }
    if (out.has(short)) {
      rejects.push({
        entity,
        position: row.position,
        code: 'duplicate_short',
        message: `"${short}" is already defined at ${out.get(short)?.position}`,
        field: '1',
        data: row.raw,
      });
      continue;
    }
    out.set(short, { data: make(row, short), position: row.position });
  }
  return out;
}

const named = <T extends { short: string; name?: string }>(row: GpuRow, short: string): T => {
  const v = { short } as T;
  if (row.field(2) !== '') v.name = row.field(2);
  return v;
};

/** GPU003: 1 Kürzel, 2 Bezeichnung ("5А", "5 А класс"). */
export const readClasses = (rows: GpuRow[], rejects: TimetableReject[]): Map<string, Keyed<UntisClass>> =>
  byShort('class', rows, rejects, (row, short) => named<UntisClass>(row, short));

/** GPU005: 1 Kürzel, 2 Bezeichnung. */
export const readRooms = (rows: GpuRow[], rejects: TimetableReject[]): Map<string, Keyed<UntisRoom>> =>
  byShort('room', rows, rejects, (row, short) => named<UntisRoom>(row, short));

/** GPU006: 1 Kürzel, 2 Bezeichnung; the subject is called by its long name when there is one. */
export const readSubjects = (rows: GpuRow[], rejects: TimetableReject[]): Map<string, Keyed<LessonSubject>> =>
  byShort('subject', rows, rejects, (row, short) => ({ name: row.field(2) || short, short }));

/**
 * GPU004: 1 Kürzel, 2 Nachname, 29 Vorname, 33 E-Mail (formats.md §2; Nico0302 reads the same
 * fields at 0-based 28 and 32). Untis has no patronymic; `name` is "Nachname Vorname".
 */
export const readTeachers = (rows: GpuRow[], rejects: TimetableReject[]): Map<string, Keyed<LessonTeacher>> =>
  byShort('teacher', rows, rejects, (row, short) => {
    const t: LessonTeacher = { short };
    const last = row.field(2);
    const first = row.field(29);
    const name = [last, first].filter((s) => s !== '').join(' ');
    if (name !== '') t.name = name;
    if (last !== '') t.lastName = last;
    if (first !== '') t.firstName = first;
    if (row.field(33) !== '') t.email = row.field(33);
    return t;
  });
