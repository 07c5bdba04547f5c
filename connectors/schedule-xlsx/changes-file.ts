/**
 * One daily-changes file, CSV or .xlsx (by extension), as table rows. CSV: header row, `;` `,`
 * tab or `|` detected, decoded by BOM, strict UTF-8, then the Windows fallback (src/io).
 * An .xlsx is read from its `Замены` sheet, or from its only sheet when it has one.
 */
import { basename, extname } from 'node:path';
import type { Limits } from '../../src/core/contract.ts';
import { PermanentError } from '../../src/core/errors.ts';
import type { TimetableReject } from '../../src/domain/timetable/model.ts';
import type { SingleByteFallback } from '../../src/io/decode.ts';
import { listXlsxSheets } from '../../src/io/xlsx.ts';
import { csvSource, findSheetName, sheetSource } from './sources.ts';
import { readTable, type TableRow, type TableSource } from './table.ts';
import { CHANGE_COLUMNS, CHANGES_SHEET } from './template.ts';

export type ChangeRow = TableRow<keyof typeof CHANGE_COLUMNS>;

export async function readChangesFile(
  file: string,
  limits: Limits,
  fallback: SingleByteFallback | undefined,
  rejects: TimetableReject[],
): Promise<ChangeRow[]> {
  return readTable(await changesSource(file, limits, fallback), CHANGE_COLUMNS, 'change', rejects);
}

async function changesSource(
  file: string,
  limits: Limits,
  fallback: SingleByteFallback | undefined,
): Promise<TableSource> {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv' || ext === '.txt') return csvSource(file, limits, fallback);
  if (ext !== '.xlsx') {
    throw new PermanentError('unsupported_file', `${basename(file)}: daily changes are read from .csv or .xlsx files`);
  }
  const named = await findSheetName(file, CHANGES_SHEET, limits);
  const sheets = named ? [named] : await listXlsxSheets(file, limits);
  const [sheet, ...others] = sheets;
  if (sheet === undefined || others.length > 0) {
    throw new PermanentError('sheet_missing', `${basename(file)} has no sheet "${CHANGES_SHEET}"`);
  }
  return sheetSource(file, sheet, limits);
}
