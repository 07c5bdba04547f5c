/**
 * The school's electronic journal: marks, per-lesson attendance, lesson topics, homework and the
 * period marks teachers set. The journal pushes JSON batches to POST /ingest/<instance> with an
 * API client token of scope `ingest:journal`; an export in the same fields may also be dropped as
 * CSV. Every item is idempotent by the journal's own id; deletions are soft. See README.md.
 */
import path from 'node:path';
import { defineConnector } from '../../src/core/contract.ts';
import { PermanentError } from '../../src/core/errors.ts';
import { tableKind, tableRecords } from '../../src/io/tabular.ts';
import { parseBatch } from './batch.ts';
import { journalConfig, JOURNAL_STREAMS, type JournalConfig, type JournalStream } from './config.ts';

const isStream = (s: string): s is JournalStream => s in JOURNAL_STREAMS;
const named = (file: string, s: JournalStream) => JOURNAL_STREAMS[s].words.some((w) => file.toLowerCase().includes(w));

export default defineConnector<JournalConfig>({
  id: 'journal',
  version: '1.0.0',
  description: 'Electronic journal: marks, attendance, lesson topics, homework, period marks (push API or export files)',
  configSchema: journalConfig,
  streams: [
    { name: 'marks', primaryKey: ['id'], kind: 'events' },
    { name: 'attendance', primaryKey: ['id'], kind: 'events' },
    { name: 'topics', primaryKey: ['id'], kind: 'events' },
    { name: 'homework', primaryKey: ['id'], kind: 'events' },
    { name: 'period_marks', primaryKey: ['id'], kind: 'events', dependsOn: ['marks'] },
  ],
  check: async () => {},
  async *read(stream, config, ctx) {
    if (!isStream(stream)) throw new PermanentError('unknown_stream', `journal has no stream "${stream}"`);
    for (const file of ctx.files) {
      const name = path.basename(file);
      // "period-marks.csv" names the period marks, not the marks.
      if (!tableKind(file) || !named(name, stream) || (stream === 'marks' && named(name, 'period_marks'))) continue;
      yield* tableRecords(stream, file, { limits: ctx.limits, delimiter: config.delimiter, ...(config.encoding === 'auto' ? {} : { fallback: config.encoding }) });
    }
  },
  ingest: {
    scope: 'ingest:journal',
    // With `scope` the route authenticates the API client itself and never calls verify().
    async verify() {
      throw new PermanentError('bad_signature', 'the journal pushes with an API client token of scope ingest:journal');
    },
    parse: (body) => parseBatch(body),
  },
});
