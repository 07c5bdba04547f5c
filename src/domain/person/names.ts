/**
 * Person names as Russian school software holds them: Фамилия, Имя, Отчество, each possibly
 * hyphenated ("Петров-Водкин") or of two words ("Мамин Сибиряк", kept as written).
 */

/** Hyphen look-alikes that Word's autocorrect and copy-paste put between the parts of a name. */
const DASHES = /[‐‑‒–—―−]/g;

/**
 * Display form: trimmed, one space between words, no spaces around a hyphen, every part
 * capitalised (also after a hyphen), ё kept. A part typed all in one case ("ИВАНОВА", "иванова")
 * is recased; a part in mixed case ("МакКуин") is left as its owner wrote it but for the first
 * letter.
 */
export function normalizeName(raw: string): string {
  const s = raw
    .replace(/[\s\u00A0]+/g, ' ')
    .trim()
    .replace(DASHES, '-')
    .replace(/ ?- ?/g, '-');
  return s
    .split(' ')
    .map((word) => word.split('-').map(capitalise).join('-'))
    .join(' ');
}

/** Comparison key: the display form lower-cased, with ё read as е (records disagree on it). */
export function nameKey(raw: string): string {
  return normalizeName(raw).toLowerCase().replace(/ё/g, 'е');
}

function capitalise(part: string): string {
  if (part === '') return part;
  const oneCase = part === part.toLowerCase() || part === part.toUpperCase();
  const rest = oneCase ? part.slice(1).toLowerCase() : part.slice(1);
  return part.charAt(0).toUpperCase() + rest;
}
