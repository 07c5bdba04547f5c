/**
 * Journal codes the «Моя школа» schedule carries. There is no federal attendance code table
 * (reference/russia.md §2): these are the common journal letters, lower-case as in the contract's
 * example ('н' | 'о'). «Present» has no code: the lesson then carries no attendance.
 */
export const ATTENDANCE_CODES: Record<string, string> = {
  absent: 'н',
  late: 'о',
  excused: 'у',
  ill: 'б',
  left_early: 'уш',
};

export function attendanceCode(status: string): string | undefined {
  return ATTENDANCE_CODES[status];
}

/** The mark system of a value as written: 1–5 (with a +/- of local practice), pass/fail, or other. */
export function scoreSystem(value: string): string {
  const v = value.trim().toLowerCase();
  if (/^[1-5][+-]?$/.test(v)) return '5-балльная';
  if (v === 'зач' || v === 'незач' || v === 'зачёт' || v === 'незачёт') return 'зачётная';
  return 'иная';
}

export const DEFAULT_WORK_TYPE = 'Ответ на уроке';

/** "2026/2027" -> "2026/27", the contract's academYear form. */
export function academYear(code: string): string {
  const m = /^(\d{4})\s*[/-]\s*(\d{2})?(\d{2})$/.exec(code);
  return m ? `${m[1]}/${m[3]}` : code;
}
