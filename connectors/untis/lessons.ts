/**
 * Untis GPU001 (one row per class × period, formats.md §2) joined with GPU002 (the lesson
 * list: A/B week type in field 12, valid-from/to in fields 15–16, student group in field 42)
 * into the weekly timetable model. GPU001 itself knows no weeks ("No weeks in GPU001"). Field 42
 * (Schülergruppe) is where SVWS-Server's `UntisGPU002` DTO reads it; formats.md lists 1–16.
 */
import { cleanList, finalizeLessons, type UnkeyedLesson, weekPatternText } from '../../src/domain/timetable/key.ts';
import type {
  IsoWeekday,
  LessonSubject,
  LessonTeacher,
  TimetableReject,
  WeekPattern,
  WeeklyTimetable,
} from '../../src/domain/timetable/model.ts';
import { fromCompactDate } from '../../src/domain/timetable/dates.ts';
import type { GpuRow } from './gpu-file.ts';
import type { Keyed, UntisClass } from './reference.ts';

export interface UntisLookups {
  /** When GPU003 is supplied, a GPU001 class it does not list is rejected. */
  classes?: Map<string, Keyed<UntisClass>>;
  teachers?: Map<string, Keyed<LessonTeacher>>;
  subjects?: Map<string, Keyed<LessonSubject>>;
}

interface LessonInfo {
  weeks: WeekPattern;
  validFrom?: string;
  validTo?: string;
  group?: string;
}

type Info = { ok: LessonInfo } | { code: string; message: string; field: string };

/** Untis week types are named by the school; A/B in Latin or Cyrillic letters are understood. */
const WEEK_TYPES: Record<string, WeekPattern> = { '': 'all', A: 'A', B: 'B', А: 'A', Б: 'B' };

function lessonInfo(row: GpuRow): Info {
  const weeks = WEEK_TYPES[row.field(12).toUpperCase()];
  if (weeks === undefined) {
    return {
      code: 'unknown_week_type',
      message: `week type "${row.field(12)}" (${row.position}) is neither A nor B`,
      field: '12',
    };
  }
  const info: LessonInfo = { weeks };
  for (const [n, key] of [
    [15, 'validFrom'],
    [16, 'validTo'],
  ] as const) {
    if (row.field(n) === '') continue;
    const date = fromCompactDate(row.field(n));
    if (date === undefined) {
      return {
        code: 'bad_date',
        message: `"${row.field(n)}" (${row.position}, field ${n}) is not a YYYYMMDD date`,
        field: String(n),
      };
    }
    info[key] = date;
  }
  if (row.field(42) !== '') info.group = row.field(42);
  return { ok: info };
}

const k = (...parts: string[]): string => parts.join('\u0000');

interface Bucket {
  lesson: UnkeyedLesson;
  group: string | undefined;
  classes: string[];
  teachers: string[];
  rows: GpuRow[];
}

interface CheckedRow {
  id: string;
  cls: string;
  teacher: string;
  subject: string;
  room: string;
  weekday: IsoWeekday;
  period: number;
  info: LessonInfo;
}

/** GPU001: 1 Unt-Nr, 2 Klasse, 3 Lehrer, 4 Fach, 5 Raum, 6 Tag (1 = Monday), 7 Stunde. */
function checkRow(
  row: GpuRow,
  lookups: UntisLookups,
  infos: Map<string, Info>,
): CheckedRow | { code: string; message: string; field: string } {
  const [id, cls, teacher, subject, room, day, period] = [1, 2, 3, 4, 5, 6, 7].map((n) => row.field(n));
  if (!cls) return { code: 'missing_class', message: 'the row has no class (field 2)', field: '2' };
  if (!subject) return { code: 'missing_subject', message: 'the row has no subject (field 4)', field: '4' };
  if (!day || !/^[1-7]$/.test(day)) {
    return { code: 'bad_weekday', message: `day "${day ?? ''}" is not 1 (Monday) … 7 (Sunday)`, field: '6' };
  }
  if (!period || !/^\d{1,2}$/.test(period)) {
    return { code: 'bad_period', message: `period "${period ?? ''}" is not a period number`, field: '7' };
  }
  if (lookups.classes && !lookups.classes.has(cls)) {
    return { code: 'unknown_class', message: `class "${cls}" is not in GPU003`, field: '2' };
  }
  const info = infos.get(k(id ?? '', cls, teacher ?? '', subject)) ?? infos.get(k(id ?? '', cls, subject));
  if (info && !('ok' in info)) return info;
  return {
    id: id ?? '',
    cls,
    teacher: teacher ?? '',
    subject,
    room: room ?? '',
    weekday: Number(day) as IsoWeekday,
    period: Number(period),
    info: info?.ok ?? { weeks: 'all' },
  };
}

export function buildUntisTimetable(
  gpu001: GpuRow[],
  gpu002: GpuRow[],
  lookups: UntisLookups,
  rejects: TimetableReject[],
): WeeklyTimetable {
  // The same Unt-Nr repeats once per class and teacher (formats.md §2 "Repeated numbers").
  const infos = new Map<string, Info>();
  for (const row of gpu002) {
    const info = lessonInfo(row);
    for (const key of [
      k(row.field(1), row.field(5), row.field(6), row.field(7)),
      k(row.field(1), row.field(5), row.field(7)),
    ]) {
      if (!infos.has(key)) infos.set(key, info);
    }
  }

  const buckets = new Map<string, Bucket>();
  for (const row of gpu001) {
    const checked = checkRow(row, lookups, infos);
    if ('code' in checked) {
      rejects.push({ entity: 'lesson', position: row.position, ...checked, data: row.raw });
      continue;
    }
    const { id, cls, teacher, subject, room, weekday, period, info } = checked;
    // Coupled rows of one lesson number at one slot, same subject, group and room, are one
    // lesson with several classes and teachers; different rooms or groups are parallel lessons.
    const key = k(
      id,
      String(weekday),
      String(period),
      subject,
      info.group ?? '',
      room,
      weekPatternText(info.weeks),
      info.validFrom ?? '',
      info.validTo ?? '',
    );
    let b = buckets.get(key);
    if (!b) {
      const lesson: UnkeyedLesson = {
        weekday,
        period,
        classes: [],
        groups: [],
        subject: lookups.subjects?.get(subject)?.data ?? { name: subject, short: subject },
        teachers: [],
        weeks: info.weeks,
        position: row.position,
      };
      if (room !== '') lesson.room = room;
      if (info.validFrom !== undefined) lesson.validFrom = info.validFrom;
      if (info.validTo !== undefined) lesson.validTo = info.validTo;
      b = { lesson, group: info.group, classes: [], teachers: [], rows: [] };
      buckets.set(key, b);
    }
    b.classes.push(cls);
    if (teacher !== '') b.teachers.push(teacher);
    b.rows.push(row);
  }

  const lessons = [...buckets.values()].map(({ lesson, group, classes, teachers, rows }) => {
    lesson.classes = cleanList(classes);
    lesson.groups = group === undefined ? [] : lesson.classes.map((c) => ({ class: c, group }));
    lesson.teachers = cleanList(teachers).map((t) => lookups.teachers?.get(t)?.data ?? { short: t });
    if (rows.length > 1) {
      const file = lesson.position.replace(/ line \d+$/, '');
      lesson.position = `${file} lines ${rows.map((r) => r.line).join(', ')}`;
    }
    return lesson;
  });
  return { periods: [], lessons: finalizeLessons(lessons, rejects), rejects };
}
