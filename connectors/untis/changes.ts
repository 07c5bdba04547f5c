/**
 * Untis GPU014 substitutions (formats.md §2 "Other files") as dated timetable changes. The
 * field list is SVWS-Server's `UntisGPU014` DTO (SVWS-NRW/SVWS-Server, TypeScript core):
 *  1 Vertretungsnummer, 2 Datum YYYYMMDD, 3 Stunde, 4 Absenznummer, 5 Unt-Nr,
 *  6 absent teacher, 7 substitute teacher, 8 subject, 9 its statistics code,
 *  10 substitute subject, 11 its statistics code, 12 room, 13 substitute room, 14 statistics,
 *  15 classes joined by `~` ("5Б~6А"), 16 absence reason, 17 text, 18 type bit field,
 *  19 substitute classes, 20 type letter, 21 last change YYYYMMDDHHmm.
 */
import { type ChangeKind, changeKey, type TimetableChange } from '../../src/domain/timetable/changes.ts';
import { fromCompactDate } from '../../src/domain/timetable/dates.ts';
import { cleanList } from '../../src/domain/timetable/key.ts';
import type { LessonSubject, TimetableReject } from '../../src/domain/timetable/model.ts';
import type { GpuRow } from './gpu-file.ts';
import type { Keyed } from './reference.ts';

/** Bits of field 18 (SVWS `art`): 0 Entfall, 3 Wegverlegung, 7 Hinverlegung, 16 Raumvertretung,
 * 17 Pausenaufsichtsvertretung, 18 unterrichtsfrei. */
const bit = (art: number, n: number): boolean => Math.floor(art / 2 ** n) % 2 === 1;

/**
 * Undefined for break-supervision rows (letter B, bit 17): they change no lesson. Cancelled or
 * moved-away lessons and lesson-free periods are cancellations; a room swap with the same teacher
 * is a room change; anything else (a substitute, supervision, moved-in lesson) a substitution.
 */
export function changeKind(art: number, letter: string, teacher: string, newTeacher: string): ChangeKind | undefined {
  if (letter === 'B' || bit(art, 17)) return undefined;
  if (letter === 'C' || bit(art, 0) || bit(art, 3) || bit(art, 18)) return 'cancellation';
  const sameTeacher = newTeacher === '' || newTeacher === teacher;
  if ((letter === 'R' || bit(art, 16)) && sameTeacher) return 'room_change';
  return 'substitution';
}

type Problem = { code: string; message: string; field: string };

export function readUntisChanges(
  rows: GpuRow[],
  subjects: Map<string, Keyed<LessonSubject>> | undefined,
  rejects: TimetableReject[],
): TimetableChange[] {
  const out: TimetableChange[] = [];
  for (const row of rows) {
    const c = toChange(row, subjects);
    if (c === undefined) continue;
    if ('code' in c) {
      rejects.push({ entity: 'change', position: row.position, ...c, data: row.raw });
      continue;
    }
    out.push({ key: changeKey(c), ...c });
  }
  return out;
}

function toChange(
  row: GpuRow,
  subjects: Map<string, Keyed<LessonSubject>> | undefined,
): Omit<TimetableChange, 'key'> | Problem | undefined {
  const date = fromCompactDate(row.field(2));
  if (date === undefined) return { code: 'bad_date', message: `"${row.field(2)}" is not a YYYYMMDD date`, field: '2' };
  if (!/^\d{1,2}$/.test(row.field(3))) {
    return { code: 'bad_period', message: `period "${row.field(3)}" is not a period number`, field: '3' };
  }
  const art = Number(row.field(18) || '0');
  if (!Number.isInteger(art) || art < 0) {
    return { code: 'bad_change_type', message: `type "${row.field(18)}" is not a number`, field: '18' };
  }
  const [teacher, newTeacher] = [row.field(6), row.field(7)];
  const kind = changeKind(art, row.field(20).toUpperCase(), teacher, newTeacher);
  if (kind === undefined) return undefined;
  const classes = cleanList(row.field(15).split('~'));
  if (classes.length === 0) return { code: 'missing_class', message: 'the row names no class (field 15)', field: '15' };

  const subjectOf = (code: string): LessonSubject | undefined =>
    code === '' ? undefined : (subjects?.get(code)?.data ?? { name: code, short: code });
  const c: Omit<TimetableChange, 'key'> = {
    date,
    period: Number(row.field(3)),
    kind,
    classes,
    groups: [],
    position: row.position,
  };
  const subject = subjectOf(row.field(8));
  const newSubject = subjectOf(row.field(10));
  if (subject) c.subject = subject;
  if (newSubject && newSubject.short !== subject?.short) c.newSubject = newSubject;
  if (teacher !== '') c.teacher = teacher;
  if (kind === 'substitution' && newTeacher !== '' && newTeacher !== teacher) c.newTeacher = newTeacher;
  if (row.field(12) !== '') c.room = row.field(12);
  if (row.field(13) !== '' && row.field(13) !== row.field(12)) c.newRoom = row.field(13);
  if (row.field(17) !== '') c.note = row.field(17);
  return c;
}
