/**
 * Moodle usernames. `core_user_create_users` validates `username` as PARAM_USERNAME and rejects
 * (never cleans) a value that cleaning would change: trimmed, lower-cased (MDL-16919) and, unless
 * the site sets `extendedusernamechars`, only `[-.@_a-z0-9]` (lib/moodlelib.php `clean_param()`,
 * https://github.com/moodle/moodle/blob/main/lib/moodlelib.php; moodle.md §1). So the hub sends a
 * value that is already clean, transliterating Cyrillic rather than dropping it.
 */

/** Russian passport transliteration (ICAO Doc 9303, used by the MVD since 2014). */
const CYRILLIC: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: 'ie',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'iu',
  я: 'ia',
};

const NOT_ALLOWED = /[^-.@_a-z0-9]/g;

/**
 * The username Moodle will accept for `raw`, or `undefined` when nothing usable is left.
 * Idempotent: a clean username maps to itself, so a second sync sees no change.
 */
export function normalizeUsername(raw: string): string | undefined {
  const lower = raw.trim().toLowerCase();
  const latin = Array.from(lower, (ch) => CYRILLIC[ch] ?? ch).join('');
  // "é" -> "e" + combining accent, which the allowed-characters filter then removes.
  const clean = latin.normalize('NFKD').replace(NOT_ALLOWED, '');
  return clean === '' ? undefined : clean;
}
