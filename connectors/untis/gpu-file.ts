/**
 * One Untis GPU00x.TXT file as rows of fields (formats.md §2 "General rules"): no header row,
 * `,` and `"` by default but both user-configurable (`;` in Hessen and SVWS setups, tab, `'`).
 * A row csv-parse cannot read becomes a rejected row; the rest of the file is still read.
 */
import { parse } from 'csv-parse/sync';
import { sniffDelimiter } from '../../src/io/sniff-delimiter.ts';
import type { TimetableReject } from '../../src/domain/timetable/model.ts';

export interface GpuRow {
  /** 1-based line number in the file. */
  line: number;
  /** Trimmed field values; `field(n)` is 1-based like the Untis documentation. */
  field(n: number): string;
  raw: string[];
  position: string;
}

export interface GpuFormat {
  separator?: string;
  quote?: string;
  /** limits.maxFieldChars: a longer field rejects its row. */
  maxFieldChars?: number;
}

export function readGpuRows(
  name: string,
  text: string,
  format: GpuFormat,
  rejects: TimetableReject[],
  entity: TimetableReject['entity'] = 'lesson',
): GpuRow[] {
  const quote = format.quote ?? detectQuote(text);
  const delimiter = format.separator ?? sniffDelimiter(text, quote);
  // With `info: true` csv-parse returns {record, info} pairs; its typings do not say so.
  const records = parse(text, {
    delimiter,
    quote,
    bom: true,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err, raw) => {
      rejects.push({
        entity,
        position: `${name} line ${err?.lines ?? '?'}`,
        code: 'malformed_row',
        message: err?.message ?? 'the row cannot be read',
        data: raw ?? null,
      });
      return undefined;
    },
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const rows: GpuRow[] = [];
  for (const { record, info } of records) {
    if (record.every((f) => f.trim() === '')) continue;
    const position = `${name} line ${info.lines}`;
    const long = record.findIndex((f) => f.length > (format.maxFieldChars ?? Infinity));
    if (long >= 0) {
      const message = `field ${long + 1} has ${record[long]?.length} characters, the limit is ${format.maxFieldChars}`;
      rejects.push({ entity, position, code: 'field_too_long', message, field: String(long + 1), data: null });
      continue;
    }
    rows.push({ line: info.lines, raw: record, field: (n: number) => (record[n - 1] ?? '').trim(), position });
  }
  return rows;
}

/** `"` unless the file quotes its text fields with `'` and never with `"`. */
function detectQuote(text: string): string {
  const starts = (q: string): number => (text.match(new RegExp(`(^|[,;\\t|])${q}`, 'gm')) ?? []).length;
  return starts("'") > 0 && starts('"') === 0 ? "'" : '"';
}
