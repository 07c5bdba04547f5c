/**
 * Guesses the delimiter of a delimited text file from its first non-blank line (the header).
 * Russian Excel saves "CSV" with `;` (the comma is the decimal separator), "Unicode text" with tabs;
 * Moodle and Google write `,`; some exports use `|` (formats.md, import checklist item 2).
 */
const CANDIDATES = [';', '\t', ',', '|'] as const;

export function sniffDelimiter(text: string, quote = '"'): string {
  const counts = new Map<string, number>(CANDIDATES.map((d) => [d, 0]));
  let inQuote = false;
  let seenContent = false;
  for (const ch of text) {
    if (ch === quote) {
      inQuote = !inQuote;
      seenContent = true;
      continue;
    }
    if (inQuote) continue;
    if (ch === '\n' || ch === '\r') {
      if (seenContent) break;
      for (const d of CANDIDATES) counts.set(d, 0);
      continue;
    }
    if (counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    if (ch.trim() !== '') seenContent = true;
  }
  // The most frequent wins; ties go to the order above (`;` first: the Russian Excel default).
  let best: string = CANDIDATES[0];
  let bestCount = 0;
  for (const d of CANDIDATES) {
    const n = counts.get(d) ?? 0;
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}
