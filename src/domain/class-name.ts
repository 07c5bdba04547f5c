/** Class names as Russian schools write them: grade 1..11 and a letter ("5А", "10Б", "11 «В»"). */
import { RecordRejected } from '../core/errors.ts';

export interface ClassName {
  name: string;
  grade: number;
  letter: string;
}

/** Latin look-alikes typed instead of Cyrillic letters. */
const latin: Record<string, string> = { A: 'А', B: 'В', C: 'С', E: 'Е', K: 'К', M: 'М', H: 'Н', O: 'О', P: 'Р', T: 'Т', X: 'Х' };

export function parseClassName(raw: string): ClassName {
  const s = raw.trim().replace(/[«»"'№\s-]/g, '').replace(/класс$/i, '').toUpperCase();
  const m = /^(\d{1,2})([А-ЯЁA-Z]{0,3}|\d?)$/.exec(s);
  const grade = Number(m?.[1]);
  if (!m || grade < 1 || grade > 11) {
    throw new RecordRejected('bad_class_name', `"${raw}" is not a class (grade 1-11 and a letter, e.g. 5А)`, 'class_name');
  }
  const letter = [...(m[2] ?? '')].map((ch) => latin[ch] ?? ch).join('');
  return { name: `${grade}${letter}`, grade, letter };
}

export function normalizePhone(raw: string): string {
  const digits = raw.replace(/\D/g, '');
  if (digits.length === 11 && (digits.startsWith('7') || digits.startsWith('8'))) return `+7${digits.slice(1)}`;
  if (digits.length === 10 && digits.startsWith('9')) return `+7${digits}`;
  throw new RecordRejected('bad_phone', `"${raw}" is not a Russian phone number`, 'phone');
}
