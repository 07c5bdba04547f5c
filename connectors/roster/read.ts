/**
 * Rows of a stream's input files as raw records. The reader's error rows, cells that a spreadsheet
 * would run as formulas, and repeated rows become rejections; everything else goes to the mapping
 * untouched (trimming and casting are the mapping's job).
 */
import { createHash } from 'node:crypto';
import type { ReadContext, ReadEvent } from '../../src/core/contract.ts';
import { readDelimited, type DelimitedRow } from '../../src/io/delimited.ts';
import { isFormulaInjection } from '../../src/io/injection.ts';
import { readXlsx } from '../../src/io/xlsx.ts';
import type { RosterConfig, RosterState, RosterStream } from './config.ts';
import type { Input } from './inputs.ts';

/** Rows between checkpoints: a crashed run re-reads at most this many. */
export const CHECKPOINT_EVERY = 1000;

export async function* readInputs(
  stream: RosterStream,
  inputs: readonly Input[],
  config: RosterConfig,
  ctx: ReadContext<RosterState>,
): AsyncGenerator<ReadEvent<RosterState>> {
  let start = 0;
  let skipTo = 0;
  if (ctx.state) {
    const at = inputs.findIndex((i) => i.name === ctx.state?.file);
    if (at >= 0) {
      start = at;
      skipTo = ctx.state.line;
    } else {
      ctx.log.warn('roster: checkpoint file is not among the inputs, reading everything again', {
        stream,
        file: ctx.state.file,
      });
    }
  }
  let sinceCheckpoint = 0;
  for (let i = start; i < inputs.length; i++) {
    const input = inputs[i];
    if (!input) continue;
    const resumeAfter = i === start ? skipTo : 0;
    const firstSeen = new Map<string, number>();
    let lastLine = 0;
    for await (const row of rowsOf(input, config, ctx)) {
      ctx.signal.throwIfAborted();
      lastLine = row.line;
      if (row.line <= resumeAfter) {
        // Already committed, but still remembered so a later copy of it is caught as a duplicate.
        if ('values' in row) firstSeen.set(rowKey(row.values), row.line);
        continue;
      }
      yield toEvent(stream, input, row, firstSeen);
      if (++sinceCheckpoint >= CHECKPOINT_EVERY) {
        sinceCheckpoint = 0;
        yield { kind: 'checkpoint', state: { file: input.name, line: row.line } };
      }
    }
    if (sinceCheckpoint > 0 && lastLine > resumeAfter) {
      sinceCheckpoint = 0;
      yield { kind: 'checkpoint', state: { file: input.name, line: lastLine } };
    }
  }
}

function rowsOf(input: Input, config: RosterConfig, ctx: ReadContext<RosterState>): AsyncIterable<DelimitedRow> {
  if (input.kind === 'xlsx') return readXlsx(input.file, { limits: ctx.limits, sheet: input.sheet });
  const encoding = config.encoding ?? 'auto';
  return readDelimited(input.file, {
    limits: ctx.limits,
    ...(config.delimiter ? { delimiter: config.delimiter } : {}),
    ...(encoding === 'auto' ? {} : { fallback: encoding }),
  });
}

function toEvent(
  stream: RosterStream,
  input: Input,
  row: DelimitedRow,
  firstSeen: Map<string, number>,
): ReadEvent<RosterState> {
  const position = positionOf(input, row.line);
  if ('error' in row) {
    const { code, message, field, raw } = row.error;
    return { kind: 'reject', stream, data: raw, position, code, message, ...(field ? { field } : {}) };
  }
  const values = row.values;
  const injected = Object.entries(values).find(([, v]) => isFormulaInjection(v));
  if (injected) {
    const [field, value] = injected;
    return {
      kind: 'reject',
      stream,
      data: values,
      position,
      field,
      code: 'formula_injection',
      message: `column "${field}" starts like a spreadsheet formula (${JSON.stringify(value.slice(0, 40))})`,
    };
  }
  const key = rowKey(values);
  const first = firstSeen.get(key);
  if (first !== undefined) {
    return {
      kind: 'reject',
      stream,
      data: values,
      position,
      code: 'duplicate_row',
      message: `the same row as ${input.kind === 'xlsx' ? 'row' : 'line'} ${first}`,
    };
  }
  firstSeen.set(key, row.line);
  return { kind: 'record', stream, data: values, position };
}

export function positionOf(input: Input, line: number): string {
  return input.kind === 'xlsx' ? `${input.name} sheet "${input.sheet}" row ${line}` : `${input.name} line ${line}`;
}

/** Whole-row identity, blind to stray spaces; hashed so a big file's memory stays small. */
function rowKey(values: Record<string, string>): string {
  const cells = Object.values(values).map((v) => v.trim());
  return createHash('sha1').update(JSON.stringify(cells)).digest('base64');
}
