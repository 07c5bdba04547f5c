/**
 * Reads one whole input file after checking it against the size limit, so an oversized drop
 * never reaches a parser that holds the whole file in memory (fast-xml-parser and exceljs do).
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Limits } from '../core/contract.ts';
import { PermanentError } from '../core/errors.ts';

export async function readInputFile(path: string, limits: Pick<Limits, 'maxFileBytes'>): Promise<Buffer> {
  const name = basename(path);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (err) {
    throw new PermanentError('file_not_found', `${name}: cannot read the file`, { cause: err });
  }
  if (size > limits.maxFileBytes) {
    throw new PermanentError(
      'file_too_large',
      `${name} is ${size} bytes, the limit is ${limits.maxFileBytes} (limits.maxFileBytes)`,
    );
  }
  if (size === 0) throw new PermanentError('empty_file', `${name} is empty`);
  return readFile(path);
}
