/**
 * СНИЛС, the insurance number that identifies a person across the region (russia.md §4): 9 digits
 * and a 2-digit check number, written "112-233-445 95".
 */
import { RecordRejected } from '../../core/errors.ts';

export interface Snils {
  /** 11 digits, no separators. */
  snils: string;
  /** False for numbers at or below 001-001-998, which carry no check number to verify. */
  checked: boolean;
}

/** The official rule: the check applies only to numbers greater than 001-001-998. */
const LAST_UNCHECKED = 1_001_998;

/** Check number of the first 9 digits: weights 9..1, then the 100/101 rule (russia.md §4). */
export function snilsCheckNumber(nineDigits: string): string {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nineDigits[i]) * (9 - i);
  const check = sum < 100 ? sum : sum <= 101 ? 0 : sum % 101 === 100 ? 0 : sum % 101;
  return String(check).padStart(2, '0');
}

export function parseSnils(raw: string): Snils {
  // People write it with hyphens and a space, with no-break spaces from Word, or as bare digits.
  const compact = raw.trim().replace(/[\s\u00A0\u2007\u202F\-‐‑–—]/g, '');
  if (!/^\d{11}$/.test(compact)) {
    const hint = /^\d{9,10}$/.test(compact) ? ' (a leading zero lost in a spreadsheet?)' : '';
    throw new RecordRejected('snils_format', `"${raw}" is not a СНИЛС: 11 digits expected${hint}`, 'snils');
  }
  // An all-zero number is a "not known" filler; matching on it would merge unrelated people.
  if (/^0{11}$/.test(compact)) {
    throw new RecordRejected('snils_format', `"${raw}" is a placeholder, not a СНИЛС`, 'snils');
  }
  const number = compact.slice(0, 9);
  if (Number(number) <= LAST_UNCHECKED) return { snils: compact, checked: false };
  const expected = snilsCheckNumber(number);
  if (compact.slice(9) !== expected) {
    throw new RecordRejected(
      'snils_checksum',
      `СНИЛС "${raw}" has check number ${compact.slice(9)}, ${expected} expected: a digit is mistyped`,
      'snils',
    );
  }
  return { snils: compact, checked: true };
}

/** "11223344595" -> "112-233-445 95", the way it is printed on the card. */
export function formatSnils(snils: string): string {
  const d = snils.replace(/\D/g, '');
  if (d.length !== 11)
    throw new RecordRejected('snils_format', `"${snils}" is not a СНИЛС: 11 digits expected`, 'snils');
  return `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6, 9)} ${d.slice(9)}`;
}
