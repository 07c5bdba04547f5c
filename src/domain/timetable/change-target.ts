/**
 * Load target `timetable.change`: the day's substitutions, cancellations and room changes (Untis
 * GPU014, the generic CSV/XLSX list) applied to the dated lessons, so the diary and attendance
 * show the lesson that really happened. A change finds its lesson by date, period and classes
 * (groups, subject and planned teacher narrow it down); the plan stays in `replaced`
 * (src/domain/timetable/replaced.ts). Applying the same list again writes nothing.
 */
import { z } from 'zod';
import { organizationId } from '../../db/organizations-store.ts';
import type { LoadTarget, TargetReject } from '../../pipeline/target.ts';
import type { LessonAttrs } from './lesson-row.ts';
import { lessonsOn, writeLessons, type LessonWrite, type StoredLesson } from './lesson-store.ts';
import { normalizeName, TimetableReferences } from './references.ts';
import { applyChange, parseReplaced, type ChangeEffect } from './replaced.ts';
import type { LessonSubject } from './model.ts';
import { yearCodeFor } from '../roster/classes.ts';

const name = z.string().trim().min(1).max(191);
const subject = z.object({ name, short: z.string().nullish() }).nullish();

export const changeRecord = z.object({
  key: z.string().min(1),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  period: z.number().int().min(0).max(20),
  kind: z.enum(['substitution', 'cancellation', 'room_change']),
  classes: z.array(name).min(1),
  groups: z.array(z.object({ class: name, group: name })),
  subject, newSubject: subject,
  teacher: z.string().nullish(), newTeacher: z.string().nullish(),
  room: z.string().nullish(), newRoom: z.string().nullish(),
  note: z.string().max(2000).nullish(),
});
export type ChangeRecord = z.infer<typeof changeRecord>;

type Problem = { code: string; field: string; message: string };

export const changeTarget: LoadTarget<ChangeRecord> = {
  name: 'timetable.change',
  schema: changeRecord,
  async loadChunk(trx, versions, records, ctx) {
    const orgId = await organizationId(trx, ctx.org.code);
    const rejects: TargetReject[] = [];
    const current = new Map<number, StoredLesson>();
    const bySlot = new Map<string, number[]>();
    for (const l of await lessonsOn(trx, orgId, [...new Set(records.map((r) => r.data.date))])) {
      current.set(l.id, l);
      bySlot.set(`${l.date}|${l.period}`, [...(bySlot.get(`${l.date}|${l.period}`) ?? []), l.id]);
    }
    const changed = new Set<number>();
    const used = new Set<TimetableReferences>();
    let unchanged = 0;
    for (const r of records) {
      const c = r.data;
      const refs = await TimetableReferences.of(trx, ctx, orgId, yearCodeFor(ctx, c.date));
      used.add(refs);
      await refs.ensureSubjects(trx, versions, ctx, c.newSubject ? [subjectOf(c.newSubject)] : []);
      await refs.ensureRooms(trx, versions, ctx, c.newRoom ? [c.newRoom] : []);
      const lesson = findLesson(refs, (bySlot.get(`${c.date}|${c.period}`) ?? []).map((id) => current.get(id)!), c);
      if ('code' in lesson) {
        rejects.push({ index: r.index, ...lesson });
        continue;
      }
      const effect = effectOf(refs, c);
      if ('code' in effect) {
        rejects.push({ index: r.index, ...effect });
        continue;
      }
      const next = applyChange(lesson, effect);
      if (sameRow(lesson, next)) {
        unchanged++;
        continue;
      }
      current.set(lesson.id, { ...lesson, ...next });
      changed.add(lesson.id);
    }
    for (const refs of used) await refs.saveTeacherLinks(trx, ctx);
    const writes: LessonWrite[] = [...changed].map((id) => {
      const l = current.get(id)!;
      return { nk: l.nk, uid: l.uid, attrs: attrsOf(l), source: l.source };
    });
    await writeLessons(trx, versions, writes, { source: ctx.instance.name, now: ctx.now, dryRun: ctx.dryRun });
    return { created: 0, updated: writes.length, unchanged, rejects };
  },
};

const subjectOf = (s: { name: string; short?: string | null | undefined }): LessonSubject => ({ name: s.name, ...(s.short ? { short: s.short } : {}) });

/** The lesson a change means among those of its date and period: all its classes (and groups) attend. */
function findLesson(refs: TimetableReferences, lessons: StoredLesson[], c: ChangeRecord): StoredLesson | Problem {
  const classes: string[] = [];
  for (const name of c.classes) {
    const id = refs.classId(name);
    if (!('ok' in id)) return id;
    classes.push(refs.canonicalClassName(name));
  }
  const groups = c.groups.map((g) => `${refs.canonicalClassName(g.class)}:${normalizeName(g.group)}`);
  let found = lessons.filter((l) => {
    const members = l.audience_key.split('+');
    const names = new Set(members.map((m) => m.split(':')[0]));
    const parts = new Set(members.map((m) => (m.includes(':') ? `${m.split(':')[0]}:${normalizeName(m.slice(m.indexOf(':') + 1))}` : m)));
    return classes.every((x) => names.has(x)) && groups.every((g) => parts.has(g));
  });
  const narrow = (keep: (l: StoredLesson) => boolean): void => {
    const n = found.filter(keep);
    if (n.length > 0) found = n;
  };
  const subjectId = c.subject ? refs.subjectId(subjectOf(c.subject)) : undefined;
  if (subjectId !== undefined) narrow((l) => l.subject_id === subjectId || parseReplaced(l.replaced).subject_id === subjectId);
  const teacher = c.teacher ? refs.teacherId({ short: c.teacher }) : undefined;
  if (teacher && 'ok' in teacher) narrow((l) => teachersOf(l).includes(teacher.ok));
  const where = `${c.classes.join(', ')}${c.groups.length ? ` (${c.groups.map((g) => g.group).join(', ')})` : ''}, period ${c.period} on ${c.date}`;
  if (found.length === 0) return { code: 'lesson_not_found', field: 'period', message: `no lesson of ${where} in the timetable to change: import the timetable for that date first` };
  if (found.length > 1) return { code: 'ambiguous_lesson', field: 'classes', message: `${found.length} lessons of ${where} (${found.map((l) => l.audience_key).join('; ')}): name the group, subject or teacher of the planned lesson` };
  return found[0]!;
}

function teachersOf(l: StoredLesson): number[] {
  return [...(JSON.parse(l.teacher_ids) as number[]), ...(parseReplaced(l.replaced).teacher_ids ?? [])];
}

function effectOf(refs: TimetableReferences, c: ChangeRecord): ChangeEffect | Problem {
  const e: ChangeEffect = { kind: c.kind };
  if (c.note) e.note = c.note;
  if (c.newTeacher) {
    const id = refs.teacherId({ short: c.newTeacher });
    if (!('ok' in id)) return { ...id, field: 'newTeacher' };
    e.newTeacherId = id.ok;
    const absent = c.teacher ? refs.teacherId({ short: c.teacher }) : undefined;
    if (absent && 'ok' in absent) e.absentTeacherId = absent.ok;
  }
  if (c.newSubject) {
    const id = refs.subjectId(subjectOf(c.newSubject));
    if (id !== undefined) e.newSubjectId = id;
  }
  if (c.newRoom) {
    const id = refs.roomId(c.newRoom);
    if (id !== undefined) e.newRoomId = id;
  }
  return e;
}

const FIELDS = ['status', 'teacher_ids', 'subject_id', 'room_id', 'replaced', 'change_note'] as const;
const sameRow = (a: LessonAttrs, b: LessonAttrs): boolean => FIELDS.every((f) => a[f] === b[f]);

function attrsOf(l: StoredLesson): LessonAttrs {
  const { id: _id, uid: _uid, nk: _nk, source: _source, deleted_at: _deleted, ...attrs } = l;
  return attrs;
}
