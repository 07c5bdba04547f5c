/**
 * IMS QTI 2.1 / 2.2 / 3.0 assessmentResult files from a testing system: one file per learner and
 * test, dropped in a folder. Each becomes one result record (learner, test, score, maximum,
 * time); a file that cannot be used becomes one rejection naming the file, and the others load.
 * See README.md.
 */
import path from 'node:path';
import { defineConnector } from '../../src/core/contract.ts';
import { PermanentError } from '../../src/core/errors.ts';
import { decodeText } from '../../src/io/decode.ts';
import { readInputFile } from '../../src/io/read-input.ts';
import { fileGlob } from '../../src/io/tabular.ts';
import { qtiConfig, type QtiConfig } from './config.ts';
import { parseQtiResult, type QtiResult } from './parse.ts';

export default defineConnector<QtiConfig>({
  id: 'qti-results',
  version: '1.0.0',
  description: 'IMS QTI 2.1/2.2/3.0 assessmentResult files (computer tests) -> diary marks',
  configSchema: qtiConfig,
  streams: [{ name: 'results', primaryKey: ['test_id', 'learner'], kind: 'events' }],
  check: async () => {},
  async *read(stream, config, ctx) {
    if (stream !== 'results') throw new PermanentError('unknown_stream', `qti-results has no stream "${stream}"`);
    const wanted = fileGlob(config.files);
    for (const file of ctx.files) {
      const name = path.basename(file);
      if (!wanted.test(name)) continue;
      ctx.signal.throwIfAborted();
      try {
        const result = parseQtiResult(decodeText(await readInputFile(file, ctx.limits)).text);
        yield { kind: 'record', stream, data: toRaw(name, result, config), position: name };
      } catch (err) {
        if (!(err instanceof PermanentError)) throw err;
        yield { kind: 'reject', stream, data: null, position: name, code: err.code, message: `${name}: ${err.message}` };
      }
    }
  },
});

function toRaw(file: string, r: QtiResult, config: QtiConfig): Record<string, unknown> {
  const score = r.outcomes.get(config.scoreOutcome);
  if (score === undefined) {
    const known = [...r.outcomes.keys()];
    throw new PermanentError('unknown_outcome', `testResult ${r.testId} has no outcome "${config.scoreOutcome}" (it has ${known.length ? known.join(', ') : 'none'}); set scoreOutcome in the instance config`);
  }
  return {
    file, qti_version: r.version, learner: r.learner, sessions: r.sessions.join(' '), test_id: r.testId,
    datestamp: r.datestamp ?? null, taken_at: r.datestamp?.replace(/(T\d{2}:\d{2}:\d{2})\.\d+$/, '$1') ?? null,
    score, max_score: r.outcomes.get(config.maxScoreOutcome) ?? null, status: statusOf(r.itemStatuses),
  };
}

/** Only a result whose every item is final counts (formats.md §4: the sessionStatus values). */
function statusOf(items: string[]): string {
  if (items.every((s) => s === 'final')) return 'final';
  return items.includes('initial') ? 'in_progress' : 'pending';
}
