/**
 * Parsed timetables and change lists as the connector contract's read events: one raw record
 * per period, lesson or change (the model object itself), one reject event per part of the
 * file that could not be used. Shared by every timetable connector so their streams look alike.
 */
import type { ReadEvent } from '../../core/contract.ts';
import type { TimetableReject, WeeklyTimetable } from './model.ts';

export type TimetableStream = 'periods' | 'lessons';

export function* timetableEvents(tt: WeeklyTimetable, stream: TimetableStream): Generator<ReadEvent> {
  if (stream === 'periods') {
    for (const p of tt.periods) {
      yield { kind: 'record', stream, data: { ...p }, position: `period ${p.period}` };
    }
  } else {
    for (const l of tt.lessons) {
      yield { kind: 'record', stream, data: { ...l }, position: l.position };
    }
  }
  const entity = stream === 'periods' ? 'period' : 'lesson';
  yield* rejectEvents(
    stream,
    tt.rejects.filter((r) => r.entity === entity),
  );
}

export function* rejectEvents(stream: string, rejects: readonly TimetableReject[]): Generator<ReadEvent> {
  for (const r of rejects) {
    const event: ReadEvent = {
      kind: 'reject',
      stream,
      data: r.data ?? null,
      position: r.position,
      code: r.code,
      message: r.message,
    };
    if (r.field !== undefined) event.field = r.field;
    yield event;
  }
}
