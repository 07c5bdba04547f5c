/**
 * aSc Timetables "aSc Timetables 2012 XML" export (formats.md §1): bell periods and the weekly
 * lessons of one school. See README.md for config, streams and rejection codes.
 */
import { basename } from 'node:path';
import { defineConnector, type ReadContext, type ReadEvent } from '../../src/core/contract.ts';
import { PermanentError } from '../../src/core/errors.ts';
import { timetableEvents } from '../../src/domain/timetable/events.ts';
import { readInputFile } from '../../src/io/read-input.ts';
import { type AscConfig, ascConfigSchema } from './config.ts';
import { parseAscTimetable } from './parse.ts';

export const ascTimetables = defineConnector<AscConfig>({
  id: 'asc-timetables',
  version: '1.0.0',
  description: 'aSc Timetables 2012 XML export: bell periods and the weekly timetable',
  configSchema: ascConfigSchema,
  streams: [
    { name: 'periods', primaryKey: ['period'], kind: 'snapshot', onMissing: 'soft_delete' },
    {
      name: 'lessons',
      primaryKey: ['key'],
      kind: 'snapshot',
      dependsOn: ['periods'],
      // Dated lessons that already carry marks or attendance must survive a new timetable.
      onMissing: 'keep_referenced',
    },
  ],
  // Nothing outside the hub to reach: the config itself is validated by configSchema.
  async check() {},
  async *read(stream: string, config: AscConfig, ctx: ReadContext): AsyncIterable<ReadEvent> {
    if (stream !== 'periods' && stream !== 'lessons') {
      throw new PermanentError('unknown_stream', `asc-timetables has no stream "${stream}"`);
    }
    const [file, ...more] = ctx.files;
    if (file === undefined || more.length > 0) {
      throw new PermanentError(
        'one_file_expected',
        `a timetable run reads exactly one aSc XML file, got ${ctx.files.length}: ${ctx.files.map((f) => basename(f)).join(', ')}`,
      );
    }
    const buf = await readInputFile(file, ctx.limits);
    ctx.signal.throwIfAborted();
    const opts: Parameters<typeof parseAscTimetable>[1] = {};
    if (config.firstDay !== undefined) opts.firstDay = config.firstDay;
    if (config.encodingFallback !== undefined) opts.encodingFallback = config.encodingFallback;
    const tt = parseAscTimetable(buf, opts);
    ctx.log.info('aSc timetable parsed', {
      file: basename(file),
      periods: tt.periods.length,
      lessons: tt.lessons.length,
      rejects: tt.rejects.length,
    });
    for (const event of timetableEvents(tt, stream)) {
      ctx.signal.throwIfAborted();
      yield event;
    }
  },
});

export default ascTimetables;
