/**
 * The seeded city every benchmark reuses (issue 2 item 10): one municipality of `schools` schools
 * and `students` students, as plain data with no I/O. Same options -> the same city, byte for
 * byte. Students and timetables are produced on demand, so a 400,000-student region is cheap.
 */
import { buildCalendar } from './calendar.ts';
import { POSITIONS, type Specialty } from './curriculum.ts';
import type { IsoDate } from './dates.ts';
import type { City, School, SchoolClass, StaffMember } from './model.ts';
import { shortName } from './names.ts';
import { generateStudents, identity, staffMember, type Identity } from './people.ts';
import { forkRng, type Rng } from './rng.ts';
import { planClasses, schoolSizes } from './sizes.ts';
import { snilsIssuer } from './snils.ts';
import { planStaffing } from './staffing.ts';
import { buildTimetable } from './timetable.ts';

export interface GenerateCityOptions {
  seed: number;
  schools?: number;
  students?: number;
  municipalityCode?: string;
  municipalityName?: string;
  /** Start of the benchmark term (default 2026-09-01). */
  termFrom?: IsoDate;
  /** End of the benchmark term, inclusive (default ten weeks after termFrom). */
  termTo?: IsoDate;
  /** Share of schools with a six-day week for grades 2–11 (default 0.1). */
  sixDayShare?: number;
}

export const TIME_ZONE = 'Europe/Samara';
export const MAX_STUDENTS = 2_000_000;
/** Staff per student: about one adult per twelve students (teachers, leadership, support). */
const STUDENTS_PER_STAFF = 12;
const SUPPORT_POSITIONS = [
  'Заместитель директора по учебно-воспитательной работе',
  'Педагог-психолог',
  'Заместитель директора по воспитательной работе',
  'Социальный педагог',
  'Учитель-логопед',
  'Педагог-библиотекарь',
  'Заместитель директора по административно-хозяйственной работе',
  'Советник директора по воспитанию',
  'Педагог-организатор',
  'Учитель-дефектолог',
  'Тьютор',
];
const EXTRA_POSITION = 'Педагог дополнительного образования';
const FEMALE_SHARE: Partial<Record<Specialty, number>> = { pe: 0.45, labour: 0.5, safety: 0.3, physics: 0.6 };

export function generateCity(options: GenerateCityOptions): City {
  const { seed, schools: schoolCount = 90, students = 70_000 } = options;
  if (schoolCount < 1 || students < schoolCount) throw new RangeError('need at least one student per school');
  // Person numbers and codes are laid out for up to two million students (see people.ts).
  if (students > MAX_STUDENTS) throw new RangeError(`at most ${MAX_STUDENTS} students`);
  const calendar = buildCalendar(options.termFrom, options.termTo);
  const id = identity(seed, students, snilsIssuer(seed));
  const sizes = schoolSizes(forkRng(seed, 'sizes'), students, schoolCount);
  const schools: School[] = [];
  let studentOffset = 0;
  let staffOffset = 0;
  const sixDayShare = options.sixDayShare ?? 0.1;
  sizes.forEach((size, i) => {
    const school = buildSchool({
      seed,
      id,
      calendar,
      index: i,
      size,
      studentOffset,
      staffOffset,
      sixDayShare,
    });
    schools.push(school);
    studentOffset += size;
    staffOffset += school.staff.length;
  });
  return {
    seed,
    timeZone: TIME_ZONE,
    region: { code: 'reg-63', name: 'Самарская область' },
    municipality: {
      code: options.municipalityCode ?? 'city',
      name: options.municipalityName ?? 'г. Образцово',
    },
    calendar,
    schools,
    totals: { students, staff: staffOffset },
  };
}

interface SchoolInput {
  seed: number;
  id: Identity;
  calendar: City['calendar'];
  index: number;
  size: number;
  /** Students and staff of the schools before this one: where its person numbers start. */
  studentOffset: number;
  staffOffset: number;
  sixDayShare: number;
}

function buildSchool(input: SchoolInput): School {
  const { seed, id, calendar, index, size, studentOffset, staffOffset, sixDayShare } = input;
  const number = index + 1;
  const code = `sch-${String(number).padStart(3, '0')}`;
  const rng = forkRng(seed, 'school', code);
  const plans = planClasses(size);
  const staffing = planStaffing(plans);
  const staffRng = forkRng(seed, 'staff', code);
  let k = staffOffset;
  const director = staffMember(id, staffRng, k++, 'Директор', 0.7);
  const teachers = staffing.teachers.map((s) =>
    staffMember(id, staffRng, k++, POSITIONS[s], FEMALE_SHARE[s] ?? 0.85),
  );
  const support: StaffMember[] = [];
  const supportCount = Math.max(2, Math.round(size / STUDENTS_PER_STAFF) - 1 - teachers.length);
  for (let n = 0; n < supportCount; n++) {
    support.push(staffMember(id, staffRng, k++, SUPPORT_POSITIONS[n] ?? EXTRA_POSITION, 0.85));
  }
  const staff = [director, ...teachers, ...support];
  assignShortNames(staff);
  assignRooms(teachers, staffing.teachers);
  const classes: SchoolClass[] = plans.map((p, c) => {
    const homeroom = teachers[staffing.homeroom[c] ?? 0] as StaffMember;
    return {
      name: `${p.grade}${p.letter}`,
      grade: p.grade,
      letter: p.letter,
      size: p.size,
      split: p.split,
      homeroomTeacher: homeroom.shortName,
      room: homeroom.room ?? '',
    };
  });
  const workDays = rng.chance(sixDayShare) ? 6 : 5;
  return {
    code,
    number,
    name: schoolName(rng, number),
    inn: innWithCheckDigit(`6312${String(number).padStart(5, '0')}`),
    timeZone: TIME_ZONE,
    workDays,
    studentCount: size,
    classes,
    staff,
    students: () => generateStudents(id, forkRng(seed, 'students', code), calendar, classes, studentOffset),
    timetable: () =>
      buildTimetable({ classes, staffing, teachers, workDays, rng: forkRng(seed, 'timetable', code) }),
  };
}

function schoolName(rng: Rng, number: number): string {
  const form = rng.chance(0.15) ? 'МАОУ' : 'МБОУ';
  const x = rng.float();
  const kind = x < 0.08 ? 'Лицей' : x < 0.2 ? 'Гимназия' : 'СОШ';
  return `${form} ${kind} № ${number}`;
}

/** Short codes are unique within a school: a second ИвановаАП becomes ИвановаАП2. */
function assignShortNames(staff: StaffMember[]): void {
  const seen = new Map<string, number>();
  for (const m of staff) {
    const base = shortName(m);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    m.shortName = n === 1 ? base : `${base}${n}`;
  }
}

/** Primary teachers on the lower floors, subject rooms above, 25 rooms a floor; PE in gyms. */
function assignRooms(teachers: StaffMember[], specialties: readonly Specialty[]): void {
  let room = 0;
  let gym = 0;
  const next = (): string => `${1 + Math.floor(room / 25)}${String((room++ % 25) + 1).padStart(2, '0')}`;
  teachers.forEach((t, i) => {
    if (specialties[i] === 'primary') t.room = next();
  });
  teachers.forEach((t, i) => {
    if (specialties[i] === 'pe') t.room = `Спортзал ${++gym}`;
    else if (specialties[i] !== 'primary') t.room = next();
  });
}

/** A 10-digit legal-entity INN: weights 2,4,10,3,5,9,4,6,8, sum mod 11 mod 10 (russia.md §4). */
export function innWithCheckDigit(body: string): string {
  const weights = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  const sum = weights.reduce((s, w, i) => s + w * Number(body[i]), 0);
  return `${body}${(sum % 11) % 10}`;
}
