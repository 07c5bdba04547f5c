/**
 * How many students each school, grade and class gets. School sizes are log-normal around the
 * city mean and kept within 300..1500 (wider when the mean itself is outside); grades follow the
 * Samara 2025/26 shape (reference/anchors.md: ~34.6k first-graders, ~13k eleventh-graders of
 * 364k): grades 1–8 about equal, 9 slightly smaller, 10–11 about a third of that.
 */
import { SPLIT_FROM } from './curriculum.ts';
import type { Rng } from './rng.ts';

const GRADE_WEIGHTS = [1, 1, 1, 1, 1, 1, 1, 1, 0.95, 0.38, 0.35];
const TARGET_CLASS_SIZE = 26;
const MAX_CLASS_SIZE = 32;
/** Letters as schools use them: Ё, З, Й are skipped. */
export const CLASS_LETTERS = 'АБВГДЕЖИКЛМНОП';

/** Splits `total` proportionally to `weights` with exact integer sum (largest remainder). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((x, i) => [x - Math.floor(x), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of byRemainder) {
    if (left-- <= 0) break;
    out[i] = (out[i] ?? 0) + 1;
  }
  return out;
}

export function schoolSizes(rng: Rng, students: number, schools: number): number[] {
  const mean = students / schools;
  const lo = Math.min(300, mean * 0.5);
  const hi = Math.max(1500, mean * 1.5);
  const weights = Array.from({ length: schools }, () => Math.exp(0.4 * rng.normal()));
  // Find the scale at which the clamped sizes add up to the total (the sum grows with the scale).
  const sized = (scale: number): number[] => weights.map((w) => Math.min(hi, Math.max(lo, w * scale)));
  const total = (scale: number): number => sized(scale).reduce((a, b) => a + b, 0);
  let [low, high] = [0, (hi * schools) / Math.min(...weights)];
  for (let i = 0; i < 100 && high - low > 1e-9 * high; i++) {
    const mid = (low + high) / 2;
    if (total(mid) < students) low = mid;
    else high = mid;
  }
  return apportion(students, sized(high));
}

export interface ClassPlan {
  grade: number;
  letter: string;
  size: number;
  split: boolean;
}

export function planClasses(schoolSize: number): ClassPlan[] {
  const classes: ClassPlan[] = [];
  apportion(schoolSize, GRADE_WEIGHTS).forEach((gradeSize, i) => {
    if (gradeSize === 0) return;
    const grade = i + 1;
    const wanted = Math.max(
      Math.round(gradeSize / TARGET_CLASS_SIZE),
      Math.ceil(gradeSize / MAX_CLASS_SIZE),
      1,
    );
    const count = Math.min(CLASS_LETTERS.length, wanted);
    apportion(
      gradeSize,
      Array.from({ length: count }, () => 1),
    ).forEach((size, k) => {
      // Grade 1 has no subgroup subjects (a foreign language starts in grade 2).
      classes.push({ grade, letter: CLASS_LETTERS[k] ?? '?', size, split: grade >= 2 && size >= SPLIT_FROM });
    });
  });
  return classes;
}
