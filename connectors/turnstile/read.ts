/**
 * Rows of event logs and card registers as raw records. Reader error rows become rejections;
 * everything else goes to the mapping as the file wrote it (the mapping variant knows the vendor's
 * columns, date formats and direction codes). No checkpoints: a re-read is deduplicated anyway,
 * and the engine skips the records an interrupted run already committed.
 */
import type { ReadContext, ReadEvent } from '../../src/core/contract.ts';
import { readDelimited, type DelimitedRow } from '../../src/io/delimited.ts';
import { readXlsx } from '../../src/io/xlsx.ts';
import { withDirections, type AttlogRow } from './attlog.ts';
import type { TurnstileConfig, TurnstileStream } from './config.ts';
import type { Input } from './files.ts';

export async function* readInputs(stream: TurnstileStream, inputs: readonly Input[], config: TurnstileConfig, ctx: ReadContext): AsyncGenerator<ReadEvent> {
  for (const input of inputs) {
    if (input.kind === 'attlog') {
      yield* readAttlog(input, config, ctx);
      continue;
    }
    for await (const row of rowsOf(input, config, ctx)) {
      ctx.signal.throwIfAborted();
      yield toEvent(stream, input, row);
    }
  }
}

async function* readAttlog(input: Input, config: TurnstileConfig, ctx: ReadContext): AsyncGenerator<ReadEvent> {
  const good: AttlogRow[] = [];
  const order: DelimitedRow[] = [];
  for await (const row of readDelimited(input.file, { limits: ctx.limits, delimiter: '\t', header: false })) {
    order.push(row);
    if ('values' in row) good.push(row);
  }
  const directed = new Map(withDirections(good, config.attlogDirection, config.duplicateWindowSeconds).map((r) => [r.line, r]));
  for (const row of order) {
    ctx.signal.throwIfAborted();
    yield toEvent('events', input, directed.get(row.line) ?? row);
  }
}

function rowsOf(input: Input, config: TurnstileConfig, ctx: ReadContext): AsyncIterable<DelimitedRow> {
  if (input.kind === 'xlsx') return readXlsx(input.file, { limits: ctx.limits, ...(config.sheet ? { sheet: config.sheet } : {}) });
  const encoding = config.encoding ?? 'auto';
  return readDelimited(input.file, {
    limits: ctx.limits,
    ...(config.delimiter ? { delimiter: config.delimiter } : {}),
    ...(encoding === 'auto' ? {} : { fallback: encoding }),
  });
}

function toEvent(stream: TurnstileStream, input: Input, row: DelimitedRow): ReadEvent {
  const position = `${input.name} ${input.kind === 'xlsx' ? 'row' : 'line'} ${row.line}`;
  if ('error' in row) {
    const { code, message, field, raw } = row.error;
    return { kind: 'reject', stream, data: raw, position, code, message, ...(field ? { field } : {}) };
  }
  return { kind: 'record', stream, data: row.values, position };
}
