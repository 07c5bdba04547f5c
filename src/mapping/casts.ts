/** Casts of the mapping engine: numbers, booleans, dates and times with formats and zones. */
import { RecordRejected } from '../core/errors.ts';
import type { CastSpec } from './spec.ts';
import { parseMark } from './mark.ts';

const TOKEN = /YYYY|YY|MM|M|DD|D|HH|H|mm|ss/g;

interface DateParts { y: number; mo: number; d: number; h: number; mi: number; s: number }

function compile(format: string): { re: RegExp; keys: string[] } {
  const keys: string[] = [];
  let src = '';
  let last = 0;
  for (const m of format.matchAll(TOKEN)) {
    src += format.slice(last, m.index).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    keys.push(m[0]);
    src += m[0].length === 1 ? '(\\d{1,2})' : m[0] === 'YYYY' ? '(\\d{4})' : '(\\d{2})';
    last = m.index + m[0].length;
  }
  src += format.slice(last).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return { re: new RegExp(`^${src}$`), keys };
}

const cache = new Map<string, { re: RegExp; keys: string[] }>();

export function parseByFormat(value: string, format: string): DateParts | undefined {
  let c = cache.get(format);
  if (!c) cache.set(format, (c = compile(format)));
  const m = c.re.exec(value);
  if (!m) return undefined;
  const p: DateParts = { y: 1970, mo: 1, d: 1, h: 0, mi: 0, s: 0 };
  c.keys.forEach((k, i) => {
    const n = Number(m[i + 1]);
    if (k === 'YYYY') p.y = n;
    else if (k === 'YY') p.y = 2000 + n;
    else if (k === 'MM' || k === 'M') p.mo = n;
    else if (k === 'DD' || k === 'D') p.d = n;
    else if (k === 'HH' || k === 'H') p.h = n;
    else if (k === 'mm') p.mi = n;
    else if (k === 'ss') p.s = n;
  });
  return p;
}

function validDate(p: DateParts): boolean {
  const t = new Date(Date.UTC(p.y, p.mo - 1, p.d));
  return t.getUTCFullYear() === p.y && t.getUTCMonth() === p.mo - 1 && t.getUTCDate() === p.d
    && p.h < 24 && p.mi < 60 && p.s < 60;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Offset of `zone` at the given UTC instant, in minutes (Intl, so any IANA zone works). */
export function zoneOffsetMinutes(zone: string, utcMs: number): number {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  const parts = Object.fromEntries(f.formatToParts(new Date(utcMs)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((asUtc - utcMs) / 60_000);
}

/** Local wall time in `zone` -> UTC ISO instant. */
export function localToUtc(p: DateParts, zone: string): string {
  const guess = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s);
  const off = zoneOffsetMinutes(zone, guess - zoneOffsetMinutes(zone, guess) * 60_000);
  return new Date(guess - off * 60_000).toISOString();
}

export function applyCast(value: string, cast: CastSpec, field: string, orgZone: string): unknown {
  if (typeof cast === 'string') {
    switch (cast) {
      case 'string': return value;
      case 'int': {
        if (!/^[+-]?\d+$/.test(value)) throw new RecordRejected('not_an_integer', `"${value}" is not a whole number`, field);
        return Number(value);
      }
      case 'decimal': return decimal(value, field);
      case 'bool': {
        const v = value.toLowerCase();
        if (['1', 'true', 'да', 'yes', 'y', 'д', '+'].includes(v)) return true;
        if (['0', 'false', 'нет', 'no', 'n', 'н', '-'].includes(v)) return false;
        throw new RecordRejected('not_a_boolean', `"${value}" is not yes/no`, field);
      }
      case 'mark': return parseMark(value);
    }
  }
  if (cast.type === 'decimal') return decimal(value, field);
  // ISO 8601 with an explicit offset is always accepted for datetimes.
  if (cast.type === 'datetime' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    const t = Date.parse(value);
    if (!Number.isNaN(t)) return new Date(t).toISOString();
  }
  const formats = Array.isArray(cast.format) ? cast.format : [cast.format];
  for (const f of formats) {
    const p = parseByFormat(value, f);
    if (!p) continue;
    if (!validDate(p)) throw new RecordRejected('invalid_date', `"${value}" is not a real ${cast.type}`, field);
    if (cast.type === 'date') {
      const iso = `${pad(p.y, 4)}-${pad(p.mo)}-${pad(p.d)}`;
      if (cast.past && iso > new Date().toISOString().slice(0, 10)) throw new RecordRejected('future_date', `"${value}" is in the future`, field);
      if (cast.min && iso < cast.min) throw new RecordRejected('implausible_date', `"${value}" is before ${cast.min}`, field);
      return iso;
    }
    if (cast.type === 'time') return `${pad(p.h)}:${pad(p.mi)}`;
    const zone = !cast.timeZone || cast.timeZone === 'organization' ? orgZone : cast.timeZone;
    return localToUtc(p, zone);
  }
  throw new RecordRejected('bad_date_format', `"${value}" does not match ${formats.join(' or ')}`, field);
}

function decimal(value: string, field: string): number {
  const v = value.replace(/\s/g, '').replace(',', '.');
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(v)) throw new RecordRejected('not_a_number', `"${value}" is not a number`, field);
  return Number(v);
}
