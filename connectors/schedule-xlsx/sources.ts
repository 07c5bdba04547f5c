/** Where template rows come from: a named sheet of an .xlsx, or a CSV with a header row. */
import { basename } from 'node:path';
import type { Limits } from '../../src/core/contract.ts';
import { readDelimited } from '../../src/io/delimited.ts';
import type { SingleByteFallback } from '../../src/io/decode.ts';
import { listXlsxSheets, readXlsx } from '../../src/io/xlsx.ts';
import type { TableSource } from './table.ts';

/** Sheet names match trimmed and case-insensitively ("уроки ", "УРОКИ"). */
export async function findSheetName(file: string, wanted: string, limits: Limits): Promise<string | undefined> {
  const want = wanted.trim().toLowerCase();
  return (await listXlsxSheets(file, limits)).find((s) => s.trim().toLowerCase() === want);
}

export function sheetSource(file: string, sheet: string, limits: Limits): TableSource {
  return {
    name: `${basename(file)} sheet "${sheet}"`,
    rows: readXlsx(file, { limits, sheet }),
    position: (line) => `${sheet}!A${line}`,
  };
}

export function csvSource(file: string, limits: Limits, fallback: SingleByteFallback | undefined): TableSource {
  const name = basename(file);
  return {
    name,
    rows: readDelimited(file, { limits, ...(fallback && { fallback }) }),
    position: (line) => `${name} line ${line}`,
  };
}
