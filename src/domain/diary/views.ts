/**
 * What the diary API, the «Моя школа» schedule and the change feed show of the core rows: public
 * ids only (UUIDs), dates `YYYY-MM-DD`, times `HH:MM` local to the school. These shapes are a
 * contract of /api/v1 (documented in src/api/v1/openapi.ts): add fields, never rename.
 */

/** A subject as the school names it. */
export interface SubjectRef {
  id: string;
  name: string;
}

/** A teacher: public id and full name (last, first, middle). */
export interface TeacherRef {
  id: string;
  name: string;
}

export type AttendanceStatus = 'present' | 'absent' | 'late' | 'excused' | 'ill' | 'left_early';

/** A current mark as written in the journal ("5", "4", "зач", "н/а") with its weight and work type. */
export interface MarkView {
  id: string;
  date: string;
  value: string;
  numericValue: number | null;
  weight: number;
  workType: string | null;
  subject: SubjectRef | null;
  /** The lesson the mark was given at, when it was given at one. */
  lessonId: string | null;
}

/** The attendance that stands after precedence (a teacher's entry beats a turnstile-derived one). */
export interface AttendanceView {
  status: AttendanceStatus | string;
  minutesLate: number | null;
}

export interface HomeworkView {
  id: string;
  text: string;
  dueDate: string | null;
}

/** A dated lesson as it really happens: substitutions applied, the planned one in `insteadOf`. */
export interface LessonView {
  id: string;
  date: string;
  period: number;
  startTime: string;
  endTime: string;
  subject: SubjectRef | null;
  teachers: TeacherRef[];
  room: string | null;
  topic: string | null;
  /** `scheduled`, or what the day's changes made of it (`substituted`, `cancelled`, ...). */
  status: string;
  /** The planned subject when a substitution changed it (id null when only its name is known). */
  insteadOf: { id: string | null; name: string } | null;
  /** The day's change as told to pupils ("Вместо урока — консультация"). */
  note: string | null;
  /** Classes (and subgroups) the lesson is for: "5А", "5А/1". */
  audience: string[];
}

export interface DiaryLesson extends LessonView {
  marks: MarkView[];
  attendance: AttendanceView | null;
  homework: HomeworkView[];
}

export interface DiaryDay {
  date: string;
  lessons: DiaryLesson[];
  /** Marks of the day not given at a lesson (a test written outside the timetable). */
  marks: MarkView[];
  /** A day-level status (the turnstile saw no entry), overridden per lesson by a journal entry. */
  attendance: AttendanceView | null;
  /** Homework set for the day and class but matched to none of the day's lessons. */
  homework: HomeworkView[];
}

export interface PeriodMarkView {
  id: string;
  subject: SubjectRef | null;
  term: string;
  year: string | null;
  value: string;
  average: number | null;
  proposed: boolean;
}
