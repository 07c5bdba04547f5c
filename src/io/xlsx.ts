/**
 * Excel workbooks (.xlsx) as rows keyed by the header, in the same shape as delimited files.
 *
 * Formula cells are refused (row error `formula_cell`): nothing here evaluates formulas, and the
 * cached result stored in the file is whatever the last program that saved it claimed.
 *
 * Decision: the workbook is loaded whole (exceljs' JSZip reader), not through its streaming
 * WorkbookReader. That reader sits on unzipper 0.10, whose Parse stream emits 'end' as soon as its
 * input is written (unzipper lib/parse.js), sometimes before the last archive entries are handed
 * out. exceljs itself writes xl/workbook.xml last, so about one read in fifteen lost the sheet
 * names and failed with "Cannot read properties of undefined (reading 'sheets')" (the symptom of
 * exceljs issue #962). limits.maxFileBytes bounds the memory taken; a school's roster is small.
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

export async function listXlsxSheets(file: string, limits: Limits): Promise<string[]> {
  return (await loadWorkbook(file, limits)).worksheets.map((ws) => ws.name);
}

export async function* readXlsx(file: string, opts: XlsxOptions): AsyncGenerator<DelimitedRow> {
  const base = path.basename(file);
  const sheets = (await loadWorkbook(file, opts.limits)).worksheets;
  const wanted = opts.sheet ?? 1;
  const sheet = typeof wanted === 'number' ? sheets[wanted - 1] : sheets.find((ws) => ws.name === wanted);
  if (!sheet) {
    throw new PermanentError(
      'sheet_not_found',
      `${base}: no sheet ${typeof wanted === 'number' ? `number ${wanted}` : `"${wanted}"`}; sheets: ${sheets.map((ws) => ws.name).join(', ')}`,
    );
  }
  yield* sheetRows(sheet, `${base} sheet "${sheet.name}"`, opts);
}

async function loadWorkbook(file: string, limits: Limits): Promise<ExcelJS.Workbook> {
  const base = path.basename(file);
  const size = (await stat(file)).size;
  if (size > limits.maxFileBytes) {
    throw new PermanentError('file_too_large', `${base}: ${size} bytes, the limit is ${limits.maxFileBytes} bytes`);
  }
  if (size === 0) throw new PermanentError('empty_file', `${base}: the file is empty`);
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.readFile(file);
  } catch (err) {
    throw new PermanentError('unreadable_xlsx', `${base}: not a readable .xlsx workbook (${String(err)})`, {
      cause: err,
    });
  }
  return book;
}

async function* sheetRows(sheet: ExcelJS.Worksheet, where: string, opts: XlsxOptions): AsyncGenerator<DelimitedRow> {
  let names: string[] | undefined = opts.header === false ? [] : undefined;
  for (let n = 1; n <= sheet.rowCount; n++) {
    const row = sheet.findRow(n);
    if (!row) continue;
    const cells: string[] = [];
    const problems: Array<{ col: number; code: string; detail: string }> = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      while (cells.length < col - 1) cells.push('');
      // A merged range holds its value in the top-left cell only; the others read as empty.
      const c =
        cell.type === ExcelJS.ValueType.Merge
          ? { text: '' }
          : cell.type === ExcelJS.ValueType.Formula
            ? { problem: 'formula_cell' as const, detail: `=${cell.formula ?? ''}` }
            : cellText(cell.value);
      if ('text' in c) cells.push(c.text);
      else {
        cells.push(c.detail);
        problems.push({ col, code: c.problem, detail: c.detail });
      }
    });
    if (problems.length === 0 && isBlank(cells)) continue;
    const raw = cells.join('\t');
    if (names === undefined) {
      if (problems.length > 0) {
        throw new PermanentError(
          'formula_cell',
          `${where}: the header row (row ${row.number}) has a formula or error cell`,
        );
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
