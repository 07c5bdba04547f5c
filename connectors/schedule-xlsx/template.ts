/**
 * The hub's own timetable template, for generators that only print to Excel (Ректор and
 * others, formats.md §3 "Practical consequence"). The sheet and column names are the contract
 * with the school: README.md documents them, fixtures/schedule-xlsx/make.ts writes them.
 */
export interface ColumnDef {
  /** Header as written in row 1 (matched trimmed, case-insensitively, ё = е). */
  header: string;
  required: boolean;
  /** Shown as a note on the template's header cell, and in README. */
  hint: string;
  width: number;
}

export const BELLS_SHEET = 'Звонки';
export const LESSONS_SHEET = 'Уроки';
export const CHANGES_SHEET = 'Замены';

export const BELL_COLUMNS = {
  period: { header: 'Урок', required: true, hint: 'номер урока: 1, 2, …', width: 8 },
  start: { header: 'Начало', required: true, hint: 'ЧЧ:ММ', width: 10 },
  end: { header: 'Конец', required: true, hint: 'ЧЧ:ММ', width: 10 },
} satisfies Record<string, ColumnDef>;

export const LESSON_COLUMNS = {
  class: { header: 'Класс', required: true, hint: '5А; несколько классов через запятую', width: 12 },
  group: { header: 'Группа', required: false, hint: 'пусто = весь класс', width: 14 },
  weekday: { header: 'День', required: true, hint: 'Пн…Сб или 1…7', width: 8 },
  period: { header: 'Урок', required: true, hint: 'номер урока', width: 8 },
  subject: { header: 'Предмет', required: true, hint: 'как в журнале', width: 22 },
  teacher: { header: 'Учитель', required: false, hint: 'краткий код: ИвановаАП', width: 16 },
  room: { header: 'Кабинет', required: false, hint: '201', width: 10 },
  weeks: { header: 'Недели', required: false, hint: 'все | А | Б', width: 9 },
} satisfies Record<string, ColumnDef>;

export const CHANGE_COLUMNS = {
  date: { header: 'Дата', required: true, hint: 'ДД.ММ.ГГГГ', width: 12 },
  period: { header: 'Урок', required: true, hint: 'номер урока', width: 8 },
  class: { header: 'Класс', required: true, hint: '5А; несколько через запятую', width: 12 },
  group: { header: 'Группа', required: false, hint: 'пусто = весь класс', width: 14 },
  kind: { header: 'Вид', required: true, hint: 'замена | отмена | кабинет', width: 12 },
  subject: { header: 'Предмет', required: false, hint: 'по расписанию', width: 22 },
  newSubject: { header: 'Новый предмет', required: false, hint: 'если меняется', width: 22 },
  teacher: { header: 'Учитель', required: false, hint: 'по расписанию', width: 16 },
  newTeacher: { header: 'Новый учитель', required: false, hint: 'для замены', width: 16 },
  room: { header: 'Кабинет', required: false, hint: 'по расписанию', width: 10 },
  newRoom: { header: 'Новый кабинет', required: false, hint: 'для переноса', width: 12 },
  note: { header: 'Примечание', required: false, hint: 'текст для учеников', width: 30 },
} satisfies Record<string, ColumnDef>;

export const normalizeHeader = (s: string): string =>
  s
    .replace(/\uFEFF/g, '')
    .trim()
    .toLowerCase()
    .replace(/ё/g, 'е');
