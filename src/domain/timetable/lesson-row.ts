/**
 * A dated lesson as a core row (ARCHITECTURE.md, "Decisions": a lesson's natural key is
 * organization, date, period, audience; subject, teachers, room and topic are attributes).
 * `plan_*` columns keep what the timetable planned, so a re-import compares the plan and leaves
 * the day's changes (substitutions, cancellations, room changes) in place.
 */
import { createHash } from 'node:crypto';
import type { DatedLesson } from './expand.ts';
import type { WeeklyLesson } from './model.ts';
import type { TimetableReferences } from './references.ts';

/** What the timetable says about one dated lesson (the hashed part of a row). */
export interface LessonPlan {
  organization_id: number;
  date: string;
  period: number;
  start_time: string;
  end_time: string;
  subject_id: number | null;
  room_id: number | null;
  audience_key: string;
  /** JSON array of person ids, ascending. */
  teacher_ids: string;
  plan_key: string;
}

export interface AudienceMember {
  classId: number;
  groupId: number | null;
}

export interface PlannedLesson {
  nk: string;
  plan: LessonPlan;
  planHash: string;
  audience: AudienceMember[];
  /** The weekly lesson's full key (plan.plan_key is it, shortened when long). */
  weeklyKey: string;
}

/** The columns a lesson row holds besides the core meta columns. */
export interface LessonAttrs extends LessonPlan {
  status: 'scheduled' | 'cancelled';
  /** JSON of the planned values a change replaced ({"teacher_ids":[7],"room_id":3}), or null (replaced.ts). */
  replaced: string | null;
  topic: string | null;
  plan_hash: string;
  change_note: string | null;
}

const KEY_MAX = 191;

/** Long keys (a joint lesson of many classes) keep a readable head and a hash of the whole. */
export function boundedKey(key: string): string {
  if (key.length <= KEY_MAX) return key;
  return `${key.slice(0, KEY_MAX - 33)}#${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

/** "5А", "5А:1 группа", "5Б+6А": classes by their roster name, each with its groups, sorted. */
export function audienceKey(members: { className: string; groupName: string | null }[]): string {
  const parts = [...new Set(members.map((m) => (m.groupName ? `${m.className}:${m.groupName}` : m.className)))];
  return boundedKey(parts.sort().join('+'));
}

export function lessonNk(orgCode: string, date: string, period: number, audience: string): string {
  return `${orgCode}|${date}|${period}|${audience}`;
}

/** Teacher ids as stored: a JSON array, ascending, so equal sets hash equally. */
export const teacherIdsJson = (ids: Iterable<number>): string => JSON.stringify([...new Set(ids)].sort((a, b) => a - b));

/** What every date of one weekly lesson shares: its audience and its resolved attributes. */
export interface WeeklyPlan {
  organization_id: number;
  orgCode: string;
  audience_key: string;
  audience: AudienceMember[];
  subject_id: number | null;
  room_id: number | null;
  teacher_ids: string;
  plan_key: string;
  weeklyKey: string;
}

/**
 * Resolves a weekly lesson once (the target rejected it unless its classes, groups, subject,
 * room and teachers resolve); each of its dates then only adds date, period and bells.
 */
export function planWeekly(l: WeeklyLesson, refs: TimetableReferences, teacherIds: number[]): WeeklyPlan {
  const members: { className: string; groupName: string | null; m: AudienceMember }[] = [];
  for (const cls of l.classes) {
    const classId = refs.classId(cls);
    if (!('ok' in classId)) throw new Error(`unresolved class ${cls}`);
    const className = refs.canonicalClassName(cls);
    const groups = l.groups.filter((g) => refs.canonicalClassName(g.class) === className);
    if (groups.length === 0) members.push({ className, groupName: null, m: { classId: classId.ok, groupId: null } });
    for (const g of groups) {
      const group = refs.group(classId.ok, g.group);
      if (!group) throw new Error(`unresolved group ${cls}:${g.group}`);
      members.push({ className, groupName: group.name, m: { classId: classId.ok, groupId: group.id } });
    }
  }
  const unique = new Map(members.map((x) => [`${x.m.classId}|${x.m.groupId ?? ''}`, x.m]));
  return {
    organization_id: refs.orgId,
    orgCode: refs.orgCode,
    audience_key: audienceKey(members),
    audience: [...unique.values()],
    subject_id: refs.subjectId(l.subject) ?? null,
    room_id: l.room === undefined ? null : (refs.roomId(l.room) ?? null),
    teacher_ids: teacherIdsJson(teacherIds),
    plan_key: boundedKey(l.key),
    weeklyKey: l.key,
  };
}

/** One date of a weekly lesson. The plan hash covers every planned column, in a fixed order. */
export function planDated(w: WeeklyPlan, d: DatedLesson): PlannedLesson {
  const plan: LessonPlan = {
    organization_id: w.organization_id, date: d.date, period: d.period, start_time: d.start, end_time: d.end,
    subject_id: w.subject_id, room_id: w.room_id, audience_key: w.audience_key, teacher_ids: w.teacher_ids, plan_key: w.plan_key,
  };
  const hashed = [plan.organization_id, plan.date, plan.period, plan.start_time, plan.end_time, plan.subject_id, plan.room_id, plan.audience_key, plan.teacher_ids, plan.plan_key].join('\u001f');
  return {
    nk: lessonNk(w.orgCode, d.date, d.period, w.audience_key), plan, planHash: createHash('sha256').update(hashed).digest('hex').slice(0, 32),
    audience: w.audience, weeklyKey: w.weeklyKey,
  };
}

/** A fresh row: the plan as it stands, no change applied, no topic yet. */
export function scheduledRow(p: PlannedLesson, topic: string | null = null): LessonAttrs {
  return { ...p.plan, status: 'scheduled', replaced: null, topic, plan_hash: p.planHash, change_note: null };
}
