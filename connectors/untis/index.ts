/**
 * Untis GPU00x.TXT exports (formats.md §2): the weekly timetable (GPU001 + GPU002), master data
 * (GPU003 classes, GPU004 teachers, GPU005 rooms, GPU006 subjects) and the substitution list
 * (GPU014). See README.md for config, streams and rejection codes.
 */
import { defineConnector, type ReadContext, type ReadEvent } from '../../src/core/contract.ts';
import { PermanentError } from '../../src/core/errors.ts';
import { type UntisConfig, untisConfigSchema } from './config.ts';
import { GpuFiles } from './files.ts';
import type { GpuFormat } from './gpu-file.ts';
import { readChanges } from './streams/changes.ts';
import { readLessons } from './streams/lessons.ts';
import { isReferenceStream, readReference } from './streams/reference.ts';

export const untis = defineConnector<UntisConfig>({
  id: 'untis',
  version: '1.0.0',
  description: 'Untis GPU00x.TXT exports: weekly timetable, master data and substitutions',
  configSchema: untisConfigSchema,
  streams: [
    // Classes and teachers come from the roster; these two only feed the crosswalk.
    { name: 'classes', primaryKey: ['short'], kind: 'snapshot', onMissing: 'ignore' },
    { name: 'teachers', primaryKey: ['short'], kind: 'snapshot', onMissing: 'ignore' },
    { name: 'rooms', primaryKey: ['short'], kind: 'snapshot', onMissing: 'keep_referenced' },
    { name: 'subjects', primaryKey: ['short'], kind: 'snapshot', onMissing: 'keep_referenced' },
    // Dated lessons that already carry marks or attendance must survive a new timetable.
    { name: 'lessons', primaryKey: ['key'], kind: 'snapshot', onMissing: 'keep_referenced' },
    { name: 'changes', primaryKey: ['key'], kind: 'events' },
  ],
  // Nothing outside the hub to reach: the config itself is validated by configSchema.
  async check() {},
  async *read(stream: string, config: UntisConfig, ctx: ReadContext): AsyncIterable<ReadEvent> {
    const format: GpuFormat = { maxFieldChars: ctx.limits.maxFieldChars };
    if (config.separator !== undefined) format.separator = config.separator;
    if (config.quote !== undefined) format.quote = config.quote;
    const files = new GpuFiles(ctx.files, ctx.limits, config.encodingFallback, format);
    const events = isReferenceStream(stream)
      ? readReference(stream, files)
      : stream === 'lessons'
        ? readLessons(files)
        : stream === 'changes'
          ? readChanges(files)
          : undefined;
    if (!events) throw new PermanentError('unknown_stream', `untis has no stream "${stream}"`);
    for await (const event of events) {
      ctx.signal.throwIfAborted();
      yield event;
    }
  },
});

export default untis;
