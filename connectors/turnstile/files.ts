/**
 * Which of a run's files feed which stream. Controllers and their software name exports as they
 * like, so by default a name mentioning cards (or users) is the card register and every other readable file
 * is an event log; `files.<stream>` patterns narrow this.
 */
import path from 'node:path';
import { open } from 'node:fs/promises';
import type { Limits } from '../../src/core/contract.ts';
import { PermanentError } from '../../src/core/errors.ts';
import type { TurnstileConfig, TurnstileStream } from './config.ts';

const CARD_WORDS = ['card', 'карт', 'реестр', 'user', 'пользоват'];
const TEXT = new Set(['.csv', '.txt', '.tsv', '.dat']);

export type Input = { kind: 'text' | 'attlog'; file: string; name: string } | { kind: 'xlsx'; file: string; name: string };

export async function inputsFor(stream: TurnstileStream, files: readonly string[], config: TurnstileConfig, limits: Limits): Promise<Input[]> {
  const pattern = config.files?.[stream];
  const inputs: Input[] = [];
  for (const file of files) {
    const name = path.basename(file);
    const ext = path.extname(name).toLowerCase();
    const isCards = CARD_WORDS.some((w) => name.toLowerCase().includes(w));
    const wanted = pattern ? glob(pattern).test(name) : (stream === 'cards') === isCards;
    if (!wanted) continue;
    if (ext === '.xlsx') inputs.push({ kind: 'xlsx', file, name });
    else if (TEXT.has(ext)) inputs.push({ kind: stream === 'events' && (await isAttlog(file, config, limits)) ? 'attlog' : 'text', file, name });
    else if (['.xls', '.xlsm', '.ods'].includes(ext)) throw new PermanentError('unsupported_file', `${name}: only .csv, .txt, .tsv, .dat and .xlsx are read; save the workbook as .xlsx or CSV`);
  }
  return inputs;
}

/** A ZKTeco attlog line: user id, TAB, "YYYY-MM-DD HH:MM:SS", TAB, more numbers; no header. */
const ATTLOG_LINE = /^\s*[^\t]+\t\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\t|$)/;

async function isAttlog(file: string, config: TurnstileConfig, limits: Limits): Promise<boolean> {
  if (config.log !== 'auto') return config.log === 'attlog';
  const fh = await open(file);
  const buf = Buffer.alloc(Math.min(4096, limits.maxRecordBytes));
  const { bytesRead } = await fh.read(buf, 0, buf.length, 0).finally(() => fh.close());
  const head = buf.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
  const first = head.split(/\r?\n/).find((l) => l.trim() !== '');
  return first !== undefined && ATTLOG_LINE.test(first);
}

function glob(pattern: string): RegExp {
  const src = [...pattern].map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${src}$`, 'i');
}
