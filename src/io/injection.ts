/**
 * CSV (formula) injection: a cell that a spreadsheet would run as a formula when the data is later
 * exported and opened in Excel or LibreOffice (OWASP "CSV Injection": cells starting with
 * = + - @, or with a tab or carriage return before them). We refuse such cells at the door rather
 * than escape them on every way out: the hub re-exports roster data to many consumers.
 *
 * Decision: values that are plainly data load even though they start with + or -:
 * - numbers: "-5", "+3", "-2,5", "-0.75";
 * - phone numbers as people type them: "+7 912 345-67-89", "+7(912)345-67-89", "-";
 * - placeholders made only of dashes or pluses: "-", "--", "+" (a spreadsheet shows them as text).
 * They contain no letters, references or function calls, so a spreadsheet cannot do harm with them.
 * Anything starting with = or @ is refused, whatever follows.
 */

/** Formula triggers, including the full-width forms an IME produces and Excel also evaluates. */
const TRIGGERS = new Set(['=', '+', '-', '@', '＝', '＋', '－', '＠']);

/** Digits, spaces, brackets, dots, commas and dashes after an optional sign: a number or a phone. */
const PLAIN_NUMBER_OR_PHONE = /^[+-]?[\d(][\d\s().,-]*$/;
const DASHES_OR_PLUSES = /^[+-]+$/;

export function isFormulaInjection(value: string): boolean {
  // Leading tabs, CRs, line feeds and spaces hide the trigger from a reader, not from a spreadsheet.
  const s = value.replace(/^[\t\r\n ]+/, '');
  const first = s[0];
  if (first === undefined) return false;
  if (!TRIGGERS.has(first)) return false;
  if (first === '+' || first === '-') {
    const compact = s.trimEnd();
    if (DASHES_OR_PLUSES.test(compact)) return false;
    if (PLAIN_NUMBER_OR_PHONE.test(compact)) return false;
  }
  return true;
}
