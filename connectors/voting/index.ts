/**
 * Classroom response ("voting") systems: session results exported as CSV or .xlsx, long (one row
 * per participant and question) or wide (one column per question). Participants are remotes;
 * the participant register of the assessment-register connector says whose remote it is in each
 * class. One session gives one score per participant. See README.md.
 */
import path from 'node:path';
import { defineConnector, type ReadEvent } from '../../src/core/contract.ts';
import { PermanentError } from '../../src/core/errors.ts';
import { fileGlob, tableKind, tableRecords } from '../../src/io/tabular.ts';
import { votingConfig, type VotingConfig } from './config.ts';
import { detectLayout } from './layout.ts';
import { SessionBook } from './sessions.ts';

export default defineConnector<VotingConfig>({
  id: 'voting',
  version: '1.0.0',
  description: 'Classroom response systems (clickers): session results in CSV or .xlsx, long or wide -> diary marks',
  configSchema: votingConfig,
  streams: [{ name: 'results', primaryKey: ['test_id', 'participant'], kind: 'events' }],
  check: async () => {},
  async *read(stream, config, ctx) {
    if (stream !== 'results') throw new PermanentError('unknown_stream', `voting has no stream "${stream}"`);
    const wanted = fileGlob(config.files);
    for (const file of ctx.files) {
      if (!tableKind(file) || !wanted.test(path.basename(file))) continue;
      ctx.signal.throwIfAborted();
      yield* readSessions(file, config, ctx.limits);
    }
  },
});

async function* readSessions(file: string, config: VotingConfig, limits: Parameters<typeof tableRecords>[2]['limits']): AsyncGenerator<ReadEvent> {
  const name = path.basename(file);
  let book: SessionBook | undefined;
  const opts = { limits, delimiter: config.delimiter, sheet: config.sheet, ...(config.encoding === 'auto' ? {} : { fallback: config.encoding }) };
  for await (const ev of tableRecords('results', file, opts)) {
    if (ev.kind === 'reject') {
      yield ev;
      continue;
    }
    const values = ev.data as Record<string, string>;
    if (!book) {
      const layout = detectLayout(Object.keys(values), config);
      if ('problem' in layout) {
        yield { kind: 'reject', stream: 'results', data: null, position: name, code: 'unknown_layout', message: `${name}: not a voting export this connector can read: ${layout.problem}` };
        return;
      }
      book = new SessionBook(layout, path.basename(file, path.extname(file)), config.pointsPerQuestion);
    }
    book.add(values, ev.position);
  }
  if (!book) return;
  yield* book.rejects;
  for (const r of book.results()) yield 'kind' in r ? r : { kind: 'record', stream: 'results', ...r };
}
