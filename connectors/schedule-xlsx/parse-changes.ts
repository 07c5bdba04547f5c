/**
 * The generic daily-changes list (README.md, "Daily changes"): one row per changed lesson, from
 * a CSV or the `Замены` sheet of an .xlsx. A school's own words for the kind of change are
 * accepted in Russian or English.
 */
import { type ChangeKind, changeKey, type TimetableChange } from '../../src/domain/timetable/changes.ts';
import { cleanList } from '../../src/domain/timetable/key.ts';
import type { TimetableReject } from '../../src/domain/timetable/model.ts';
import { cellDate, cellInt, cellList } from './cells.ts';
import type { ChangeRow } from './changes-file.ts';
type Problem = { code: string; message: string; field: string };

const KINDS: Record<string, ChangeKind> = {
  замена: 'substitution',
  'замена учителя': 'substitution',
  substitution: 'substitution',
  отмена: 'cancellation',
  'урок отменен': 'cancellation',
  cancellation: 'cancellation',
  кабинет: 'room_change',
  'замена кабинета': 'room_change',
  'перенос кабинета': 'room_change',
  room_change: 'room_change',
};

export function readChangeRows(rows: readonly ChangeRow[], rejects: TimetableReject[]): TimetableChange[] {
  const out: TimetableChange[] = [];
  for (const row of rows) {
    const c = toChange(row);
    if ('code' in c) {
      rejects.push({ entity: 'change', position: row.position, ...c, data: row.raw });
      continue;
    }
    out.push({ key: changeKey(c), ...c });
  }
  return out;
}

function toChange(row: ChangeRow): Omit<TimetableChange, 'key'> | Problem {
  const date = cellDate(row.text('date'));
  if (date === undefined)
    return { code: 'bad_date', message: `"${row.text('date')}" is not a date (ДД.ММ.ГГГГ)`, field: 'Дата' };
  const period = cellInt(row.text('period'));
  if (period === undefined)
    return { code: 'bad_period', message: `"${row.text('period')}" is not a period number`, field: 'Урок' };
  const classes = cleanList(cellList(row.text('class')));
  if (classes.length === 0) return { code: 'missing_class', message: 'the row names no class', field: 'Класс' };
  const groupNames = cellList(row.text('group'));
  const [cls, ...moreClasses] = classes;
  if (groupNames.length > 0 && moreClasses.length > 0) {
    return {
      code: 'group_with_several_classes',
      message: 'a group can only be given for a single class',
      field: 'Группа',
    };
  }
  const kind = KINDS[row.text('kind').toLowerCase().replace(/ё/g, 'е')];
  if (kind === undefined) {
    return { code: 'unknown_kind', message: `"${row.text('kind')}" is not замена, отмена or кабинет`, field: 'Вид' };
  }
  if (kind === 'substitution' && row.text('newTeacher') === '' && row.text('newSubject') === '') {
    return {
      code: 'missing_new_teacher',
      message: 'a substitution needs the new teacher (or the new subject)',
      field: 'Новый учитель',
    };
  }
  if (kind === 'room_change' && row.text('newRoom') === '') {
    return { code: 'missing_new_room', message: 'a room change needs the new room', field: 'Новый кабинет' };
  }

  const c: Omit<TimetableChange, 'key'> = {
    date,
    period,
    kind,
    classes,
    groups: cls === undefined ? [] : groupNames.map((group) => ({ class: cls, group })),
    position: row.position,
  };
  if (row.text('subject') !== '') c.subject = { name: row.text('subject') };
  if (row.text('newSubject') !== '') c.newSubject = { name: row.text('newSubject') };
  if (row.text('teacher') !== '') c.teacher = row.text('teacher');
  if (row.text('newTeacher') !== '') c.newTeacher = row.text('newTeacher');
  if (row.text('room') !== '') c.room = row.text('room');
  if (row.text('newRoom') !== '') c.newRoom = row.text('newRoom');
  if (row.text('note') !== '') c.note = row.text('note');
  return c;
}
