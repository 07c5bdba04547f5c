/**
 * Unique, valid SNILS numbers for invented people (reference/russia.md §4). A person number n
 * (unique in the city) goes through an affine permutation of the checked range
 * 001-001-999 .. 999-999-999, so numbers look scattered yet never repeat, with no lookup set.
 */

const LOW = 1_001_999;
const RANGE = 999_999_999 - LOW + 1;

/** The check number of a 9-digit SNILS body: weights 9..1, then the mod-101 rule. */
export function snilsCheckNumber(body: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(body[i]) * (9 - i);
  if (sum < 100) return sum;
  if (sum === 100 || sum === 101) return 0;
  const r = sum % 101;
  return r === 100 ? 0 : r;
}

/** 11 digits, no separators. */
export type Snils = string;

export interface SnilsIssuer {
  /** The SNILS of person number n (0 <= n < 2^23). */
  issue(n: number): Snils;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * Affine map n -> (a·n + b) mod m with a coprime to m: a bijection on [0, m). A near-golden-ratio
 * multiplier scatters consecutive person numbers across the whole range.
 */
export function affinePermutation(m: number, seed: number): (n: number) => number {
  let a = Math.floor(m * 0.6180339887) + ((seed >>> 0) % 1_000_003);
  while (gcd(a, m) !== 1) a++;
  const b = (Math.imul(seed, 0x9e3779b1) >>> 0) % m;
  return (n) => {
    // a < 2^30 and n < 2^23 keep a·n exact in a double.
    if (!Number.isInteger(n) || n < 0 || n >= m || n >= 2 ** 23)
      throw new RangeError(`person number ${n} out of range`);
    return (((a * n) % m) + b) % m;
  };
}

export function snilsIssuer(seed: number): SnilsIssuer {
  const permute = affinePermutation(RANGE, seed);
  return {
    issue(n) {
      const body = String(LOW + permute(n)).padStart(9, '0');
      return `${body}${String(snilsCheckNumber(body)).padStart(2, '0')}`;
    },
  };
}

/** The way Russian exports print it: 123-456-789 01. */
export function formatSnils(snils: Snils): string {
  return `${snils.slice(0, 3)}-${snils.slice(3, 6)}-${snils.slice(6, 9)} ${snils.slice(9, 11)}`;
}
