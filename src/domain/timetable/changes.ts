/**
 * A dated change to the timetable (a substitution list entry): who teaches instead, a cancelled
 * lesson, a room swap. Vendor-neutral; produced by the Untis GPU014 reader and the generic
 * daily-changes CSV/XLSX.
 */
import type { LessonGroup, LessonSubject } from './model.ts';

export type ChangeKind = 'substitution' | 'cancellation' | 'room_change';

export interface TimetableChange {
  /** date|period|classes|groups|subject|teacher: stable across re-exports of the same list. */
  key: string;
  date: string;
  period: number;
  kind: ChangeKind;
  classes: string[];
  groups: LessonGroup[];
  subject?: LessonSubject;
  /** Subject actually taught, when the substitute teaches something else. */
  newSubject?: LessonSubject;
  /** Short code of the teacher of the planned lesson (the absent one). */
  teacher?: string;
  newTeacher?: string;
  room?: string;
  newRoom?: string;
  /** Free text shown to pupils ("Вместо урока — консультация"). */
  note?: string;
  position: string;
}

export function changeKey(c: Omit<TimetableChange, 'key'>): string {
  return [
    c.date,
    String(c.period),
    [...c.classes].sort().join('+'),
    c.groups
      .map((g) => `${g.class}:${g.group}`)
      .sort()
      .join('+'),
    c.subject?.short ?? c.subject?.name ?? '',
    c.teacher ?? '',
  ].join('|');
}
