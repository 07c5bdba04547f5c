/**
 * The weekly lesson record every timetable mapping produces (src/domain/timetable/model.ts
 * `WeeklyLesson`, as the aSc, Untis and Excel readers yield it), and its checks against the
 * organization: the calendar can place it, its classes are in the roster, its teachers on the
 * staff. Subjects, rooms and subgroups are created when new.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import type { VersionSource } from '../../db/change-versions.ts';
import type { LoadContext, MappedRecord, TargetReject } from '../../pipeline/target.ts';
import type { WeeklyLesson } from './model.ts';
import { bellFor, type TimetableRun } from './timetable-run.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const name = z.string().trim().min(1).max(191);

export const weeklyLessonRecord = z.object({
  key: z.string().min(1),
  weekday: z.number().int().min(1).max(7),
  period: z.number().int().min(0).max(20),
  classes: z.array(name).min(1),
  groups: z.array(z.object({ class: name, group: name })),
  subject: z.object({ name, short: z.string().nullish(), externalId: z.string().nullish() }),
  teachers: z.array(z.object({
    short: name, name: z.string().nullish(), lastName: z.string().nullish(), firstName: z.string().nullish(),
    email: z.string().nullish(), externalId: z.string().nullish(),
  })),
  room: z.string().max(128).nullish(),
  extraRooms: z.array(z.string()).nullish(),
  weeks: z.union([z.enum(['all', 'A', 'B']), z.object({ mask: z.string().regex(/^[01]+$/) })]),
  terms: z.string().regex(/^([01]+|all)$/).nullish(),
  validFrom: isoDate.nullish(),
  validTo: isoDate.nullish(),
});
export type WeeklyLessonRecord = z.infer<typeof weeklyLessonRecord>;

export interface ResolvedLesson {
  record: MappedRecord & { data: WeeklyLessonRecord };
  lesson: WeeklyLesson;
  teacherIds: number[];
}

/** The record as the model type (nulls from the mapping become absent fields). */
export function toWeekly(r: WeeklyLessonRecord, position: string): WeeklyLesson {
  const l: WeeklyLesson = {
    key: r.key, weekday: r.weekday as WeeklyLesson['weekday'], period: r.period, classes: r.classes, groups: r.groups,
    subject: { name: r.subject.name, ...(r.subject.short ? { short: r.subject.short } : {}) },
    teachers: r.teachers.map((t) => ({ short: t.short, ...(t.name ? { name: t.name } : {}), ...(t.lastName ? { lastName: t.lastName } : {}), ...(t.firstName ? { firstName: t.firstName } : {}) })),
    weeks: r.weeks, position,
  };
  if (r.room) l.room = r.room.trim();
  if (r.terms && r.terms !== 'all') l.terms = r.terms;
  if (r.validFrom) l.validFrom = r.validFrom;
  if (r.validTo) l.validTo = r.validTo;
  return l;
}

/**
 * Checks each record; the good ones come back with their teachers' person ids, after the
 * subjects, rooms and groups they name exist. One reject per bad record, naming what is wrong.
 */
export async function resolveWeekly(
  trx: Knex.Transaction,
  versions: VersionSource,
  ctx: LoadContext,
  run: TimetableRun,
  records: (MappedRecord & { data: WeeklyLessonRecord })[],
): Promise<{ ok: ResolvedLesson[]; rejects: TargetReject[] }> {
  const { refs } = run;
  const rejects: TargetReject[] = [];
  const ok: ResolvedLesson[] = [];
  for (const record of records) {
    const lesson = toWeekly(record.data, record.position);
    const problem = calendarProblem(run, lesson) ?? audienceProblem(run, lesson);
    if (problem) {
      rejects.push({ index: record.index, ...problem });
      continue;
    }
    const teacherIds: number[] = [];
    let bad: TargetReject | undefined;
    for (const t of lesson.teachers) {
      const id = refs.teacherId(t);
      if ('ok' in id) teacherIds.push(id.ok);
      else bad ??= { index: record.index, field: id.field, code: id.code, message: id.message };
    }
    if (bad) rejects.push(bad);
    else ok.push({ record, lesson, teacherIds });
  }
  await refs.ensureSubjects(trx, versions, ctx, ok.map((r) => r.lesson.subject));
  await refs.ensureRooms(trx, versions, ctx, ok.flatMap((r) => (r.lesson.room ? [r.lesson.room] : [])));
  const groups = ok.flatMap((r) => r.lesson.groups.map((g) => {
    const classId = refs.classId(g.class);
    return { classId: 'ok' in classId ? classId.ok : -1, name: g.group };
  }));
  await refs.ensureGroups(trx, versions, ctx, groups.filter((g) => g.classId > 0));
  await refs.saveTeacherLinks(trx, ctx);
  return { ok, rejects };
}

type Problem = { code: string; message: string; field: string };

/** A lesson the organization's calendar cannot place is that lesson's problem, not the run's. */
function calendarProblem(run: TimetableRun, l: WeeklyLesson): Problem | undefined {
  if (!bellFor(run, l.period)) {
    return { code: 'bell_period_unknown', field: 'period', message: `period ${l.period} has no start and end time: neither the organization's bell periods (hub.yaml) nor the file's periods list it` };
  }
  if (l.weeks !== 'all' && run.cal.calendar.weekAAnchor === undefined) {
    return { code: 'week_a_anchor_missing', field: 'weeks', message: 'an A/B-week lesson needs the Monday of a week A: declare calendar.weekA for the organization in hub.yaml' };
  }
  if (l.terms !== undefined && run.cal.calendar.terms === undefined) {
    return { code: 'terms_missing', field: 'terms', message: `a lesson for some terms only (${l.terms}) needs the terms of the academic year in hub.yaml` };
  }
  return undefined;
}

function audienceProblem(run: TimetableRun, l: WeeklyLesson): Problem | undefined {
  for (const c of [...l.classes, ...l.groups.map((g) => g.class)]) {
    const id = run.refs.classId(c);
    if (!('ok' in id)) return id;
  }
  return undefined;
}
