/**
 * The shared `mark` transform (russia.md §2). Marks are kept as written ("5", "4-", "зач", "н/а")
 * with a numeric value where one exists; scores become marks through configurable scales per
 * organization and work type.
 */
import { RecordRejected } from '../core/errors.ts';

export interface Mark {
  value: string;
  numeric: number | null;
}

/** `+`/`-` modifiers are local practice (russia.md §2 [U]): ±0.25 is a common reading; configurable. */
export const DEFAULT_MODIFIER_STEP = 0.25;

const words: Record<string, string> = {
  зач: 'зач', зачет: 'зач', зачёт: 'зач', зачтено: 'зач',
  незач: 'незач', незачет: 'незач', незачёт: 'незач', 'не зачтено': 'незач',
  'н/а': 'н/а', на: 'н/а', 'не аттестован': 'н/а',
  осв: 'осв', освобожден: 'осв', освобождён: 'осв',
};

export function parseMark(raw: string, opts: { modifierStep?: number } = {}): Mark {
  const s = raw.trim().toLowerCase().replace(/\s+/g, ' ').replace(/\.$/, '');
  const word = words[s];
  if (word) return { value: word, numeric: null };
  const m = /^([1-5])\s*([+-])?$/.exec(s);
  if (!m) throw new RecordRejected('bad_mark', `"${raw}" is not a mark (1-5 with optional +/-, зач, незач, н/а, осв)`, 'mark');
  const base = Number(m[1]);
  const step = opts.modifierStep ?? DEFAULT_MODIFIER_STEP;
  const mod = m[2] === '+' ? step : m[2] === '-' ? -step : 0;
  return { value: `${base}${m[2] ?? ''}`, numeric: Math.min(5, Math.max(1, base + mod)) };
}

/** A score-to-mark scale: percentage thresholds to 2..5, or pass/fail. */
export type MarkScale =
  | { kind: 'percent'; thresholds: { mark: string; minPercent: number }[] }
  | { kind: 'pass_fail'; passPercent: number };

export const DEFAULT_SCALE: MarkScale = {
  kind: 'percent',
  thresholds: [
    { mark: '5', minPercent: 85 },
    { mark: '4', minPercent: 65 },
    { mark: '3', minPercent: 45 },
    { mark: '2', minPercent: 0 },
  ],
};

export function scoreToMark(score: number, max: number, scale: MarkScale = DEFAULT_SCALE): Mark {
  if (!Number.isFinite(score) || !Number.isFinite(max) || max <= 0) {
    throw new RecordRejected('bad_score', `score ${score} of ${max} is not a usable score`, 'score');
  }
  if (score < 0) throw new RecordRejected('negative_score', `score ${score} is negative`, 'score');
  if (score > max) throw new RecordRejected('score_above_max', `score ${score} is above the maximum ${max}`, 'score');
  const pct = (score / max) * 100;
  if (scale.kind === 'pass_fail') return pct >= scale.passPercent ? { value: 'зач', numeric: null } : { value: 'незач', numeric: null };
  const sorted = [...scale.thresholds].sort((a, b) => b.minPercent - a.minPercent);
  const hit = sorted.find((t) => pct + 1e-9 >= t.minPercent) ?? sorted[sorted.length - 1];
  if (!hit) throw new RecordRejected('bad_scale', 'the mark scale has no thresholds', 'score');
  return { value: hit.mark, numeric: Number.isFinite(Number(hit.mark)) ? Number(hit.mark) : null };
}

/** Picks the scale configured for (organization chain, work type): most specific wins. */
export function pickScale(
  scales: { organization?: string | undefined; workType?: string | undefined; scale: MarkScale }[],
  orgChain: string[],
  workType: string | undefined,
): MarkScale {
  let best: { rank: number; scale: MarkScale } | undefined;
  for (const s of scales) {
    const orgRank = s.organization === undefined ? 0 : orgChain.indexOf(s.organization);
    if (s.organization !== undefined && orgRank < 0) continue;
    if (s.workType !== undefined && s.workType !== workType) continue;
    const rank = (s.organization === undefined ? 0 : 100 - orgRank) + (s.workType === undefined ? 0 : 1000);
    if (!best || rank > best.rank) best = { rank, scale: s.scale };
  }
  return best?.scale ?? DEFAULT_SCALE;
}
