/**
 * Rows of a sheet or CSV (from the shared readers in src/io) keyed by the template's columns.
 * Columns are found by header text, not position, so a school may reorder them or add its own;
 * headers match trimmed, case-insensitively, ё = е. A missing required column makes the file
 * unusable, and every missing one is named at once. Rows the reader could not vouch for
 * (formula cells, too-long fields, bad quoting) become rejects.
 */
import { PermanentError } from '../../src/core/errors.ts';
import type { TimetableReject } from '../../src/domain/timetable/model.ts';
import type { DelimitedRow } from '../../src/io/rows.ts';
import { type ColumnDef, normalizeHeader } from './template.ts';

export interface TableRow<K extends string> {
  /** "Уроки!A7", "changes.csv line 7". */
  position: string;
  /** Trimmed cell text; '' for an absent optional column. */
  text(column: K): string;
  /** The row as the reader gave it, for the rejected-records store. */
  raw: Record<string, string>;
}

export interface TableSource {
  /** For messages: "sample.xlsx sheet Уроки". */
  name: string;
  rows: AsyncIterable<DelimitedRow>;
  position(line: number): string;
}

export async function readTable<K extends string>(
  source: TableSource,
  columns: Record<K, ColumnDef>,
  entity: TimetableReject['entity'],
  rejects: TimetableReject[],
): Promise<TableRow<K>[]> {
  const keys = Object.keys(columns) as K[];
  let headerOf: Map<K, string> | undefined;
  const out: TableRow<K>[] = [];
  for await (const row of source.rows) {
    const position = source.position(row.line);
    if ('error' in row) {
      const { code, message, field, raw } = row.error;
      rejects.push({ entity, position, code, message, ...(field !== undefined && { field }), data: raw });
      continue;
    }
    headerOf ??= matchHeader(source.name, Object.keys(row.values), columns, keys);
    const header = headerOf;
    const text = (k: K): string => {
      const h = header.get(k);
      return h === undefined ? '' : (row.values[h] ?? '').trim();
    };
    out.push({ position, text, raw: row.values });
  }
  return out;
}

function matchHeader<K extends string>(
  source: string,
  names: string[],
  columns: Record<K, ColumnDef>,
  keys: K[],
): Map<K, string> {
  const byNormal = new Map<string, string>();
  for (const n of names) if (!byNormal.has(normalizeHeader(n))) byNormal.set(normalizeHeader(n), n);
  const found = new Map<K, string>();
  const missing: string[] = [];
  for (const k of keys) {
    const h = byNormal.get(normalizeHeader(columns[k].header));
    if (h !== undefined) found.set(k, h);
    else if (columns[k].required) missing.push(`"${columns[k].header}"`);
  }
  if (missing.length > 0) {
    throw new PermanentError('missing_column', `${source}: the header row lacks the column(s) ${missing.join(', ')}`);
  }
  return found;
}
