/**
 * The JSON text columns of lessons, parsed at the boundary. `teacher_ids` holds the teachers'
 * person ids; `replaced` what the day's change replaced (the planned subject, teachers, room).
 * Both are written by the timetable loader; a value this reader cannot understand is treated as
 * absent rather than failing a diary.
 */
import { z } from 'zod';

const id = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);
const teacherIds = z.array(id);

export function parseTeacherIds(text: unknown): number[] {
  if (typeof text !== 'string' || text === '') return [];
  try {
    const parsed = teacherIds.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

const replacedSchema = z.looseObject({
  subject_id: id.nullish(),
  subjectId: id.nullish(),
  subject: z.string().nullish(),
  teacher_ids: z.array(id).nullish(),
  room_id: id.nullish(),
  note: z.string().nullish(),
});

export interface Replaced {
  subjectId: number | null;
  subjectName: string | null;
  note: string | null;
}

export function parseReplaced(text: unknown): Replaced | null {
  if (typeof text !== 'string' || text === '') return null;
  try {
    const parsed = replacedSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return null;
    const r = parsed.data;
    return { subjectId: r.subject_id ?? r.subjectId ?? null, subjectName: r.subject ?? null, note: r.note ?? null };
  } catch {
    return null;
  }
}
