/** Substitutions, cancellations and room changes from GPU014 (subject names from GPU006). */
import type { ReadEvent } from '../../../src/core/contract.ts';
import type { TimetableReject } from '../../../src/domain/timetable/model.ts';
import { readUntisChanges } from '../changes.ts';
import type { GpuFiles } from '../files.ts';
import { readSubjects } from '../reference.ts';
import { rejectEvents } from '../../../src/domain/timetable/events.ts';

export async function* readChanges(files: GpuFiles): AsyncGenerator<ReadEvent> {
  const rejects: TimetableReject[] = [];
  const ignored: TimetableReject[] = [];
  const subjectRows = await files.optionalRows(6, ignored, 'subject');
  const subjects = subjectRows ? readSubjects(subjectRows, ignored) : undefined;
  for (const c of readUntisChanges(await files.rows(14, rejects, 'change'), subjects, rejects)) {
    yield { kind: 'record', stream: 'changes', data: { ...c }, position: c.position };
  }
  yield* rejectEvents('changes', rejects);
}
