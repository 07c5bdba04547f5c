/**
 * The template's `Звонки` and `Уроки` sheets -> the weekly timetable model. Rows that describe
 * the same slot, subject, teachers, room and weeks for different classes or groups are one
 * joint lesson (a school types one row per class).
 */
import { basename } from 'node:path';
import type { Limits } from '../../src/core/contract.ts';
import { PermanentError } from '../../src/core/errors.ts';
import { cleanList, finalizeLessons, type UnkeyedLesson, weekPatternText } from '../../src/domain/timetable/key.ts';
import type {
  BellPeriod,
  LessonGroup,
  TimetableReject,
  WeekPattern,
  WeeklyTimetable,
} from '../../src/domain/timetable/model.ts';
import { weekdayFromCell } from '../../src/domain/timetable/weekday-names.ts';
import { cellInt, cellList, cellTime } from './cells.ts';
import { findSheetName, sheetSource } from './sources.ts';
import { readTable, type TableRow } from './table.ts';
import { BELL_COLUMNS, BELLS_SHEET, LESSON_COLUMNS, LESSONS_SHEET } from './template.ts';

type Problem = { code: string; message: string; field: string };

export async function parseScheduleWorkbook(file: string, limits: Limits): Promise<WeeklyTimetable> {
  const lessonsSheet = await findSheetName(file, LESSONS_SHEET, limits);
  if (!lessonsSheet) throw new PermanentError('sheet_missing', `${basename(file)} has no sheet "${LESSONS_SHEET}"`);
  const bellsSheet = await findSheetName(file, BELLS_SHEET, limits);
  const rejects: TimetableReject[] = [];

  const periods = new Map<number, BellPeriod>();
  if (bellsSheet) {
    for (const row of await readTable(sheetSource(file, bellsSheet, limits), BELL_COLUMNS, 'period', rejects)) {
      const p = bell(row, periods);
      if ('code' in p) rejects.push({ entity: 'period', position: row.position, ...p, data: row.raw });
      else periods.set(p.period, p);
    }
  }

  const table = await readTable(sheetSource(file, lessonsSheet, limits), LESSON_COLUMNS, 'lesson', rejects);
  // A snapshot without lessons would wipe the school's timetable: refuse it rather than load it.
  if (table.length === 0 && !rejects.some((r) => r.entity === 'lesson')) {
    throw new PermanentError('no_lessons', `${basename(file)}: the "${LESSONS_SHEET}" sheet has no rows`);
  }
  const joint = new Map<string, Joint>();
  for (const row of table) {
    const l = lessonRow(row, periods);
    if ('code' in l) {
      rejects.push({ entity: 'lesson', position: row.position, ...l, data: row.raw });
      continue;
    }
    const { lesson, classes, groups } = l;
    const teachers = lesson.teachers.map((t) => t.short).join('+');
    const slot = [
      lesson.weekday,
      lesson.period,
      lesson.subject.name,
      teachers,
      lesson.room ?? '',
      weekPatternText(lesson.weeks),
    ];
    const key = slot.join('\u0000');
    const j = joint.get(key) ?? { lesson, classes: [], groups: [], at: [] };
    j.classes.push(...classes);
    j.groups.push(...groups);
    j.at.push(row.position);
    joint.set(key, j);
  }
  const lessons = [...joint.values()].map(({ lesson, classes, groups, at }) => ({
    ...lesson,
    classes: cleanList(classes),
    groups: sortGroups(groups),
    position:
      at.length === 1
        ? lesson.position
        : `${at[0]}, ${at
            .slice(1)
            .map((p) => p.replace(/^.*!/, ''))
            .join(', ')}`,
  }));
  return {
    periods: [...periods.values()].sort((a, b) => a.period - b.period),
    lessons: finalizeLessons(lessons, rejects),
    rejects,
  };
}

interface Joint {
  lesson: UnkeyedLesson;
  classes: string[];
  groups: LessonGroup[];
  at: string[];
}

function sortGroups(groups: LessonGroup[]): LessonGroup[] {
  const byKey = new Map(groups.map((g) => [`${g.class}\u0000${g.group}`, g]));
  return [...byKey.keys()].sort().map((k) => byKey.get(k) as LessonGroup);
}

function bell(row: TableRow<keyof typeof BELL_COLUMNS>, seen: Map<number, BellPeriod>): BellPeriod | Problem {
  const period = cellInt(row.text('period'));
  if (period === undefined)
    return { code: 'bad_period', message: `"${row.text('period')}" is not a period number`, field: 'Урок' };
  if (seen.has(period)) return { code: 'duplicate_period', message: `period ${period} is listed twice`, field: 'Урок' };
  const start = cellTime(row.text('start'));
  const end = cellTime(row.text('end'));
  if (start === undefined)
    return { code: 'bad_time', message: `"${row.text('start')}" is not a time`, field: 'Начало' };
  if (end === undefined || end <= start)
    return { code: 'bad_time', message: `"${row.text('end')}" is not a time after ${start}`, field: 'Конец' };
  return { period, start, end };
}

const WEEKS: Record<string, WeekPattern> = { '': 'all', все: 'all', а: 'A', б: 'B', a: 'A', b: 'B' };

function lessonRow(
  row: TableRow<keyof typeof LESSON_COLUMNS>,
  periods: Map<number, BellPeriod>,
): { lesson: UnkeyedLesson; classes: string[]; groups: LessonGroup[] } | Problem {
  const classes = cellList(row.text('class'));
  if (classes.length === 0) return { code: 'missing_class', message: 'the row names no class', field: 'Класс' };
  const groupNames = cellList(row.text('group'));
  if (groupNames.length > 0 && classes.length > 1) {
    return {
      code: 'group_with_several_classes',
      message: 'a group can only be given for a single class',
      field: 'Группа',
    };
  }
  const weekday = weekdayFromCell(row.text('weekday'));
  if (weekday === undefined)
    return { code: 'bad_weekday', message: `"${row.text('weekday')}" is not Пн…Вс or 1…7`, field: 'День' };
  const period = cellInt(row.text('period'));
  if (period === undefined)
    return { code: 'bad_period', message: `"${row.text('period')}" is not a period number`, field: 'Урок' };
  if (periods.size > 0 && !periods.has(period)) {
    return { code: 'unknown_period', message: `period ${period} is not on the "Звонки" sheet`, field: 'Урок' };
  }
  const subject = row.text('subject');
  if (subject === '') return { code: 'missing_subject', message: 'the row names no subject', field: 'Предмет' };
  const weeks = WEEKS[row.text('weeks').toLowerCase()];
  if (weeks === undefined)
    return { code: 'bad_weeks', message: `"${row.text('weeks')}" is not все, А or Б`, field: 'Недели' };

  const lesson: UnkeyedLesson = {
    weekday,
    period,
    classes: [],
    groups: [],
    subject: { name: subject },
    teachers: cleanList(cellList(row.text('teacher'))).map((short) => ({ short })),
    weeks,
    position: row.position,
  };
  if (row.text('room') !== '') lesson.room = row.text('room');
  const [cls] = classes;
  const groups = cls === undefined ? [] : groupNames.map((group) => ({ class: cls, group }));
  return { lesson, classes, groups };
}
