/**
 * The «Моя школа» Schedule resource, field for field as the federal system pulls it
 * (reference/portal-contract.md, Приложение 5 of the methodological recommendations).
 */

/** One mark of a lesson. */
export interface ScheduleScore {
  /** The kind of work the mark is for ("Контрольная работа"; "Ответ на уроке" when not recorded). */
  code: string;
  weight?: number;
  /** The mark as written in the journal: "5", "4", "зач", "н/а". */
  score: string;
  score2?: string;
  /** "5-балльная", "зачётная" or "иная". */
  scoreSystem: string;
}

export interface ScheduleLesson {
  /** Public id of the dated lesson (UUID). */
  id: string;
  subject: string;
  /** The planned subject when a substitution replaced it. */
  insteadOf?: string;
  topic?: string;
  homework?: string;
  /** ISO 8601 with the school's offset. */
  period: { start: string; end: string };
  classroom: string;
  distant?: boolean;
  note?: string;
  /** Pupils only: the attendance that stands, when the pupil was not simply present. */
  attendance?: { code: string };
  score: ScheduleScore[];
}

export interface ScheduleClass {
  class: string;
  grade: string;
  lesson: ScheduleLesson[];
}

export interface ScheduleSchool {
  /** Public id of the school (UUID). */
  id: string;
  name: string;
  scheduleUrl: string;
  period: { start: string; end: string };
  /** "2021/22" */
  academYear: string;
  distantUrl?: string;
  class: ScheduleClass[];
}

export interface Schedule {
  resourceType: 'Schedule';
  /** The ЕСИА account id asked for. */
  id: string;
  meta: { lastUpdated: string };
  school: ScheduleSchool[];
}
