/**
 * Cell text read the way a school types it. The shared readers (src/io/xlsx.ts, delimited.ts)
 * hand out what the user sees: an Excel time as "8:30" or "08:30:00", an Excel date as
 * "10.09.2025", a number as "3"; CSV cells are typed text anyway.
 */
import { isIsoDate } from '../../src/domain/timetable/dates.ts';

/** `HH:MM` from "8:30", "08.30", "08:30:00" (seconds rounded: Excel stores a fraction of a day). */
export function cellTime(s: string): string | undefined {
  const m = /^(\d{1,2})[:.](\d{2})(?::(\d{2}))?$/.exec(s.trim());
  if (!m) return undefined;
  const total = Number(m[1]) * 60 + Number(m[2]) + (Number(m[3] ?? 0) >= 30 ? 1 : 0);
  if (Number(m[2]) > 59 || total >= 24 * 60) return undefined;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** ISO date from `ДД.ММ.ГГГГ` (Russian Excel) or `ГГГГ-ММ-ДД`. */
export function cellDate(s: string): string | undefined {
  const t = s.trim();
  const ru = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(t);
  const iso = ru ? `${ru[3]}-${ru[2]?.padStart(2, '0')}-${ru[1]?.padStart(2, '0')}` : t;
  return isIsoDate(iso) ? iso : undefined;
}

/** A whole number ≥ 0 ("3", or "3.0"/"3,0" from some exports). */
export function cellInt(s: string): number | undefined {
  const t = s.trim();
  if (!/^\d+([.,]0+)?$/.test(t)) return undefined;
  return Number(t.replace(/[.,]0+$/, ''));
}

/** "5Б, 6А" or "5Б; 6А" -> ["5Б", "6А"]. */
export function cellList(s: string): string[] {
  return s
    .split(/[,;]/)
    .map((x) => x.trim())
    .filter((x) => x !== '');
}
