/**
 * aSc Timetables 2012 XML -> the weekly timetable model (formats.md §1). One card is one period
 * of one lesson on one day: a double lesson already comes as two cards, so `periodspercard` is
 * never expanded again ("Double lessons: one card per period").
 */
import { PermanentError } from '../../src/core/errors.ts';
import { decodeText, type SingleByteFallback } from '../../src/io/decode.ts';
import { cleanList, finalizeLessons, type UnkeyedLesson } from '../../src/domain/timetable/key.ts';
import type { LessonGroup, TimetableReject, WeeklyTimetable } from '../../src/domain/timetable/model.ts';
import type { FirstDayName } from '../../src/domain/timetable/weekday-names.ts';
import { type AscCatalog, attr, buildCatalog, idList } from './catalog.ts';
import { type DayOrder, resolveDayOrder } from './days.ts';
import { cardDayIndexes, termMask, weekPattern } from './masks.ts';
import { type AscRow, loadAscXml } from './xml.ts';

export interface AscParseOptions {
  firstDay?: FirstDayName;
  encodingFallback?: SingleByteFallback;
}

/** Buffers are decoded by BOM, then the XML declaration (aSc writes the ANSI code page). */
export function parseAscTimetable(input: Buffer | string, opts: AscParseOptions = {}): WeeklyTimetable {
  const text =
    typeof input === 'string'
      ? input
      : decodeText(input, opts.encodingFallback ? { fallback: opts.encodingFallback } : {}).text;
  const tables = loadAscXml(text);
  const rejects: TimetableReject[] = [];
  const catalog = buildCatalog(tables, rejects);
  const cards = tables.get('card') ?? [];
  // A snapshot without lessons would wipe the school's timetable: refuse it rather than load it.
  if (cards.length === 0)
    throw new PermanentError('no_lessons', 'the file has no <cards>: no lesson is placed in the timetable');
  const days = resolveDayOrder(tables, opts.firstDay);
  const lessons = cards.flatMap((card) => cardLessons(card, catalog, days, rejects));
  return {
    periods: [...catalog.periods.values()].sort((a, b) => a.period - b.period),
    lessons: finalizeLessons(lessons, rejects),
    rejects,
    weeksDefs: [...catalog.weeksDefs.values()],
    termsDefs: [...catalog.termsDefs.values()],
  };
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const filled = (s: string | undefined): string | undefined => (s === undefined || s.trim() === '' ? undefined : s);

class CardRejected extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

function cardLessons(card: AscRow, cat: AscCatalog, days: DayOrder, rejects: TimetableReject[]): UnkeyedLesson[] {
  try {
    return resolveCard(card, cat, days);
  } catch (err) {
    if (!(err instanceof CardRejected)) throw err;
    rejects.push({
      entity: 'lesson',
      position: card.position,
      code: err.code,
      message: err.message,
      field: err.field,
      data: card.attrs,
    });
    return [];
  }
}

function resolveCard(card: AscRow, cat: AscCatalog, days: DayOrder): UnkeyedLesson[] {
  const a = card.attrs;
  const lessonId = attr(a, 'lessonid');
  const lesson = cat.lessons.get(lessonId);
  if (!lesson) {
    throw new CardRejected(
      'unknown_lesson',
      `the card refers to lesson "${lessonId}", which is not in <lessons>`,
      'lessonid',
    );
  }
  const periodText = attr(a, 'period');
  const period = Number(periodText);
  if (periodText === '' || !cat.periods.has(period)) {
    throw new CardRejected('unknown_period', `period "${periodText}" is not a valid period of <periods>`, 'period');
  }
  const dayIdx = cardDayIndexes(a);
  if ('code' in dayIdx) throw new CardRejected(dayIdx.code, dayIdx.message, 'days');
  const weekdays = dayIdx.ok.map((i) => {
    const w = days.weekdayAt(i);
    if (w === undefined) throw new CardRejected('unknown_day', `day position ${i + 1} is beyond a week`, 'days');
    return w;
  });

  // A card carries its own weeks/terms; older files leave them to the lesson's definition.
  const weeksText =
    filled(a['weeks']) ?? filled(cat.weeksDefs.get(attr(lesson, 'weeksdefid'))?.mask) ?? filled(lesson['weeks']) ?? '1';
  const weeks = weekPattern(weeksText);
  if ('code' in weeks) throw new CardRejected(weeks.code, weeks.message, 'weeks');
  const termsText = filled(a['terms']) ?? filled(cat.termsDefs.get(attr(lesson, 'termsdefid'))?.mask);
  const terms = termsText === undefined ? undefined : termMask(termsText);
  if (terms && 'code' in terms) throw new CardRejected(terms.code, terms.message, 'terms');

  const subject = cat.subjects.get(attr(lesson, 'subjectid'));
  if (!subject) {
    throw new CardRejected(
      'unknown_subject',
      `lesson "${lessonId}" has subject "${attr(lesson, 'subjectid')}", which is not in <subjects>`,
      'subjectid',
    );
  }
  const teachers = idList(lesson['teacherids']).map((id) => {
    const t = cat.teachers.get(id);
    if (!t) throw new CardRejected('unknown_teacher', `teacher "${id}" is not in <teachers>`, 'teacherids');
    return t;
  });
  teachers.sort((x, y) => byText(x.short, y.short));
  const { classes, groups } = audience(lesson, cat);
  const rooms = roomsOf(card, lesson, cat);

  return weekdays.map((weekday) => {
    const l: UnkeyedLesson = {
      weekday,
      period,
      classes,
      groups,
      subject,
      teachers,
      weeks: weeks.ok,
      position: card.position,
    };
    if (rooms[0] !== undefined) l.room = rooms[0];
    if (rooms.length > 1) l.extraRooms = rooms.slice(1);
    if (terms && terms.ok !== 'all') l.terms = terms.ok;
    return l;
  });
}

/**
 * Classes and groups of a lesson. Each group names its own class (`classid`), so the parallel
 * classids/groupids lists need not line up; a whole-class group (`entireclass="1"`) means the
 * class attends entirely and wins over partial groups of the same class.
 */
function audience(lesson: Record<string, string>, cat: AscCatalog): { classes: string[]; groups: LessonGroup[] } {
  const className = (id: string): string => {
    const name = cat.classes.get(id);
    if (name === undefined) throw new CardRejected('unknown_class', `class "${id}" is not in <classes>`, 'classids');
    return name;
  };
  const classes = idList(lesson['classids']).map(className);
  const whole = new Set<string>();
  const partial: LessonGroup[] = [];
  for (const id of idList(lesson['groupids'])) {
    const g = cat.groups.get(id);
    if (!g) throw new CardRejected('unknown_group', `group "${id}" is not in <groups>`, 'groupids');
    const cls = className(g.classId);
    classes.push(cls);
    if (g.entireClass) whole.add(cls);
    else partial.push({ class: cls, group: g.name });
  }
  if (classes.length === 0) throw new CardRejected('missing_class', 'the lesson names no class', 'classids');
  const groups = partial
    .filter((g) => !whole.has(g.class))
    .sort((x, y) => byText(`${x.class}\u0000${x.group}`, `${y.class}\u0000${y.group}`));
  return { classes: cleanList(classes), groups: dedupeGroups(groups) };
}

function dedupeGroups(groups: LessonGroup[]): LessonGroup[] {
  const seen = new Set<string>();
  return groups.filter((g) => {
    const k = `${g.class}\u0000${g.group}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The card's rooms are the assigned ones; the lesson's are candidates, used only if single. */
function roomsOf(card: AscRow, lesson: Record<string, string>, cat: AscCatalog): string[] {
  const onCard = idList(card.attrs['classroomids']);
  const candidates = idList(lesson['classroomids']);
  const ids = onCard.length > 0 ? onCard : candidates.length === 1 ? candidates : [];
  return ids.map((id) => {
    const room = cat.rooms.get(id);
    if (room === undefined)
      throw new CardRejected('unknown_room', `classroom "${id}" is not in <classrooms>`, 'classroomids');
    return room;
  });
}
