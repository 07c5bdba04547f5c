/**
 * One door for tabular input files: delimited text (.csv, .txt, .tsv) or an .xlsx workbook, as
 * rows keyed by the header (rows.ts). Connectors whose users export "a table" in whatever form
 * their program offers read through here, and check cells a spreadsheet would run as formulas.
 */
import path from 'node:path';
import type { Limits, RawRecord, RejectEvent } from '../core/contract.ts';
import { PermanentError } from '../core/errors.ts';
import type { SingleByteFallback } from './decode.ts';
import { readDelimited } from './delimited.ts';
import { isFormulaInjection } from './injection.ts';
import type { DelimitedRow } from './rows.ts';
import { readXlsx } from './xlsx.ts';

export type TableKind = 'text' | 'xlsx';

const TEXT = new Set(['.csv', '.txt', '.tsv']);

export function tableKind(file: string): TableKind | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.xlsx') return 'xlsx';
  return TEXT.has(ext) ? 'text' : undefined;
}

export interface TableOptions {
  limits: Limits;
  delimiter?: string | undefined;
  fallback?: SingleByteFallback | undefined;
  sheet?: string | number | undefined;
  header?: boolean | undefined;
}

export function readTable(file: string, opts: TableOptions): AsyncGenerator<DelimitedRow> {
  const header = opts.header === undefined ? {} : { header: opts.header };
  if (tableKind(file) === 'xlsx') return readXlsx(file, { limits: opts.limits, ...header, ...(opts.sheet !== undefined ? { sheet: opts.sheet } : {}) });
  return readDelimited(file, {
    limits: opts.limits, ...header,
    ...(opts.delimiter ? { delimiter: opts.delimiter } : {}),
    ...(opts.fallback ? { fallback: opts.fallback } : {}),
  });
}

/** The first cell that starts like a spreadsheet formula, as [column, value]. */
export function formulaCell(values: Record<string, string>): [string, string] | undefined {
  return Object.entries(values).find(([, v]) => isFormulaInjection(v));
}

export function formulaMessage([field, value]: [string, string]): string {
  return `column "${field}" starts like a spreadsheet formula (${JSON.stringify(value.slice(0, 40))})`;
}

/** `*` any run of characters, `?` one character, the rest literal; whole name, any case. */
export function fileGlob(pattern: string): RegExp {
  const src = [...pattern].map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${src}$`, 'i');
}

/**
 * A file's rows as raw records of `stream`; error rows and formula cells become rejections. A
 * file that cannot be read at all (over the size limit, empty, not a workbook) becomes one
 * rejection naming the file, so the other files of the run still load.
 */
export async function* tableRecords(stream: string, file: string, opts: TableOptions): AsyncGenerator<RawRecord | RejectEvent> {
  const name = path.basename(file);
  const where = (line: number) => (tableKind(file) === 'xlsx' ? `${name} row ${line}` : `${name} line ${line}`);
  try {
    for await (const row of readTable(file, opts)) {
      if ('error' in row) {
        const { code, message, field, raw } = row.error;
        yield { kind: 'reject', stream, data: raw, position: where(row.line), code, message, ...(field ? { field } : {}) };
        continue;
      }
      const formula = formulaCell(row.values);
      if (formula) {
        yield { kind: 'reject', stream, data: row.values, position: where(row.line), field: formula[0], code: 'formula_injection', message: formulaMessage(formula) };
        continue;
      }
      yield { kind: 'record', stream, data: row.values, position: where(row.line) };
    }
  } catch (err) {
    if (!(err instanceof PermanentError)) throw err;
    yield { kind: 'reject', stream, data: null, position: name, code: err.code, message: err.message };
  }
}
