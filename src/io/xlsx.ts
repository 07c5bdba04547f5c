/**
 * Excel workbooks (.xlsx) as rows keyed by the header, in the same shape as delimited files.
 * Read with exceljs' streaming WorkbookReader: rows are handed out as the sheet XML is parsed, so a
 * city-wide roster does not have to fit in memory as a workbook model.
 *
 * Formula cells are refused (row error `formula_cell`): nothing here evaluates formulas, and the
 * cached result stored in the file is whatever the last program that saved it claimed.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Limits } from '../core/contract.ts';
import { PermanentError } from '../core/errors.ts';
import { capRaw, headerNames, isBlank, numberedNames, toRow, type DelimitedRow } from './rows.ts';
import { cellText } from './xlsx-cell.ts';

export interface XlsxOptions {
  limits: Limits;
  /** Sheet name, or 1-based position in the workbook's tab order; the first sheet by default. */
  sheet?: string | number;
  /** The first non-blank row names the columns (default). Without it columns are "1", "2", ... */
  header?: boolean;
}

/** What exceljs' typings leave out of the streaming readers. */
interface SheetReader extends AsyncIterable<ExcelJS.Row> {
  name?: string;
}
interface BookReader extends AsyncIterable<SheetReader> {
  model?: { sheets?: Array<{ name?: string }> };
}

export async function listXlsxSheets(file: string, limits: Limits): Promise<string[]> {
  const names: string[] = [];
  for await (const { name } of sheets(file, limits)) names.push(name);
  return names;
}

export async function* readXlsx(file: string, opts: XlsxOptions): AsyncGenerator<DelimitedRow> {
  const base = path.basename(file);
  const wanted = opts.sheet ?? 1;
  const available: string[] = [];
  let found = false;
  for await (const s of sheets(file, opts.limits)) {
    available.push(s.name);
    if (found || !(wanted === s.name || wanted === s.position)) continue;
    found = true;
    yield* sheetRows(s.reader, `${base} sheet "${s.name}"`, opts);
  }
  if (!found) {
    throw new PermanentError(
      'sheet_not_found',
      `${base}: no sheet ${typeof wanted === 'number' ? `number ${wanted}` : `"${wanted}"`}; sheets: ${available.join(', ')}`,
    );
  }
}

/**
 * Every worksheet with its name and tab position. The whole archive is walked even when only one
 * sheet is wanted, so the file is always read to its end and closed.
 */
async function* sheets(
  file: string,
  limits: Limits,
): AsyncGenerator<{ name: string; position: number; reader: SheetReader }> {
  const base = path.basename(file);
  const size = (await stat(file)).size;
  if (size > limits.maxFileBytes) {
    throw new PermanentError('file_too_large', `${base}: ${size} bytes, the limit is ${limits.maxFileBytes} bytes`);
  }
  if (size === 0) throw new PermanentError('empty_file', `${base}: the file is empty`);
  const book = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles carry the number formats that tell a date from a number.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  }) as unknown as BookReader;
  let index = 0;
  try {
    for await (const reader of book) {
      index++;
      const tabs = (book.model?.sheets ?? []).map((s) => s.name);
      const name = reader.name ?? `sheet${index}`;
      const tab = tabs.indexOf(name);
      yield { name, position: tab >= 0 ? tab + 1 : index, reader };
    }
  } catch (err) {
    if (err instanceof PermanentError) throw err;
    throw new PermanentError('unreadable_xlsx', `${base}: not a readable .xlsx workbook (${String(err)})`, {
      cause: err,
    });
  }
}

async function* sheetRows(reader: SheetReader, where: string, opts: XlsxOptions): AsyncGenerator<DelimitedRow> {
  let names: string[] | undefined = opts.header === false ? [] : undefined;
  for await (const row of reader) {
    const values = row.values as unknown[];
    const cells: string[] = [];
    const problems: Array<{ col: number; code: string; detail: string }> = [];
    for (let col = 1; col < values.length; col++) {
      const c = cellText(values[col]);
      if ('text' in c) cells.push(c.text);
      else {
        cells.push(c.detail);
        problems.push({ col, code: c.problem, detail: c.detail });
      }
    }
    if (problems.length === 0 && isBlank(cells)) continue;
    const raw = cells.join('\t');
    if (names === undefined) {
      if (problems.length > 0) {
        throw new PermanentError('formula_cell', `${where}: the header row (row ${row.number}) has a formula or error cell`);
      }
      names = headerNames(cells, where);
      continue;
    }
    // Without a header an xlsx row has no "expected" width: each row is keyed by its own cells.
    const keys = names.length === 0 ? numberedNames(cells.length) : names;
    const problem = problems[0];
    if (problem) {
      const field = keys[problem.col - 1] ?? String(problem.col);
      const cell = `${columnLetter(problem.col)}${row.number}`;
      const message =
        problem.code === 'formula_cell'
          ? `column "${field}" (cell ${cell}) holds a formula ${problem.detail}; formulas are not evaluated, paste the values instead`
          : `column "${field}" (cell ${cell}) holds ${problem.detail}`;
      yield { line: row.number, error: { code: problem.code, message, field, raw: capRaw(raw) } };
      continue;
    }
    while (cells.length < keys.length) cells.push('');
    yield toRow(keys, cells, row.number, raw, opts.limits);
  }
  if (names === undefined) throw new PermanentError('empty_sheet', `${where}: the sheet has no rows`);
}

function columnLetter(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
