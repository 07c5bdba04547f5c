/**
 * Which of the run's files (and which workbook sheets) feed a stream. Schools name their exports
 * as they like, so by default any name containing one of the stream's words, in English or
 * Russian, is taken; an instance narrows this with `files.<stream>` patterns.
 */
import path from 'node:path';
import type { Limits } from '../../src/core/contract.ts';
import { PermanentError } from '../../src/core/errors.ts';
import { listXlsxSheets } from '../../src/io/xlsx.ts';
import type { RosterConfig, RosterStream } from './config.ts';

const WORDS: Record<RosterStream, string[]> = {
  students: ['students', 'pupils', 'учащиеся', 'ученики', 'обучающиеся'],
  guardians: ['guardians', 'parents', 'родители', 'представители'],
  staff: ['staff', 'teachers', 'сотрудники', 'педагоги', 'учителя'],
  consents: ['consents', 'согласия'],
};

const TEXT = new Set(['.csv', '.txt', '.tsv']);
/** Spreadsheets a user plainly meant as input but that are not read: refused with a hint. */
const OTHER_SHEETS = new Set(['.xls', '.xlsm', '.xlsb', '.ods']);

export type Input =
  { kind: 'text'; file: string; name: string } | { kind: 'xlsx'; file: string; name: string; sheet: string };

export async function inputsFor(
  stream: RosterStream,
  files: readonly string[],
  config: RosterConfig,
  limits: Limits,
): Promise<Input[]> {
  const pattern = config.files?.[stream];
  const byName = (base: string) => (pattern ? glob(pattern).test(base) : hasWord(stream, base));
  const inputs: Input[] = [];
  for (const file of files) {
    const name = path.basename(file);
    const ext = path.extname(name).toLowerCase();
    if (ext === '.xlsx') {
      // An explicit pattern is the whole truth; by default any workbook may hold a named sheet.
      if (pattern && !byName(name)) continue;
      const sheet = await sheetFor(stream, file, byName(name), config, limits);
      if (sheet !== undefined) inputs.push({ kind: 'xlsx', file, name, sheet });
    } else if (byName(name) && TEXT.has(ext)) {
      inputs.push({ kind: 'text', file, name });
    } else if (byName(name) && OTHER_SHEETS.has(ext)) {
      throw new PermanentError(
        'unsupported_file',
        `${name}: only .csv, .txt, .tsv and .xlsx are read; save the workbook as .xlsx or CSV`,
      );
    }
  }
  return inputs;
}

/**
 * A sheet named after the stream wins (one workbook may hold the whole roster); otherwise a
 * workbook matched by file name gives the configured sheet or its first one.
 */
async function sheetFor(
  stream: RosterStream,
  file: string,
  matchedByName: boolean,
  config: RosterConfig,
  limits: Limits,
): Promise<string | undefined> {
  const sheets = await listXlsxSheets(file, limits);
  const named = sheets.find((s) => s.trim().toLowerCase() === stream || hasWord(stream, s));
  if (named !== undefined) return named;
  if (!matchedByName) return undefined;
  if (config.sheet !== undefined) {
    if (!sheets.includes(config.sheet)) {
      throw new PermanentError(
        'sheet_not_found',
        `${path.basename(file)}: no sheet "${config.sheet}"; sheets: ${sheets.join(', ')}`,
      );
    }
    return config.sheet;
  }
  return sheets[0];
}

function hasWord(stream: RosterStream, name: string): boolean {
  const lower = name.toLowerCase();
  return WORDS[stream].some((w) => lower.includes(w));
}

/** `*` any run of characters, `?` one character, the rest literal; whole name, any case. */
function glob(pattern: string): RegExp {
  const src = [...pattern]
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${src}$`, 'i');
}
