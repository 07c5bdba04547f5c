/**
 * Invented people: students with their guardians, and staff. Every identifier derives from a
 * person number unique in the city, so SNILS, phones and ЕСИА ids never repeat and need no set:
 * student i -> code 1000000+i, person i; guardian j of student i -> code 5000000+2i+j,
 * person S+2i+j; staff k -> code 9000000+k, person 3S+k (S = students in the city).
 */
import type { CityCalendar } from './calendar.ts';
import { addDays, fromDay, toDay, type IsoDate } from './dates.ts';
import type { ConsentValue, Guardian, SchoolClass, Sex, StaffMember, Student } from './model.ts';
import {
  adultFullName,
  patronymic,
  pickAdultName,
  pickChildName,
  pickSurname,
  surnameForm,
  translit,
  type FullName,
} from './names.ts';
import type { Rng } from './rng.ts';
import { affinePermutation, type SnilsIssuer } from './snils.ts';

export interface Identity {
  totalStudents: number;
  snils: SnilsIssuer;
  phone: (n: number) => number;
  esia: (n: number) => number;
}

export function identity(seed: number, totalStudents: number, snils: SnilsIssuer): Identity {
  return {
    totalStudents,
    snils,
    phone: affinePermutation(1_000_000_000, seed ^ 0x5bd1e995),
    esia: affinePermutation(1_000_000_000, seed ^ 0x27d4eb2f),
  };
}

const MAIL_DOMAINS = ['mail.ru', 'yandex.ru', 'gmail.com', 'bk.ru', 'inbox.ru', 'rambler.ru'];

function consent(rng: Rng, refused: number, unknown: number): ConsentValue {
  const x = rng.float();
  return x < refused ? 'нет' : x < refused + unknown ? '' : 'да';
}

function birthDate(rng: Rng, yearStart: IsoDate, grade: number): IsoDate {
  // Age on 1 September: 6.5..7.5 in grade 1, one year more per grade; 3% a year older.
  const age = 5.5 + grade + rng.float() + (rng.chance(0.03) ? 1 : 0);
  return fromDay(toDay(yearStart) - Math.round(age * 365.25));
}

function enrolledOn(rng: Rng, calendar: CityCalendar, grade: number): IsoDate {
  const yearStart = calendar.year.from;
  const firstYear = Number(yearStart.slice(0, 4)) - (grade - 1);
  const admitted = grade >= 10 && rng.chance(0.3) ? `${firstYear + 9}-09-01` : `${firstYear}-09-01`;
  if (!rng.chance(0.15)) return admitted;
  // A transfer: some day between admission and the start of the benchmark term.
  const span = toDay(calendar.term.from) - toDay(admitted);
  return span > 1 ? addDays(admitted, rng.int(1, span - 1)) : admitted;
}

function guardian(
  id: Identity,
  rng: Rng,
  student: Student,
  i: number,
  j: number,
  name: FullName,
  sex: Sex,
): Guardian {
  const n = 2 * i + j;
  const g: Guardian = {
    code: String(5_000_000 + n),
    studentCode: student.code,
    relation: sex === 'F' ? 'мать' : 'отец',
    sex,
    ...name,
    phone: `+79${String(id.phone(n)).padStart(9, '0')}`,
  };
  if (rng.chance(0.5)) {
    const local = `${translit(name.lastName)}.${translit(name.firstName)}${rng.int(1, 99)}`;
    g.email = `${local}@${rng.pick(MAIL_DOMAINS)}`;
  }
  if (rng.chance(0.7)) g.snils = id.snils.issue(id.totalStudents + n);
  return g;
}

/** Students of one school in class order; `firstIndex` is the school's offset in the city. */
export function* generateStudents(
  id: Identity,
  rng: Rng,
  calendar: CityCalendar,
  classes: readonly SchoolClass[],
  firstIndex: number,
): Generator<Student> {
  let i = firstIndex;
  for (const cls of classes) {
    for (let k = 0; k < cls.size; k++, i++) {
      const sex: Sex = rng.chance(0.51) ? 'M' : 'F';
      const surname = pickSurname(rng, 0.005);
      const father = pickAdultName(rng, 'M');
      const student: Student = {
        code: String(1_000_000 + i),
        lastName: surnameForm(surname, sex),
        firstName: pickChildName(rng, sex),
        middleName: patronymic(father, sex),
        birthDate: birthDate(rng, calendar.year.from, cls.grade),
        sex,
        snils: id.snils.issue(i),
        grade: cls.grade,
        className: cls.name,
        enrolledOn: enrolledOn(rng, calendar, cls.grade),
        consent: {
          diary: consent(rng, 0.01, 0.03),
          lms: consent(rng, 0.02, 0.03),
          sms: consent(rng, 0.04, 0.06),
        },
        guardians: [],
      };
      if (rng.chance(0.35)) student.esiaId = String(1_000_000_000 + id.esia(i));
      if (cls.split) student.group = k < Math.ceil(cls.size / 2) ? '1' : '2';
      const both = rng.chance(0.75);
      if (both || rng.chance(0.85)) {
        const ownSurname = rng.chance(0.1) ? pickSurname(rng, 0.03) : surname;
        student.guardians.push(guardian(id, rng, student, i, 0, adultFullName(rng, 'F', ownSurname), 'F'));
      }
      if (both || student.guardians.length === 0) {
        const name = {
          lastName: surname,
          firstName: father,
          middleName: patronymic(pickAdultName(rng, 'M'), 'M'),
        };
        student.guardians.push(guardian(id, rng, student, i, 1, name, 'M'));
      }
      yield student;
    }
  }
}

/** A staff member with a fresh name; `shortName` is made unique by the caller. */
export function staffMember(
  id: Identity,
  rng: Rng,
  k: number,
  position: string,
  femaleShare: number,
): StaffMember {
  const sex: Sex = rng.chance(femaleShare) ? 'F' : 'M';
  const name = adultFullName(rng, sex, pickSurname(rng, sex === 'F' ? 0.02 : 0));
  return {
    code: String(9_000_000 + k),
    ...name,
    birthDate: fromDay(toDay('1960-01-01') + rng.int(0, 39 * 365)),
    sex,
    snils: id.snils.issue(3 * id.totalStudents + k),
    position,
    shortName: '',
  };
}
