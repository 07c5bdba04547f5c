/**
 * Which columns of a voting export mean what. Vendors differ and none documents its columns
 * (formats.md §5), so defaults cover the common English and Russian names and an instance may
 * name its own. Long: one row per participant and question. Wide: one row per participant, one
 * column per question ("Q1", "Вопрос 2", "В3").
 */
import type { VotingConfig } from './config.ts';

const NAMES = {
  session: ['Session', 'Session ID', 'Session Name', 'Сессия', 'Код сессии'],
  date: ['Date', 'Session Date', 'Started', 'Дата', 'Дата сессии'],
  device: ['Device ID', 'Device', 'Clicker ID', 'Пульт', 'Устройство', 'ID устройства'],
  question: ['Question', 'Question #', 'Question Number', 'Вопрос', '№ вопроса'],
  points: ['Points', 'Score', 'Баллы', 'Балл'],
  correct: ['Correct', 'Is Correct', 'Верно', 'Правильно', 'Правильный ответ?'],
  maxPoints: ['Max Points', 'Question Points', 'Макс. балл', 'Максимум'],
};

export const QUESTION_COLUMN = /^(?:q|question|вопрос|в)\s*\.?\s*#?\s*(\d+)\b/i;

export type Role = keyof typeof NAMES;

export interface Layout {
  kind: 'long' | 'wide';
  columns: Partial<Record<Role, string>>;
  /** Wide: the question columns in file order. */
  questions: string[];
}

export function detectLayout(header: string[], config: VotingConfig): Layout | { problem: string } {
  const find = (role: Role): string | undefined => {
    const given = config.columns[role];
    if (given) return header.find((h) => h.toLowerCase() === given.toLowerCase());
    return NAMES[role].map((n) => header.find((h) => h.toLowerCase() === n.toLowerCase())).find((h) => h !== undefined);
  };
  const columns = Object.fromEntries((Object.keys(NAMES) as Role[]).map((r) => [r, find(r)]).filter(([, c]) => c !== undefined)) as Partial<Record<Role, string>>;
  if (!columns.device) return { problem: `no device column (looked for ${config.columns.device ?? NAMES.device.join(', ')})` };
  const questions = header.filter((h) => QUESTION_COLUMN.test(h.trim()) && h !== columns.question);
  const kind = config.layout !== 'auto' ? config.layout : columns.question ? 'long' : 'wide';
  if (kind === 'long' && !columns.question) return { problem: 'long layout without a question column' };
  if (kind === 'long' && !columns.points && !columns.correct) return { problem: 'long layout without a points or correct column' };
  if (kind === 'wide' && questions.length === 0) return { problem: 'no question columns (Q1, Вопрос 1, ...) and no question column' };
  return { kind, columns, questions };
}

const RIGHT = new Set(['1', '+', '✓', '✔', 'да', 'yes', 'y', 'true', 'correct', 'верно', 'правильно', 'истина']);
const WRONG = new Set(['', '0', '-', '×', '✗', 'нет', 'no', 'n', 'false', 'incorrect', 'неверно', 'неправильно', 'ложь']);

/**
 * Points of one answer cell. In a points column (and in a wide sheet's cells) a number is points;
 * in a "correct" column 1/0 and yes/no marks mean `perQuestion` or nothing.
 */
export function answerPoints(cell: string, perQuestion: number, numbersArePoints: boolean): number | undefined {
  const s = cell.trim().toLowerCase();
  if (numbersArePoints && /^-?\d+(?:[.,]\d+)?$/.test(s)) return Number(s.replace(',', '.'));
  if (RIGHT.has(s)) return perQuestion;
  if (WRONG.has(s)) return 0;
  return undefined;
}

const ANONYMOUS = new Set(['', '*', 'anonymous', 'аноним', 'анонимно', 'unknown', 'n/a']);

/** TurningPoint shows unlicensed participants as `*`; anonymous mode writes no device at all. */
export const isAnonymous = (device: string | undefined): boolean => ANONYMOUS.has((device ?? '').trim().toLowerCase());
