/**
 * Birth dates as people type them in rosters: "05.03.2014", "5.3.2014", "2014-03-05", and the
 * "05.03.2014 0:00:00" that 1С and Excel append when a date column went through a datetime.
 */
import { RecordRejected } from '../../core/errors.ts';

const RUSSIAN = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?: 0?0:00(?::00)?)?$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00)?)?$/;
const EARLIEST = '1900-01-01';

/**
 * Returns the ISO date (YYYY-MM-DD). Rejects with field `birth_date`: `invalid_date` (not a date,
 * or a day that does not exist such as 31.02.2015), `future_date` (after today), `implausible_date`
 * (before 1900). "Today" is the calendar date of `today` in `timeZone` (the organization's zone;
 * UTC when not given), so a child born this morning in Samara is not "in the future".
 */
export function parseBirthDate(raw: string, today: Date, timeZone = 'UTC'): string {
  const s = raw.trim();
  const ru = RUSSIAN.exec(s);
  const iso = ru ? undefined : ISO.exec(s);
  const parts = ru ? [ru[3], ru[2], ru[1]] : iso ? [iso[1], iso[2], iso[3]] : undefined;
  if (!parts) {
    throw new RecordRejected('invalid_date', `"${raw}" is not a date (ДД.ММ.ГГГГ expected)`, 'birth_date');
  }
  const [y, m, d] = parts.map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) {
    throw new RecordRejected('invalid_date', `"${raw}" is not a real date`, 'birth_date');
  }
  const date = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (date < EARLIEST) {
    throw new RecordRejected('implausible_date', `"${raw}" is before 1900`, 'birth_date');
  }
  const now = calendarDate(today, timeZone);
  if (date > now) {
    throw new RecordRejected('future_date', `"${raw}" is in the future (today is ${now})`, 'birth_date');
  }
  return date;
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
function calendarDate(at: Date, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
