/**
 * The vendor-neutral weekly timetable: what a timetable generator export (aSc, Untis, an Excel
 * template) says happens in a typical week. Connectors parse into this shape; `expandLessons`
 * turns it into dated lessons with the organization's calendar. Names are kept as the school
 * writes them (trimmed); vendor ids never appear, because they change on every export
 * (formats.md §1 "IDs", §2 "Repeated numbers").
 */

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** A bell period. Times are `HH:MM`, 24-hour, zero-padded. */
export interface BellPeriod {
  period: number;
  start: string;
  end: string;
}

/**
 * Which weeks of the cycle a lesson takes place in. `A`/`B` count from the organization's week-A
 * anchor; a mask (`"100"`: 1st week of a three-week cycle) is indexed the same way.
 */
export type WeekPattern = 'all' | 'A' | 'B' | { mask: string };

/** A part of a class. A class listed in `classes` without a group entry attends as a whole. */
export interface LessonGroup {
  class: string;
  group: string;
}

export interface LessonSubject {
  name: string;
  short?: string;
  /** An id the school itself maintains in the vendor system (aSc `partner_id`), if filled. */
  externalId?: string;
}

export interface LessonTeacher {
  /** The per-organization short code ("ИвановаАП"): how the hub matches teachers. */
  short: string;
  /** Full name as written in the export, e.g. "Иванова Анна Петровна". */
  name?: string;
  lastName?: string;
  firstName?: string;
  email?: string;
  externalId?: string;
}

export interface WeeklyLesson {
  /**
   * Stable identity within one source, built from names (see `lessonKey`): the same lesson in a
   * re-export with new vendor ids gets the same key; a moved lesson gets a new one.
   */
  key: string;
  weekday: IsoWeekday;
  period: number;
  /** Class names as the school writes them, e.g. "5А", sorted. */
  classes: string[];
  groups: LessonGroup[];
  subject: LessonSubject;
  teachers: LessonTeacher[];
  room?: string;
  /** Further rooms when the lesson occupies several (aSc cards may list more than one). */
  extraRooms?: string[];
  weeks: WeekPattern;
  /** Term mask ("10": first of two terms) or `all`; positions follow the calendar's terms. */
  terms?: string;
  /** First and last day the lesson applies (ISO dates), when the source says (Untis GPU002). */
  validFrom?: string;
  validTo?: string;
  /** Where the lesson came from in the source file ("line 57 (card 12)", "GPU001.TXT line 3"). */
  position: string;
}

/** A named week or term pattern the file declares (aSc weeksdefs / termsdefs), informational. */
export interface PatternDef {
  name: string;
  short: string;
  mask: string;
}

/** A part of the file that could not become a period or a lesson; the rest is still usable. */
export interface TimetableReject {
  /** What the rejected part would have become; readers route rejects to streams by it. */
  entity: 'period' | 'lesson' | 'change' | 'class' | 'teacher' | 'room' | 'subject';
  position: string;
  code: string;
  message: string;
  field?: string;
  /** The offending raw element or row, for the rejected-records store. */
  data?: unknown;
}

export interface WeeklyTimetable {
  /** Bell periods the file declares, sorted by number (empty when the format has none). */
  periods: BellPeriod[];
  /** Sorted by weekday, period, key. Keys are unique. */
  lessons: WeeklyLesson[];
  rejects: TimetableReject[];
  weeksDefs?: PatternDef[];
  termsDefs?: PatternDef[];
}
