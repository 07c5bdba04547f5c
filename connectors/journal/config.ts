/** Configuration of a journal instance (hub.yaml `instances[].config`). */
import { z } from 'zod';

export const journalConfig = z.strictObject({
  /** Export files (read from the drop folder, e.g. when moving from another journal): delimiter, code page. */
  delimiter: z.enum([';', ',', '\t', '|']).optional(),
  encoding: z.enum(['auto', 'windows-1251', 'windows-1252']).default('auto'),
});
export type JournalConfig = z.infer<typeof journalConfig>;

/** Stream -> the key of its array in a pushed batch, and words naming its export files. */
export const JOURNAL_STREAMS = {
  marks: { key: 'marks', words: ['marks', 'отметки', 'оценки'] },
  attendance: { key: 'attendance', words: ['attendance', 'посещаемость', 'пропуски'] },
  topics: { key: 'topics', words: ['topics', 'темы'] },
  homework: { key: 'homework', words: ['homework', 'задания', 'дз'] },
  period_marks: { key: 'periodMarks', words: ['period', 'итоговые', 'четвертные'] },
} as const;
export type JournalStream = keyof typeof JOURNAL_STREAMS;
