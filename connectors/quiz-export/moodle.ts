/**
 * Moodle quiz "Grades" report download (formats.md §4): one row per attempt, the maximum grade in
 * the header ("Grade/9.00", "Оценка/10,00"), "-" for a missing value, "In progress" rows, an
 * "Overall average" footer in some versions, headers in the site language.
 */
import type { RowOutcome } from './attempt.ts';
import { parseMoodleDate } from './dates.ts';

const GRADE = /^(?:grade|оценка)\s*\/\s*(\d+(?:[.,]\d+)?)$/i;

const first = (header: string[], names: string[]) => names.map((n) => header.find((h) => h.toLowerCase() === n.toLowerCase())).find((h) => h !== undefined);

const COLUMNS = {
  participant: ['ID number', 'Идентификационный номер', 'Email address', 'Адрес электронной почты', 'Username', 'Логин'],
  surname: ['Surname', 'Фамилия'],
  firstName: ['First name', 'Имя'],
  state: ['State', 'Состояние'],
  completed: ['Completed', 'Завершено', 'Завершен', 'Тест завершен'],
  started: ['Started on', 'Тест начат', 'Начато'],
};

const FINISHED = new Set(['finished', 'завершено', 'завершен', 'завершенные', 'завершённые']);

export interface MoodleLayout {
  grade: string;
  max: string;
  participant: string | undefined;
  surname: string | undefined;
  firstName: string | undefined;
  state: string | undefined;
  completed: string | undefined;
  started: string | undefined;
}

export function moodleLayout(header: string[], participantColumn?: string): MoodleLayout | undefined {
  const grade = header.find((h) => GRADE.test(h.trim()));
  if (!grade) return undefined;
  return {
    grade, max: GRADE.exec(grade.trim())![1]!,
    participant: participantColumn ?? first(header, COLUMNS.participant),
    surname: first(header, COLUMNS.surname), firstName: first(header, COLUMNS.firstName), state: first(header, COLUMNS.state),
    completed: first(header, COLUMNS.completed), started: first(header, COLUMNS.started),
  };
}

const MISSING = (v: string | undefined) => v === undefined || v.trim() === '' || v.trim() === '-';

export function moodleAttempt(values: Record<string, string>, l: MoodleLayout, position: string): RowOutcome {
  const get = (c: string | undefined) => (c === undefined ? undefined : values[c]?.trim());
  const participant = get(l.participant) ?? '';
  const surname = get(l.surname) ?? '';
  if (participant === '' && /^(overall average|общее среднее|среднее)/i.test(surname)) return { skip: 'footer' };
  const state = (get(l.state) ?? 'finished').toLowerCase();
  // "In progress", "Overdue", "Never submitted": not a result (yet). "Finished" without a grade
  // waits for a teacher to grade an essay question.
  const status = !FINISHED.has(state) ? 'in_progress' : MISSING(get(l.grade)) ? 'pending' : 'final';
  const when = [get(l.completed), get(l.started)].find((v) => !MISSING(v));
  const takenAt = when === undefined ? null : (parseMoodleDate(when) ?? null);
  if (when !== undefined && takenAt === null && status === 'final') {
    return { reject: { code: 'bad_date', message: `"${when}" is not a date Moodle writes (e.g. "23 February 2021  9:57 PM", "23 февраля 2021, 21:57")`, field: l.completed ?? 'Completed' } };
  }
  return {
    attempt: {
      participant, name: [surname, get(l.firstName)].filter(Boolean).join(' '), status, takenAt,
      score: MISSING(get(l.grade)) ? null : get(l.grade)!, maxScore: l.max, position,
    },
  };
}
