/**
 * One xlsx cell value (as exceljs hands it out) turned into the text a Russian user sees and would
 * have typed: the same text the sheet would give when saved as CSV, so a mapping works for both.
 */

export type CellText =
  { text: string } | { problem: 'formula_cell' | 'cell_error' | 'unreadable_cell'; detail: string };

export function cellText(value: unknown): CellText {
  if (value === null || value === undefined) return { text: '' };
  if (typeof value === 'string') return { text: value };
  if (typeof value === 'number') return { text: String(value) };
  // Russian Excel writes booleans as ИСТИНА / ЛОЖЬ in its CSV.
  if (typeof value === 'boolean') return { text: value ? 'ИСТИНА' : 'ЛОЖЬ' };
  if (value instanceof Date) return { text: dateText(value) };
  if (typeof value !== 'object') return { problem: 'unreadable_cell', detail: typeof value };
  const v = value as Record<string, unknown>;
  // A formula's cached result may be stale or forged (the file is not recalculated here), and the
  // formula itself is code: neither is trusted as data.
  if ('formula' in v || 'sharedFormula' in v) {
    const f = typeof v['formula'] === 'string' ? v['formula'] : String(v['sharedFormula'] ?? '');
    return { problem: 'formula_cell', detail: `=${f}` };
  }
  if ('error' in v) return { problem: 'cell_error', detail: String(v['error']) };
  if (Array.isArray(v['richText'])) {
    const parts = v['richText'] as Array<{ text?: unknown }>;
    return { text: parts.map((p) => (typeof p.text === 'string' ? p.text : '')).join('') };
  }
  // Hyperlink cells: the text shown, not the target.
  if ('text' in v) return cellText(v['text']);
  return { problem: 'unreadable_cell', detail: JSON.stringify(value).slice(0, 100) };
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * exceljs turns date serials into Date objects at UTC midnight (no zone in xlsx), so the UTC
 * components are the calendar date the user typed. A time-only cell sits on Excel's day zero.
 */
function dateText(d: Date): string {
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  const withSeconds = d.getUTCSeconds() === 0 ? time : `${time}:${pad(d.getUTCSeconds())}`;
  const dayZero = d.getUTCFullYear() === 1899 && d.getUTCMonth() === 11 && d.getUTCDate() === 30;
  if (dayZero) return withSeconds;
  const date = `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}`;
  const midnight = d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0;
  return midnight ? date : `${date} ${withSeconds}`;
}
