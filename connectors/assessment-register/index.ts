/**
 * The assessment register of a school: which test, quiz or voting session is which subject,
 * class, work type and weight (none of the result files says), and which voting device or
 * testing account belongs to which student. Files a school keeps in Excel, dropped as CSV or
 * .xlsx. See README.md.
 */
import path from 'node:path';
import { defineConnector } from '../../src/core/contract.ts';
import { PermanentError } from '../../src/core/errors.ts';
import { fileGlob, tableKind, tableRecords } from '../../src/io/tabular.ts';
import { registerConfig, STREAMS, type RegisterConfig, type RegisterStream } from './config.ts';

const WORDS: Record<RegisterStream, string[]> = {
  assessments: ['assessments', 'register', 'tests', 'реестр', 'работы', 'тесты'],
  participants: ['participants', 'devices', 'accounts', 'пульты', 'устройства', 'участники'],
};

export default defineConnector<RegisterConfig>({
  id: 'assessment-register',
  version: '1.0.0',
  description: 'Assessment register: tests, quizzes and voting sessions -> subject, class, work type, weight; devices and accounts -> students',
  configSchema: registerConfig,
  streams: [
    { name: 'assessments', primaryKey: ['Тест'], kind: 'events' },
    { name: 'participants', primaryKey: ['Класс', 'Пульт', 'Логин'], kind: 'events' },
  ],
  // Files arrive in the drop folder; there is nothing outside to reach.
  check: async () => {},
  async *read(stream, config, ctx) {
    if (!(STREAMS as readonly string[]).includes(stream)) throw new PermanentError('unknown_stream', `assessment-register has no stream "${stream}"`);
    const s = stream as RegisterStream;
    const pattern = config.files?.[s];
    const has = (name: string, of: RegisterStream) => WORDS[of].some((w) => name.toLowerCase().includes(w));
    // "devices-register.csv" is a participant file: its words are the more specific.
    const byWords = (name: string) => (s === 'participants' ? has(name, s) : has(name, s) && !has(name, 'participants'));
    const matches = (name: string) => (pattern ? fileGlob(pattern).test(name) : byWords(name));
    const encoding = config.encoding ?? 'auto';
    for (const file of ctx.files) {
      if (!tableKind(file) || !matches(path.basename(file))) continue;
      yield* tableRecords(s, file, { limits: ctx.limits, delimiter: config.delimiter, ...(encoding === 'auto' ? {} : { fallback: encoding }) });
    }
  },
});
