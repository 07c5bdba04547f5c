/**
 * The human dates of quiz exports (formats.md §4): Moodle writes them in the site language
 * ("23 February 2021  9:57 PM", "23 февраля 2021, 21:57", with a weekday in some versions);
 * Google Forms writes "2026/09/27 3:00:00 PM GMT+3", or "27.09.2026 15:00:00" when the sheet is
 * Russian. Results are local wall time `YYYY-MM-DDTHH:mm:ss`, with `+HH:MM` when the text gives
 * an offset; the mapping places local times in the organization's zone.
 */

const MONTHS: Record<string, number> = {};
const add = (names: string, from = 1) => names.split(' ').forEach((n, i) => (MONTHS[n] = from + i));
add('january february march april may june july august september october november december');
add('jan feb mar apr may jun jul aug sep oct nov dec');
add('sept', 9);
add('января февраля марта апреля мая июня июля августа сентября октября ноября декабря');
add('январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь');
add('янв фев мар апр мая июн июл авг сен окт ноя дек');

const pad = (n: number) => String(n).padStart(2, '0');

function clock(h: number, mi: number, s: number, ampm: string | undefined): [number, number, number] | undefined {
  let hour = h;
  if (ampm) {
    if (h < 1 || h > 12) return undefined;
    const pm = ampm.toLowerCase() === 'pm';
    hour = (h % 12) + (pm ? 12 : 0);
  }
  return hour < 24 && mi < 60 && s < 60 ? [hour, mi, s] : undefined;
}

function iso(y: number, mo: number, d: number, t: [number, number, number], offset = ''): string | undefined {
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return undefined;
  return `${y}-${pad(mo)}-${pad(d)}T${pad(t[0])}:${pad(t[1])}:${pad(t[2])}${offset}`;
}

const MOODLE = /^(\d{1,2})\s+([^\s\d,]+)\.?\s+(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?$/i;

export function parseMoodleDate(text: string): string | undefined {
  // A weekday in front ("Tuesday, 23 February 2021, 9:57 PM") says nothing the date does not.
  const s = text.trim().replace(/\s+/g, ' ').replace(/^[^\d,]+,\s*/, '');
  const m = MOODLE.exec(s);
  if (!m) return undefined;
  const month = MONTHS[m[2]!.toLowerCase()];
  const t = clock(Number(m[4]), Number(m[5]), Number(m[6] ?? 0), m[7]);
  return month && t ? iso(Number(m[3]), month, Number(m[1]), t) : undefined;
}

const GOOGLE_ISO = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2}) (\d{1,2}):(\d{2})(?::(\d{2}))?(?: (am|pm))?(?: (?:GMT|UTC)([+-]\d{1,2})(?::?(\d{2}))?)?$/i;
const GOOGLE_RU = /^(\d{1,2})\.(\d{1,2})\.(\d{4}),? (\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const GOOGLE_US = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),? (\d{1,2}):(\d{2})(?::(\d{2}))?(?: (am|pm))?$/i;

export function parseGoogleTimestamp(text: string): string | undefined {
  const s = text.trim().replace(/\s+/g, ' ');
  let m = GOOGLE_ISO.exec(s);
  if (m) {
    const t = clock(Number(m[4]), Number(m[5]), Number(m[6] ?? 0), m[7]);
    const offset = m[8] === undefined ? '' : `${m[8].startsWith('-') ? '-' : '+'}${pad(Math.abs(Number(m[8])))}:${m[9] ?? '00'}`;
    return t ? iso(Number(m[1]), Number(m[2]), Number(m[3]), t, offset) : undefined;
  }
  m = GOOGLE_RU.exec(s);
  if (m) {
    const t = clock(Number(m[4]), Number(m[5]), Number(m[6] ?? 0), undefined);
    return t ? iso(Number(m[3]), Number(m[2]), Number(m[1]), t) : undefined;
  }
  m = GOOGLE_US.exec(s);
  if (m) {
    const t = clock(Number(m[4]), Number(m[5]), Number(m[6] ?? 0), m[7]);
    return t ? iso(Number(m[3]), Number(m[1]), Number(m[2]), t) : undefined;
  }
  return undefined;
}
