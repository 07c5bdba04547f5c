/**
 * A school day at the city's turnstiles, as the controllers push it: each student's passes (most
 * arrive 3–45 minutes before their first lesson, some late, a few not at all; repeated reads, a
 * trip out at midday, exits after lessons, some leaving early), cut per school into batches of 1 to
 * 20 passes in the order they happen. Cards are written as controllers do: decimal, series.number
 * or hex. Seeded: the same seed gives the same day.
 */
import { forkRng, type Rng } from '../city/rng.ts';
import type { SeededSchool, SeededStudent } from './seed.ts';

export interface BenchPass {
  at: number;
  direction: 'in' | 'out';
  card: string;
}

export interface Batch {
  school: string;
  body: string;
  passes: number;
  /** When its first pass happened: batches go out in this order. */
  first: number;
}

const MIN = 60_000;

function cardText(rng: Rng, card: number): string {
  const x = rng.float();
  if (x < 0.7) return String(card);
  if (x < 0.9) return `${card >> 16}.${card & 0xffff}`;
  return `0x${card.toString(16).toUpperCase()}`;
}

function studentPasses(rng: Rng, s: SeededStudent, at: (hhmm: string) => number): BenchPass[] {
  if (!s.first || !s.last || rng.chance(0.03)) return [];
  const first = at(s.first);
  const last = at(s.last);
  const pass = (t: number, direction: 'in' | 'out'): BenchPass => ({ at: Math.round(t / 1000) * 1000, direction, card: cardText(rng, s.card) });
  const out: BenchPass[] = [];
  const arrival = rng.chance(0.06) ? first + rng.int(1, 25) * MIN + rng.int(0, 59) * 1000 : first - rng.int(3, 45) * MIN - rng.int(0, 59) * 1000;
  out.push(pass(arrival, 'in'));
  // A card held to the reader a little too long.
  if (rng.chance(0.25)) out.push(pass(arrival + rng.int(1, 5) * 1000, 'in'));
  if (rng.chance(0.03) && last - arrival > 90 * MIN) {
    out.push(pass(arrival + rng.int(60, Math.floor((last - arrival) / MIN) - 10) * MIN, 'out'));
    return out;
  }
  if (rng.chance(0.5) && last - arrival > 100 * MIN) {
    const leave = arrival + rng.int(60, Math.floor((last - arrival) / MIN) - 30) * MIN;
    out.push(pass(leave, 'out'), pass(leave + rng.int(5, 25) * MIN, 'in'));
  }
  if (rng.chance(0.9)) out.push(pass(last + rng.int(45, 105) * MIN, 'out'));
  return out;
}

export function schoolDay(schools: SeededSchool[], date: string, utcOffset: string, seed: number): { batches: Batch[]; passes: number } {
  const at = (hhmm: string) => Date.parse(`${date}T${hhmm}:00${utcOffset}`);
  const batches: Batch[] = [];
  let passes = 0;
  for (const school of schools) {
    const rng = forkRng(seed, 'turnstile', school.code);
    const day = school.students.flatMap((s) => studentPasses(rng, s, at)).sort((a, b) => a.at - b.at);
    passes += day.length;
    for (let i = 0; i < day.length; ) {
      const part = day.slice(i, i + rng.int(1, 20));
      i += part.length;
      const events = part.map((p) => ({ time: new Date(p.at).toISOString(), direction: p.direction, card: p.card, device: 'gate-1' }));
      batches.push({ school: school.code, body: JSON.stringify({ events }), passes: part.length, first: part[0]!.at });
    }
  }
  batches.sort((a, b) => a.first - b.first);
  return { batches, passes };
}
