/**
 * Quiz exports a teacher downloads: Moodle's quiz "Grades" report and Google Forms quiz responses,
 * as CSV. One file is one quiz (its id is the file name without extension); one student gets one
 * result, chosen among their attempts by the configured policy. See README.md.
 */
import path from 'node:path';
import { defineConnector, type ReadEvent } from '../../src/core/contract.ts';
import { PermanentError } from '../../src/core/errors.ts';
import { fileGlob, tableRecords } from '../../src/io/tabular.ts';
import { chooseAttempts, type Attempt, type RowOutcome } from './attempt.ts';
import { quizConfig, type QuizConfig } from './config.ts';
import { googleAttempt, googleLayout } from './google.ts';
import { moodleAttempt, moodleLayout } from './moodle.ts';

export default defineConnector<QuizConfig>({
  id: 'quiz-export',
  version: '1.0.0',
  description: 'Moodle quiz "Grades" reports and Google Forms quiz responses (CSV) -> diary marks',
  configSchema: quizConfig,
  streams: [{ name: 'results', primaryKey: ['test_id', 'participant'], kind: 'events' }],
  check: async () => {},
  async *read(stream, config, ctx) {
    if (stream !== 'results') throw new PermanentError('unknown_stream', `quiz-export has no stream "${stream}"`);
    const wanted = fileGlob(config.files);
    for (const file of ctx.files) {
      if (!wanted.test(path.basename(file))) continue;
      ctx.signal.throwIfAborted();
      yield* readExport(file, config, ctx.limits);
    }
  },
});

async function* readExport(file: string, config: QuizConfig, limits: Parameters<typeof tableRecords>[2]['limits']): AsyncGenerator<ReadEvent> {
  const name = path.basename(file);
  const quiz = path.basename(file, path.extname(file));
  const attempts: Attempt[] = [];
  let parse: ((values: Record<string, string>, position: string) => RowOutcome) | undefined;
  let format = '';
  for await (const ev of tableRecords('results', file, { limits, delimiter: config.delimiter, ...(config.encoding === 'auto' ? {} : { fallback: config.encoding }) })) {
    if (ev.kind === 'reject') {
      yield ev;
      continue;
    }
    const values = ev.data as Record<string, string>;
    if (!parse) {
      const header = Object.keys(values);
      const moodle = config.format !== 'google' ? moodleLayout(header, config.participantColumn) : undefined;
      const google = !moodle && config.format !== 'moodle' ? googleLayout(header, config.participantColumn) : undefined;
      if (moodle) [parse, format] = [(v, p) => moodleAttempt(v, moodle, p), 'moodle'];
      else if (google) [parse, format] = [(v, p) => googleAttempt(v, google, p), 'google'];
      else {
        yield { kind: 'reject', stream: 'results', data: null, position: name, code: 'unknown_export', message: `${name}: neither a Moodle "Grades" report (no "Grade/<max>" column) nor a Google Forms quiz sheet (no Timestamp and Score columns)` };
        return;
      }
    }
    const out = parse(values, ev.position);
    if ('reject' in out) yield { kind: 'reject', stream: 'results', data: values, position: ev.position, ...out.reject };
    else if ('attempt' in out) attempts.push(out.attempt);
  }
  for (const a of chooseAttempts(attempts, config.attempts)) {
    yield {
      kind: 'record', stream: 'results', position: a.position,
      data: { format, test_id: quiz, participant: a.participant, participant_name: a.name, status: a.status, taken_at: a.takenAt, score: a.score, max_score: a.maxScore, attempt: a.attempt },
    };
  }
}
