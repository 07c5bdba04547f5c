/**
 * Weekly hours per grade for a five-day week, shaped after the federal basic curricula (ФООП):
 * 21 hours in grade 1, 23 in 2–4, 29–34 in 5–11 (the СанПиН weekly maxima). Which teacher
 * specialty teaches what, and which subjects split a class of 25 or more into two subgroups.
 */

export type Specialty =
  | 'primary'
  | 'russian'
  | 'math'
  | 'informatics'
  | 'english'
  | 'history'
  | 'geography'
  | 'biology'
  | 'chemistry'
  | 'physics'
  | 'music'
  | 'art'
  | 'labour'
  | 'pe'
  | 'safety';

export const POSITIONS: Readonly<Record<Specialty, string>> = {
  primary: 'Учитель начальных классов',
  russian: 'Учитель русского языка и литературы',
  math: 'Учитель математики',
  informatics: 'Учитель информатики',
  english: 'Учитель английского языка',
  history: 'Учитель истории и обществознания',
  geography: 'Учитель географии',
  biology: 'Учитель биологии',
  chemistry: 'Учитель химии',
  physics: 'Учитель физики',
  music: 'Учитель музыки',
  art: 'Учитель изобразительного искусства',
  labour: 'Учитель труда (технологии)',
  pe: 'Учитель физической культуры',
  safety: 'Преподаватель-организатор ОБЗР',
};

interface SubjectInfo {
  abbr: string;
  name: string;
  specialty: Specialty;
  /** Taught by the class's primary teacher in grades 1–4. */
  primaryInLowGrades?: boolean;
  split?: boolean;
}

const SUBJECTS: readonly SubjectInfo[] = [
  { abbr: 'Рус', name: 'Русский язык', specialty: 'russian', primaryInLowGrades: true },
  { abbr: 'ЛЧт', name: 'Литературное чтение', specialty: 'primary' },
  { abbr: 'Лит', name: 'Литература', specialty: 'russian' },
  { abbr: 'Анг', name: 'Иностранный язык (английский)', specialty: 'english', split: true },
  { abbr: 'Мат', name: 'Математика', specialty: 'math', primaryInLowGrades: true },
  { abbr: 'Алг', name: 'Алгебра', specialty: 'math' },
  { abbr: 'Гео', name: 'Геометрия', specialty: 'math' },
  { abbr: 'ВиС', name: 'Вероятность и статистика', specialty: 'math' },
  { abbr: 'Инф', name: 'Информатика', specialty: 'informatics', split: true },
  { abbr: 'Окр', name: 'Окружающий мир', specialty: 'primary' },
  { abbr: 'Ист', name: 'История', specialty: 'history' },
  { abbr: 'Общ', name: 'Обществознание', specialty: 'history' },
  { abbr: 'ОРК', name: 'Основы религиозных культур и светской этики', specialty: 'history' },
  { abbr: 'ОДН', name: 'Основы духовно-нравственной культуры народов России', specialty: 'history' },
  { abbr: 'Инд', name: 'Индивидуальный проект', specialty: 'history' },
  { abbr: 'Ггр', name: 'География', specialty: 'geography' },
  { abbr: 'Био', name: 'Биология', specialty: 'biology' },
  { abbr: 'Физ', name: 'Физика', specialty: 'physics' },
  { abbr: 'Хим', name: 'Химия', specialty: 'chemistry' },
  { abbr: 'Муз', name: 'Музыка', specialty: 'music' },
  { abbr: 'ИЗО', name: 'Изобразительное искусство', specialty: 'art', primaryInLowGrades: true },
  { abbr: 'Тру', name: 'Труд (технология)', specialty: 'labour', primaryInLowGrades: true, split: true },
  { abbr: 'ФК', name: 'Физическая культура', specialty: 'pe' },
  { abbr: 'ОБЗ', name: 'Основы безопасности и защиты Родины', specialty: 'safety' },
];

const BY_ABBR = new Map(SUBJECTS.map((s) => [s.abbr, s]));

/** Grade -> "subject:hours" list. */
const PLANS: Readonly<Record<number, string>> = {
  1: 'Рус:5 ЛЧт:4 Мат:4 Окр:2 Муз:1 ИЗО:1 Тру:1 ФК:3',
  2: 'Рус:5 ЛЧт:4 Анг:2 Мат:4 Окр:2 Муз:1 ИЗО:1 Тру:1 ФК:3',
  3: 'Рус:5 ЛЧт:4 Анг:2 Мат:4 Окр:2 Муз:1 ИЗО:1 Тру:1 ФК:3',
  4: 'Рус:5 ЛЧт:3 Анг:2 Мат:4 Окр:2 ОРК:1 Муз:1 ИЗО:1 Тру:1 ФК:3',
  5: 'Рус:5 Лит:3 Анг:3 Мат:5 Ист:2 Ггр:1 Био:1 Муз:1 ИЗО:1 Тру:2 ФК:3 ОДН:1 Инф:1',
  6: 'Рус:6 Лит:3 Анг:3 Мат:5 Ист:2 Общ:1 Ггр:1 Био:1 Муз:1 ИЗО:1 Тру:2 ФК:3 Инф:1',
  7: 'Рус:5 Лит:2 Анг:3 Алг:3 Гео:2 ВиС:1 Инф:1 Ист:2 Общ:1 Ггр:2 Био:1 Физ:2 Муз:1 ИЗО:1 Тру:2 ФК:3',
  8: 'Рус:4 Лит:2 Анг:3 Алг:3 Гео:2 ВиС:1 Инф:1 Ист:2 Общ:1 Ггр:2 Био:2 Физ:2 Хим:2 Муз:1 Тру:1 ОБЗ:1 ФК:3',
  9: 'Рус:3 Лит:3 Анг:3 Алг:3 Гео:2 ВиС:1 Инф:1 Ист:2 Общ:1 Ггр:2 Био:2 Физ:3 Хим:2 Тру:1 ОБЗ:1 ФК:3',
  10: 'Рус:3 Лит:3 Анг:3 Алг:4 Гео:2 ВиС:1 Инф:2 Ист:2 Общ:2 Ггр:1 Био:2 Физ:3 Хим:2 ОБЗ:1 ФК:2 Инд:1',
  11: 'Рус:3 Лит:3 Анг:3 Алг:4 Гео:3 ВиС:1 Инф:2 Ист:2 Общ:2 Ггр:1 Био:2 Физ:3 Хим:2 ОБЗ:1 ФК:2',
};

export interface PlannedSubject {
  subject: string;
  hours: number;
  specialty: Specialty;
  /** Split into subgroups when the class is split. */
  split: boolean;
}

function plan(grade: number): PlannedSubject[] {
  const text = PLANS[grade];
  if (text === undefined) throw new RangeError(`no curriculum for grade ${grade}`);
  return text.split(' ').map((item) => {
    const [abbr = '', hours = '0'] = item.split(':');
    const info = BY_ABBR.get(abbr);
    if (!info) throw new Error(`unknown subject ${abbr} in grade ${grade}`);
    const low = grade <= 4;
    return {
      subject: info.name,
      hours: Number(hours),
      specialty: low && info.primaryInLowGrades ? 'primary' : info.specialty,
      split: info.split === true && !(low && info.primaryInLowGrades),
    };
  });
}

const CURRICULUM: ReadonlyMap<number, readonly PlannedSubject[]> = new Map(
  Array.from({ length: 11 }, (_, i) => [i + 1, plan(i + 1)] as const),
);

export function curriculum(grade: number): readonly PlannedSubject[] {
  const subjects = CURRICULUM.get(grade);
  if (!subjects) throw new RangeError(`no curriculum for grade ${grade}`);
  return subjects;
}

/** A class is split into two subgroups from this size (the common rule for languages, IT). */
export const SPLIT_FROM = 25;
