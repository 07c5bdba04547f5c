/**
 * Delimited text files (CSV with `,` or `;`, Excel "Unicode text" with tabs) as rows keyed by the
 * header. Bad rows become error rows instead of aborting the file: one mistyped line in a roster of
 * a thousand must not stop the other 999.
 *
 * The file is decoded whole (decodeText needs all bytes to tell strict UTF-8 from Windows-1251);
 * limits.maxFileBytes bounds the memory this takes, and rows are still handed out one at a time.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse, type CsvError } from 'csv-parse';
import type { Limits } from '../core/contract.ts';
import { PermanentError } from '../core/errors.ts';
import { decodeText, type SingleByteFallback } from './decode.ts';
import { capRaw, headerNames, isBlank, numberedNames, toRow, type DelimitedRow } from './rows.ts';
import { sniffDelimiter } from './sniff-delimiter.ts';

export type { DelimitedRow, RowError } from './rows.ts';

export interface DelimitedOptions {
  limits: Limits;
  /** Detected from the header line among `;` tab `,` `|` when not given. */
  delimiter?: string;
  quote?: string;
  /** The first non-blank row names the columns (default). Without it columns are "1", "2", ... */
  header?: boolean;
  /** Encoding for files that are neither BOM-marked nor valid UTF-8 (default windows-1251). */
  fallback?: SingleByteFallback;
}

interface ParsedRecord {
  record: string[];
  /** Bytes of `buf` consumed up to the end of this record, its line break included. */
  info: { bytes: number };
}

export async function* readDelimited(file: string, opts: DelimitedOptions): AsyncGenerator<DelimitedRow> {
  const name = path.basename(file);
  const text = await readText(file, opts);
  const quote = opts.quote ?? '"';
  const delimiter = opts.delimiter ?? sniffDelimiter(text, quote);
  // Parsed as UTF-8 bytes so that csv-parse's byte offsets locate each row in `buf`: its own line
  // counter miscounts line breaks inside quoted fields.
  const buf = Buffer.from(text, 'utf8');

  // With relaxed quotes the only syntax error left is a quote never closed, which swallows the
  // rest of the file: it is reported after the rows before it.
  const skipped: string[] = [];
  const parser = parse(buf, {
    delimiter,
    quote,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    info: true,
    on_skip: (err: CsvError | undefined) => {
      skipped.push(err?.message ?? 'the row cannot be parsed');
      return undefined;
    },
  });

  let names: string[] | undefined = opts.header === false ? [] : undefined;
  let anyRow = false;
  let end = 0;
  let endLine = 1;
  for await (const rec of parser as AsyncIterable<ParsedRecord>) {
    const start = skipBreaks(buf, end);
    const line = endLine + countBreaks(buf, end, start);
    const raw = trimRaw(buf.toString('utf8', start, rec.info.bytes));
    endLine = line + countBreaks(buf, start, rec.info.bytes);
    end = rec.info.bytes;
    const cells = rec.record;
    if (isBlank(cells)) continue;
    anyRow = true;
    if (names === undefined) {
      names = headerNames(cells, name);
      continue;
    }
    if (names.length === 0) names = numberedNames(cells.length);
    yield toRow(names, cells, line, raw, opts.limits);
  }
  for (const message of skipped) {
    const start = skipBreaks(buf, end);
    const raw = capRaw(trimRaw(buf.toString('utf8', start)));
    yield { line: endLine + countBreaks(buf, end, start), error: { code: 'malformed_row', message, raw } };
  }
  if (!anyRow) throw new PermanentError('empty_file', `${name}: the file has no rows`);
}

async function readText(file: string, opts: DelimitedOptions): Promise<string> {
  const name = path.basename(file);
  const size = (await stat(file)).size;
  if (size > opts.limits.maxFileBytes) {
    throw new PermanentError(
      'file_too_large',
      `${name}: ${size} bytes, the limit is ${opts.limits.maxFileBytes} bytes`,
    );
  }
  const buf = await readFile(file);
  const { text } = decodeText(buf, opts.fallback ? { fallback: opts.fallback } : {});
  if (text.replace(/\uFEFF/g, '').trim() === '') {
    throw new PermanentError('empty_file', `${name}: the file is empty`);
  }
  return text;
}

/** Line breaks (CRLF, LF or a lone CR) in buf[from, to). */
function countBreaks(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const b = buf[i];
    if (b === 0x0a || (b === 0x0d && buf[i + 1] !== 0x0a)) n++;
  }
  return n;
}

/** The offset of the first byte after any run of line breaks (blank lines) from `from`. */
function skipBreaks(buf: Buffer, from: number): number {
  let i = from;
  while (buf[i] === 0x0a || buf[i] === 0x0d) i++;
  return i;
}

/** The row as written, without the line break that ends it. */
function trimRaw(raw: string): string {
  return raw.replace(/^[\r\n]+|[\r\n]+$/g, '');
}
