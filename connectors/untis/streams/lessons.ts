/**
 * The weekly lessons: GPU001 is required; GPU002 adds week types, dates and groups; GPU003,
 * GPU004 and GPU006 add class checks, teacher names and subject names when present. Problems
 * in those master files are reported by their own streams, not again here.
 */
import type { ReadEvent } from '../../../src/core/contract.ts';
import { timetableEvents } from '../../../src/domain/timetable/events.ts';
import type { TimetableReject } from '../../../src/domain/timetable/model.ts';
import type { GpuFiles } from '../files.ts';
import { buildUntisTimetable, type UntisLookups } from '../lessons.ts';
import { readClasses, readSubjects, readTeachers } from '../reference.ts';

export async function* readLessons(files: GpuFiles): AsyncGenerator<ReadEvent> {
  const rejects: TimetableReject[] = [];
  const gpu001 = await files.rows(1, rejects, 'lesson');
  const gpu002 = (await files.optionalRows(2, rejects, 'lesson')) ?? [];
  const ignored: TimetableReject[] = [];
  const lookups: UntisLookups = {};
  const classes = await files.optionalRows(3, ignored, 'class');
  if (classes) lookups.classes = readClasses(classes, ignored);
  const teachers = await files.optionalRows(4, ignored, 'teacher');
  if (teachers) lookups.teachers = readTeachers(teachers, ignored);
  const subjects = await files.optionalRows(6, ignored, 'subject');
  if (subjects) lookups.subjects = readSubjects(subjects, ignored);
  yield* timetableEvents(buildUntisTimetable(gpu001, gpu002, lookups, rejects), 'lessons');
}
