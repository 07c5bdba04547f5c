/**
 * The hub's Excel timetable template (sheets `Звонки` and `Уроки`) and the generic daily-changes
 * list (CSV or the `Замены` sheet). See README.md for the template, config, streams and codes.
 */
import { basename } from 'node:path';
import { defineConnector, type ReadContext, type ReadEvent } from '../../src/core/contract.ts';
import { PermanentError } from '../../src/core/errors.ts';
import { rejectEvents, timetableEvents } from '../../src/domain/timetable/events.ts';
import type { TimetableReject } from '../../src/domain/timetable/model.ts';
import { readChangesFile } from './changes-file.ts';
import { type ScheduleXlsxConfig, scheduleXlsxConfigSchema } from './config.ts';
import { readChangeRows } from './parse-changes.ts';
import { parseScheduleWorkbook } from './parse-timetable.ts';

export const scheduleXlsx = defineConnector<ScheduleXlsxConfig>({
  id: 'schedule-xlsx',
  version: '1.0.0',
  description: 'Excel timetable template (Звонки, Уроки) and daily changes (CSV or Замены sheet)',
  configSchema: scheduleXlsxConfigSchema,
  streams: [
    { name: 'periods', primaryKey: ['period'], kind: 'snapshot', onMissing: 'soft_delete' },
    // Dated lessons that already carry marks or attendance must survive a new timetable.
    { name: 'lessons', primaryKey: ['key'], kind: 'snapshot', dependsOn: ['periods'], onMissing: 'keep_referenced' },
    { name: 'changes', primaryKey: ['key'], kind: 'events' },
  ],
  // Nothing outside the hub to reach: the config itself is validated by configSchema.
  async check() {},
  async *read(stream: string, config: ScheduleXlsxConfig, ctx: ReadContext): AsyncIterable<ReadEvent> {
    if (stream === 'changes') {
      // Daily lists accumulate in the drop folder: every file of the run is read, in order.
      for (const file of ctx.files) {
        const rejects: TimetableReject[] = [];
        const rows = await readChangesFile(file, ctx.limits, config.encodingFallback, rejects);
        for (const c of readChangeRows(rows, rejects)) {
          ctx.signal.throwIfAborted();
          yield { kind: 'record', stream, data: { ...c }, position: c.position };
        }
        yield* rejectEvents(stream, rejects);
      }
      return;
    }
    if (stream !== 'periods' && stream !== 'lessons') {
      throw new PermanentError('unknown_stream', `schedule-xlsx has no stream "${stream}"`);
    }
    const [file, ...more] = ctx.files;
    if (file === undefined || more.length > 0) {
      throw new PermanentError(
        'one_file_expected',
        `a timetable run reads exactly one workbook, got ${ctx.files.length}: ${ctx.files.map((f) => basename(f)).join(', ')}`,
      );
    }
    const tt = await parseScheduleWorkbook(file, ctx.limits);
    for (const event of timetableEvents(tt, stream)) {
      ctx.signal.throwIfAborted();
      yield event;
    }
  },
});

export default scheduleXlsx;
