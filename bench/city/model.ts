/**
 * The generated city as plain data: what every benchmark reuses. Students are produced lazily
 * (`school.students()` regenerates them identically from the seed) so a region of 400,000 fits
 * in modest memory; schools, classes and staff are small and held in arrays.
 */
import type { CityCalendar } from './calendar.ts';
import type { IsoDate } from './dates.ts';
import type { FullName, Sex } from './names.ts';
import type { Snils } from './snils.ts';

export type { Sex, FullName, IsoDate, Snils };

/** As the roster writes it: да / нет / empty (unknown). */
export type ConsentValue = 'да' | 'нет' | '';
export type GroupCode = '1' | '2';

export interface Guardian extends FullName {
  code: string;
  studentCode: string;
  relation: 'мать' | 'отец';
  sex: Sex;
  /** +79xxxxxxxxx, unique in the city. */
  phone: string;
  email?: string;
  snils?: Snils;
}

export interface Student extends FullName {
  code: string;
  birthDate: IsoDate;
  sex: Sex;
  snils: Snils;
  esiaId?: string;
  grade: number;
  /** "5А" */
  className: string;
  /** Subgroup for split lessons (English, informatics, labour) in classes of 25 or more. */
  group?: GroupCode;
  enrolledOn: IsoDate;
  consent: { diary: ConsentValue; lms: ConsentValue; sms: ConsentValue };
  guardians: Guardian[];
}

export interface StaffMember extends FullName {
  code: string;
  birthDate: IsoDate;
  sex: Sex;
  snils: Snils;
  position: string;
  /** Per-school short code, e.g. "ИвановаАП"; what timetables name teachers by. */
  shortName: string;
  /** Own classroom (teachers only). */
  room?: string;
}

export interface SchoolClass {
  /** "5А" */
  name: string;
  grade: number;
  letter: string;
  size: number;
  /** Whether the class is split into subgroups "1" and "2" for some subjects. */
  split: boolean;
  homeroomTeacher: string;
  room: string;
}

export interface TimetableEntry {
  className: string;
  group?: GroupCode;
  /** ISO weekday, Monday 1 .. Saturday 6. */
  weekday: number;
  period: number;
  subject: string;
  /** Teacher short code (StaffMember.shortName). */
  teacher: string;
  room: string;
}

export interface School {
  code: string;
  number: number;
  /** "МБОУ СОШ № 12" */
  name: string;
  inn: string;
  timeZone: string;
  /** 5 or 6 (grade 1 always studies five days). */
  workDays: 5 | 6;
  studentCount: number;
  classes: SchoolClass[];
  staff: StaffMember[];
  /** Regenerates the same students on every call. */
  students(): Generator<Student>;
  /** The weekly timetable, computed on each call (not kept in memory). */
  timetable(): TimetableEntry[];
}

export interface City {
  seed: number;
  timeZone: string;
  region: { code: string; name: string };
  municipality: { code: string; name: string };
  calendar: CityCalendar;
  schools: School[];
  totals: { students: number; staff: number };
}
