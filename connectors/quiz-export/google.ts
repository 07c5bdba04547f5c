/**
 * Google Forms quiz responses (formats.md §4): Timestamp, Email Address, Score as "x / y"
 * ("28.00 / 30"), then one column per question; no per-question scores. A Russian sheet says
 * "Отметка времени", "Адрес электронной почты", "Баллы".
 */
import type { RowOutcome } from './attempt.ts';
import { parseGoogleTimestamp } from './dates.ts';

const first = (header: string[], names: string[]) => names.map((n) => header.find((h) => h.toLowerCase() === n.toLowerCase())).find((h) => h !== undefined);

export interface GoogleLayout {
  timestamp: string;
  score: string;
  participant: string | undefined;
}

export function googleLayout(header: string[], participantColumn?: string): GoogleLayout | undefined {
  const timestamp = first(header, ['Timestamp', 'Отметка времени']);
  const score = first(header, ['Score', 'Баллы', 'Total score']);
  if (!timestamp || !score) return undefined;
  return { timestamp, score, participant: participantColumn ?? first(header, ['Email Address', 'Email', 'Адрес электронной почты', 'Электронная почта']) };
}

const SCORE = /^\s*(-?\d+(?:[.,]\d+)?)\s*\/\s*(\d+(?:[.,]\d+)?)\s*$/;

export function googleAttempt(values: Record<string, string>, l: GoogleLayout, position: string): RowOutcome {
  const participant = (l.participant ? values[l.participant] : '')?.trim() ?? '';
  const stamp = values[l.timestamp]?.trim() ?? '';
  const takenAt = parseGoogleTimestamp(stamp);
  if (!takenAt) return { reject: { code: 'bad_date', message: `"${stamp}" is not a Google Forms timestamp`, field: l.timestamp } };
  const raw = values[l.score]?.trim() ?? '';
  const m = SCORE.exec(raw);
  if (!m) return { reject: { code: 'bad_score', message: `"${raw}" is not a score "x / y"`, field: l.score } };
  return { attempt: { participant, name: '', status: 'final', takenAt, score: m[1]!, maxScore: m[2]!, position } };
}
