/**
 * A lesson as every lesson read gets it from the core tables: the lesson row with its JSON
 * columns parsed, its audience and the homework given at it. Read as joined rows (lesson x
 * audience entry x homework: joint lessons and homework are rare, so few) and folded here; the
 * class-week read model stores these records ready-made.
 */
import type { Knex } from 'knex';
import { hasColumn } from './optional-columns.ts';
import { parseReplaced, parseTeacherIds, type Replaced } from './json-columns.ts';
import type { HomeworkView } from './views.ts';

export interface AudienceEntry {
  classId: number;
  groupId: number | null;
}

export interface LessonRecord {
  id: number;
  uid: string;
  organizationId: number;
  date: string;
  period: number;
  startTime: string;
  endTime: string;
  subjectId: number | null;
  roomId: number | null;
  teacherIds: number[];
  status: string;
  replaced: Replaced | null;
  topic: string | null;
  updatedAt: string;
  changeNote: string | null;
  audience: AudienceEntry[];
  homework: HomeworkView[];
}

/** The columns the joined rows carry (change_note where its migration is applied). */
export async function lessonColumns(db: Knex): Promise<string[]> {
  const cols = [
    'l.id', 'l.uid', 'l.organization_id', 'l.date', 'l.period', 'l.start_time', 'l.end_time', 'l.subject_id',
    'l.room_id', 'l.teacher_ids', 'l.status',
    'l.replaced', 'l.topic', 'l.updated_at', 'a2.class_id as aud_class', 'a2.group_id as aud_group',
    'h.uid as hw_uid', 'h.text as hw_text', 'h.due_date as hw_due',
  ];
  if (await hasColumn(db, 'lessons', 'change_note')) cols.push('l.change_note');
  return cols;
}

const num = (v: unknown): number | null => (v == null ? null : Number(v));

/** Orders lessons as a diary shows them: date, period, then id. */
export const byDatePeriod = (a: LessonRecord, b: LessonRecord): number =>
  (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) || a.period - b.period || a.id - b.id;

/**
 * Folds joined rows into one record per lesson, in diary order (sorted here: the rows are few, and
 * an ORDER BY would cost the database a temporary table).
 */
export function recordsOf(rows: Record<string, unknown>[]): LessonRecord[] {
  const byId = new Map<number, LessonRecord>();
  for (const r of rows) {
    const id = Number(r.id);
    let l = byId.get(id);
    if (!l) {
      l = {
        id,
        uid: String(r.uid),
        organizationId: Number(r.organization_id),
        date: String(r.date),
        period: Number(r.period),
        startTime: String(r.start_time),
        endTime: String(r.end_time),
        subjectId: num(r.subject_id),
        roomId: num(r.room_id),
        teacherIds: parseTeacherIds(r.teacher_ids),
        status: String(r.status ?? 'scheduled'),
        replaced: parseReplaced(r.replaced),
        topic: r.topic == null || r.topic === '' ? null : String(r.topic),
        updatedAt: String(r.updated_at),
        changeNote: typeof r.change_note === 'string' && r.change_note !== '' ? r.change_note : null,
        audience: [],
        homework: [],
      };
      byId.set(id, l);
    }
    if (r.aud_class != null) {
      const a = { classId: Number(r.aud_class), groupId: num(r.aud_group) };
      if (!l.audience.some((x) => x.classId === a.classId && x.groupId === a.groupId)) l.audience.push(a);
    }
    if (r.hw_uid != null && !l.homework.some((h) => h.id === r.hw_uid)) {
      l.homework.push({ id: String(r.hw_uid), text: String(r.hw_text), dueDate: r.hw_due == null ? null : String(r.hw_due) });
    }
  }
  return [...byId.values()].sort(byDatePeriod);
}
