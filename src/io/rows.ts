/**
 * The row shape shared by the tabular readers (delimited text and xlsx): one header, then rows
 * keyed by header name. A row the reader cannot vouch for becomes an error row, so a connector can
 * turn it into a rejection and the run goes on.
 */
import type { Limits } from '../core/contract.ts';
import { PermanentError } from '../core/errors.ts';

export interface RowError {
  /** Stable snake_case code: column_count, field_too_long, record_too_large, formula_cell, ... */
  code: string;
  message: string;
  /** Header name of the offending column, when one column is to blame. */
  field?: string;
  /** The row as written (delimited text) or its cells joined by tabs (xlsx); capped in size. */
  raw: string;
}

export type DelimitedRow = { line: number; values: Record<string, string> } | { line: number; error: RowError };

export function isRowError(row: DelimitedRow): row is { line: number; error: RowError } {
  return 'error' in row;
}

/** A rejected row keeps enough of its raw text to be recognised, never an oversized payload. */
const RAW_CAP = 2000;

export function capRaw(raw: string): string {
  return raw.length <= RAW_CAP ? raw : `${raw.slice(0, RAW_CAP)}… (${raw.length} chars)`;
}

/**
 * Turns the header row into column names: trimmed, BOM-free. Blank names in the middle become
 * `column_<n>`; blank names at the end are dropped (Excel writes `a;b;c;;;` when a sheet had
 * formatted but empty columns). Duplicate names make the file unusable: which one would a mapping
 * mean?
 */
export function headerNames(cells: string[], file: string): string[] {
  const names = cells.map((c, i) => c.replace(/\uFEFF/g, '').trim() || `column_${i + 1}`);
  let end = cells.length;
  while (end > 0 && (cells[end - 1] ?? '').replace(/\uFEFF/g, '').trim() === '') end--;
  if (end === 0) throw new PermanentError('empty_header', `${file}: the header row is empty`);
  const kept = names.slice(0, end);
  const seen = new Set<string>();
  for (const name of kept) {
    if (seen.has(name)) {
      throw new PermanentError('duplicate_header', `${file}: column "${name}" appears twice in the header`);
    }
    seen.add(name);
  }
  return kept;
}

/** Column names for a file read without a header: "1", "2", ... (1-based, as a user counts). */
export function numberedNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(i + 1));
}

export function isBlank(cells: readonly string[]): boolean {
  return cells.every((c) => c.trim() === '');
}

/**
 * Keys one row's cells by the header, or explains why it cannot. Cells beyond the header are
 * tolerated only when empty (trailing separators), anything else is a column-count error.
 */
export function toRow(
  names: readonly string[],
  cells: readonly string[],
  line: number,
  raw: string,
  limits: Limits,
): DelimitedRow {
  const extra = cells.slice(names.length);
  if (cells.length < names.length || extra.some((c) => c.trim() !== '')) {
    return {
      line,
      error: {
        code: 'column_count',
        message: `expected ${names.length} columns, got ${cells.length}`,
        raw: capRaw(raw),
      },
    };
  }
  // A too-long field names its column, which helps the user more than "the row is too large".
  const tooLong = longField(names, cells, limits);
  if (tooLong) return { line, error: { ...tooLong, raw: capRaw(raw) } };
  if (Buffer.byteLength(raw, 'utf8') > limits.maxRecordBytes) {
    return {
      line,
      error: {
        code: 'record_too_large',
        message: `row is larger than ${limits.maxRecordBytes} bytes`,
        raw: capRaw(raw),
      },
    };
  }
  const values: Record<string, string> = {};
  names.forEach((name, i) => {
    values[name] = cells[i] ?? '';
  });
  return { line, values };
}

function longField(
  names: readonly string[],
  cells: readonly string[],
  limits: Limits,
): { code: string; message: string; field: string } | undefined {
  for (let i = 0; i < names.length; i++) {
    const cell = cells[i] ?? '';
    if (cell.length > limits.maxFieldChars) {
      const field = names[i] ?? String(i + 1);
      return {
        code: 'field_too_long',
        message: `column "${field}" has ${cell.length} characters, the limit is ${limits.maxFieldChars}`,
        field,
      };
    }
  }
  return undefined;
}
