/** The master data streams: classes (GPU003), teachers (GPU004), rooms (GPU005), subjects (GPU006). */
import type { ReadEvent } from '../../../src/core/contract.ts';
import type { TimetableReject } from '../../../src/domain/timetable/model.ts';
import type { GpuFiles } from '../files.ts';
import { type Keyed, readClasses, readRooms, readSubjects, readTeachers } from '../reference.ts';
import { rejectEvents } from '../../../src/domain/timetable/events.ts';

export const REFERENCE_STREAMS = {
  classes: { file: 3, entity: 'class', read: readClasses },
  teachers: { file: 4, entity: 'teacher', read: readTeachers },
  rooms: { file: 5, entity: 'room', read: readRooms },
  subjects: { file: 6, entity: 'subject', read: readSubjects },
} as const;

export type ReferenceStream = keyof typeof REFERENCE_STREAMS;

export const isReferenceStream = (s: string): s is ReferenceStream => s in REFERENCE_STREAMS;

export async function* readReference(stream: ReferenceStream, files: GpuFiles): AsyncGenerator<ReadEvent> {
  const { file, entity, read } = REFERENCE_STREAMS[stream];
  const rejects: TimetableReject[] = [];
  const table: Map<string, Keyed<object>> = read(await files.rows(file, rejects, entity), rejects);
  for (const { data, position } of table.values()) {
    yield { kind: 'record', stream, data: { ...data }, position };
  }
  yield* rejectEvents(stream, rejects);
}
