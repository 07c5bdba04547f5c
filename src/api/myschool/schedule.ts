/**
 * Builds the «Моя школа» Schedule (school -> class -> lesson) from the diary read model: for a
 * pupil from their diary (marks, attendance, homework per lesson), for a teacher from the lessons
 * they teach, grouped under each class of the audience. Cancelled lessons are left out: a lesson
 * in the schedule is one that takes place.
 */
import type { OrgTree } from '../../config/organizations.ts';
import type { DiaryLessonRow } from '../../domain/diary/diary.ts';
import type { LessonRow } from '../../domain/diary/lessons.ts';
import type { StudentEnrollment } from '../../domain/diary/student.ts';
import type { DiaryLesson, LessonView } from '../../domain/diary/views.ts';
import { academYear, attendanceCode, DEFAULT_WORK_TYPE, scoreSystem } from './codes.ts';
import type { Schedule, ScheduleClass, ScheduleLesson, ScheduleSchool } from './contract.ts';
import { zonedIso } from './zoned-time.ts';

export interface ScheduleRequest {
  esiaId: string;
  from: string;
  to: string;
  /** Absolute URL of this schedule (scheduleUrl). */
  url: string;
  orgs: OrgTree;
  now: Date;
}

export interface SchoolInfo {
  id: number;
  uid: string;
  code: string;
  name: string;
  timeZone: string;
}

export interface ClassInfo {
  name: string;
  grade: number | null;
}

const CANCELLED = new Set(['cancelled', 'canceled']);

function yearOf(orgs: OrgTree, code: string, date: string): string {
  const y = orgs.byCode.has(code) ? orgs.yearOf(code, date) : undefined;
  if (y) return academYear(y.code);
  const [yy, mm] = date.split('-').map(Number) as [number, number];
  const start = mm >= 9 ? yy : yy - 1;
  return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
}

function lessonOf(l: LessonView, zone: string, diary: DiaryLesson | null): ScheduleLesson {
  const homework = diary?.homework.map((h) => h.text).join('\n');
  const code = diary?.attendance ? attendanceCode(diary.attendance.status) : undefined;
  return {
    id: l.id,
    subject: l.subject?.name ?? '',
    ...(l.insteadOf ? { insteadOf: l.insteadOf.name } : {}),
    ...(l.topic ? { topic: l.topic } : {}),
    ...(homework ? { homework } : {}),
    period: { start: zonedIso(zone, l.date, l.startTime), end: zonedIso(zone, l.date, l.endTime) },
    classroom: l.room ?? '',
    ...(l.note ? { note: l.note } : {}),
    ...(code ? { attendance: { code } } : {}),
    score: (diary?.marks ?? []).map((m) => ({ code: m.workType ?? DEFAULT_WORK_TYPE, weight: m.weight, score: m.value, scoreSystem: scoreSystem(m.value) })),
  };
}

class Builder {
  private readonly schools = new Map<number, { school: ScheduleSchool; zone: string; classes: Map<string, ScheduleClass> }>();
  constructor(private readonly req: ScheduleRequest) {}

  school(s: SchoolInfo) {
    let e = this.schools.get(s.id);
    if (!e) {
      const { from, to } = this.req;
      e = {
        zone: s.timeZone,
        classes: new Map(),
        school: {
          id: s.uid, name: s.name, scheduleUrl: this.req.url,
          period: { start: zonedIso(s.timeZone, from, '00:00'), end: zonedIso(s.timeZone, to, '23:59:59') },
          academYear: yearOf(this.req.orgs, s.code, from), class: [],
        },
      };
      this.schools.set(s.id, e);
    }
    return e;
  }

  add(s: SchoolInfo, c: ClassInfo, lesson?: { view: LessonView; diary: DiaryLesson | null }): void {
    const e = this.school(s);
    let cls = e.classes.get(c.name);
    if (!cls) {
      cls = { class: c.name, grade: c.grade == null ? '' : String(c.grade), lesson: [] };
      e.classes.set(c.name, cls);
      e.school.class.push(cls);
    }
    if (lesson && !CANCELLED.has(lesson.view.status)) cls.lesson.push(lessonOf(lesson.view, e.zone, lesson.diary));
  }

  build(lastUpdated: string | null): Schedule {
    const school = [...this.schools.values()].map((e) => {
      for (const c of e.school.class) c.lesson.sort((a, b) => a.period.start.localeCompare(b.period.start));
      return e.school;
    });
    return { resourceType: 'Schedule', id: this.req.esiaId, meta: { lastUpdated: lastUpdated ?? this.req.now.toISOString() }, school };
  }
}

const schoolOf = (e: StudentEnrollment): SchoolInfo => ({ id: e.organizationId, uid: e.organizationUid, code: e.organizationCode, name: e.organizationName, timeZone: e.timeZone });

/** A pupil's schedule: their schools and classes in the window, each lesson with marks and attendance. */
export function pupilSchedule(req: ScheduleRequest, enrollments: StudentEnrollment[], lessons: DiaryLessonRow[], lastUpdated: string | null): Schedule {
  const b = new Builder(req);
  const current = enrollments.filter((e) => e.from <= req.to && (e.to === null || e.to >= req.from));
  for (const e of current) b.add(schoolOf(e), { name: e.className, grade: e.grade });
  for (const l of lessons) {
    const e = current.find((x) => x.organizationId === l.organizationId && l.classIds.includes(x.classId)) ?? current.find((x) => x.organizationId === l.organizationId);
    if (e) b.add(schoolOf(e), { name: e.className, grade: e.grade }, { view: l.view, diary: l.diary });
  }
  return b.build(lastUpdated);
}

/** A teacher's schedule: each lesson they teach under every class of its audience. */
export function teacherSchedule(req: ScheduleRequest, schools: Map<number, SchoolInfo>, classes: Map<number, ClassInfo>, lessons: LessonRow[]): Schedule {
  const b = new Builder(req);
  for (const s of schools.values()) b.school(s);
  let lastUpdated: string | null = null;
  for (const l of lessons) {
    const s = schools.get(l.organizationId);
    if (!s) continue;
    for (const cid of l.classIds) {
      const c = classes.get(cid);
      if (c) b.add(s, c, { view: l.view, diary: null });
    }
    if (!lastUpdated || l.updatedAt > lastUpdated) lastUpdated = l.updatedAt;
  }
  return b.build(lastUpdated);
}
