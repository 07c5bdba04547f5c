/**
 * The day's changes on a dated lesson. A lesson row always shows what really happens (teachers,
 * subject, room, status); `replaced` keeps the planned values a change displaced, so the diary
 * can say "instead of" and a timetable re-import can tell the plan from the change.
 *
 * `lessons.replaced` is JSON: `{ "teacher_ids": [7], "subject_id": 3, "room_id": 12 }`, only the
 * keys a change touched, or null when nothing was replaced.
 */
import type { LessonAttrs } from './lesson-row.ts';

export interface Replaced {
  teacher_ids?: number[];
  subject_id?: number | null;
  room_id?: number | null;
}

const FIELDS = ['teacher_ids', 'subject_id', 'room_id'] as const;

export function parseReplaced(json: string | null): Replaced {
  if (!json) return {};
  const v = JSON.parse(json) as Replaced;
  return typeof v === 'object' && v !== null ? v : {};
}

export function replacedJson(r: Replaced): string | null {
  const out: Replaced = {};
  if (r.teacher_ids !== undefined) out.teacher_ids = r.teacher_ids;
  if (r.subject_id !== undefined) out.subject_id = r.subject_id;
  if (r.room_id !== undefined) out.room_id = r.room_id;
  return Object.keys(out).length > 0 ? JSON.stringify(out) : null;
}

const planned = (a: LessonAttrs, f: (typeof FIELDS)[number]): number[] | number | null =>
  f === 'teacher_ids' ? (JSON.parse(a.teacher_ids) as number[]) : a[f];

/**
 * A new plan for a lesson that carries a change: the change stays on top (the substitute still
 * teaches, the lesson stays cancelled), and `replaced` now holds the new plan's values.
 */
export function replanChanged(current: LessonAttrs, plan: LessonAttrs): LessonAttrs {
  const was = parseReplaced(current.replaced);
  const next: LessonAttrs = { ...plan, status: current.status, change_note: current.change_note, topic: current.topic };
  const still: Replaced = {};
  for (const f of FIELDS) {
    if (was[f] === undefined) continue;
    if (f === 'teacher_ids') {
      next.teacher_ids = current.teacher_ids;
      if (plan.teacher_ids !== current.teacher_ids) still.teacher_ids = planned(plan, f) as number[];
    } else {
      next[f] = current[f];
      if (plan[f] !== current[f]) still[f] = plan[f];
    }
  }
  next.replaced = replacedJson(still);
  return next;
}

export interface ChangeEffect {
  kind: 'substitution' | 'cancellation' | 'room_change';
  /** Substitution: the absent teacher (undefined: every planned teacher is replaced). */
  absentTeacherId?: number;
  newTeacherId?: number;
  newSubjectId?: number;
  newRoomId?: number;
  note?: string;
}

/**
 * Applies a change to a lesson as it stands now. Idempotent: applying it again gives the same
 * row; a second change of the same lesson (a substitute, then a room swap) adds to the first;
 * `replaced` keeps the value first planned, never a value an earlier change put there.
 */
export function applyChange(current: LessonAttrs, c: ChangeEffect): LessonAttrs {
  const next: LessonAttrs = { ...current };
  const was = parseReplaced(current.replaced);
  const keep = <F extends (typeof FIELDS)[number]>(f: F, value: Replaced[F]): void => {
    if (was[f] === undefined) was[f] = value;
  };
  if (c.kind === 'cancellation') next.status = 'cancelled';
  if (c.newTeacherId !== undefined) {
    const teachers = JSON.parse(current.teacher_ids) as number[];
    const rest = c.absentTeacherId === undefined ? [] : teachers.filter((t) => t !== c.absentTeacherId);
    const updated = JSON.stringify([...new Set([...rest, c.newTeacherId])].sort((a, b) => a - b));
    if (updated !== current.teacher_ids) {
      keep('teacher_ids', teachers);
      next.teacher_ids = updated;
    }
  }
  if (c.newSubjectId !== undefined && c.newSubjectId !== current.subject_id) {
    keep('subject_id', current.subject_id);
    next.subject_id = c.newSubjectId;
  }
  if (c.newRoomId !== undefined && c.newRoomId !== current.room_id) {
    keep('room_id', current.room_id);
    next.room_id = c.newRoomId;
  }
  // A change back to the plan (the teacher recovered) leaves nothing replaced for that field.
  for (const f of FIELDS) {
    const now = f === 'teacher_ids' ? next.teacher_ids : next[f];
    const plannedValue = was[f];
    if (plannedValue === undefined) continue;
    if ((f === 'teacher_ids' ? JSON.stringify(plannedValue) : plannedValue) === now) delete was[f];
  }
  next.replaced = replacedJson(was);
  if (c.note !== undefined) next.change_note = c.note;
  return next;
}
