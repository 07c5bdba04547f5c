/**
 * A student's records one kind at a time (scope `diary:read`):
 * - GET /api/v1/students/:id/marks?from&to        current marks (30 days by default, a year at most)
 * - GET /api/v1/students/:id/attendance?from&to   the attendance that stands after precedence
 * - GET /api/v1/students/:id/timetable?from&to    dated lessons (a week by default, 31 days at most)
 * - GET /api/v1/students/:id/period-marks         term and year marks
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireScope } from '../../auth/guard.ts';
import { lessonsForStudent } from '../../../domain/diary/lessons.ts';
import { attendanceOf, marksOf, periodMarksOf, standing } from '../../../domain/diary/records.ts';
import { parseOr400 } from '../../v1/params.ts';
import { readStudent, type StudentRead } from '../../v1/student-access.ts';
import { DIARY_MAX_DAYS, RECORDS_MAX_DAYS, parseStudentRequest, recentWindow, studentPath, weekWindow, type Window } from '../../v1/windows.ts';

type WindowKind = 'recent' | 'week';

async function windowed(request: FastifyRequest, resource: string, kind: WindowKind): Promise<{ read: StudentRead; w: Window; orgIds: number[] }> {
  const max = kind === 'week' ? DIARY_MAX_DAYS : RECORDS_MAX_DAYS;
  const q = parseStudentRequest(request.params, request.query, max);
  const read = await readStudent(request, { uid: q.id }, resource);
  const zone = read.enrollments.at(-1)?.timeZone ?? request.server.auth.rt.hub.timeZone;
  const now = request.server.auth.now();
  const w = kind === 'week' ? weekWindow(q, zone, now, max) : recentWindow(q, zone, now, max);
  return { read, w, orgIds: [...new Set(read.enrollments.map((e) => e.organizationId))] };
}

export async function studentRecordRoutes(app: FastifyInstance): Promise<void> {
  const guard = { preHandler: requireScope('diary:read') };

  app.get('/students/:id/marks', guard, async (request) => {
    const { read, w, orgIds } = await windowed(request, 'marks', 'recent');
    const marks = await marksOf(request.server.auth.rt.db, read.student.personId, orgIds, w.from, w.to);
    await read.granted();
    return { studentId: read.student.uid, from: w.from, to: w.to, marks: marks.map((m) => m.view) };
  });

  app.get('/students/:id/attendance', guard, async (request) => {
    const { read, w, orgIds } = await windowed(request, 'attendance', 'recent');
    const entries = standing(await attendanceOf(request.server.auth.rt.db, read.student.personId, orgIds, w.from, w.to));
    const attendance = [...entries.values()]
      .sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id))
      .map((e) => ({ id: e.id, date: e.date, lessonId: e.lessonUid, ...e.view }));
    await read.granted();
    return { studentId: read.student.uid, from: w.from, to: w.to, attendance };
  });

  app.get('/students/:id/timetable', guard, async (request) => {
    const { read, w } = await windowed(request, 'timetable', 'week');
    const lessons = await lessonsForStudent(request.server.auth.rt.db, read.enrollments, w.from, w.to);
    await read.granted();
    return { studentId: read.student.uid, from: w.from, to: w.to, lessons: lessons.map((l) => l.view) };
  });

  app.get('/students/:id/period-marks', guard, async (request) => {
    const { id } = parseOr400(studentPath, request.params, 'path');
    parseOr400(z.strictObject({}), request.query, 'query');
    const read = await readStudent(request, { uid: id }, 'period-marks');
    const orgIds = [...new Set(read.enrollments.map((e) => e.organizationId))];
    const periodMarks = await periodMarksOf(request.server.auth.rt.db, read.student.personId, orgIds);
    await read.granted();
    return { studentId: read.student.uid, periodMarks };
  });
}
