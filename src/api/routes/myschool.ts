/**
 * GET /myschool/Schedule/:esiaId?start&end — the «Моя школа» pull (reference/portal-contract.md):
 * the schedule and journal of a pupil or a teacher by ЕСИА account id, in the contract's exact
 * shape; `start` and `end` go together, without them the previous, current and next week. Errors
 * are FHIR OperationOutcomes. Scope `myschool:read`; organization scope, consent and the access
 * audit as on /api/v1.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { todayIn } from '../../config/organizations.ts';
import { loadDiary } from '../../domain/diary/diary.ts';
import { lessonsForTeacher } from '../../domain/diary/lessons.ts';
import { enrollmentsIn, findStudent } from '../../domain/diary/student.ts';
import { requireScope } from '../auth/guard.ts';
import { ApiError } from '../errors.ts';
import { installOutcomeErrors } from '../myschool/outcome.ts';
import { pupilSchedule, teacherSchedule, type ClassInfo, type ScheduleRequest, type SchoolInfo } from '../myschool/schedule.ts';
import { addDays, checkWindow, dateSchema, mondayOf, parseOr400 } from '../v1/params.ts';
import { scopeOrgIds } from '../v1/scope.ts';
import { audit, refusedFor } from '../v1/student-access.ts';

export const schedulePath = z.strictObject({ esiaId: z.string().regex(/^\d{1,20}$/, 'must be a numeric ЕСИА account id') });
export const scheduleQuery = z.strictObject({ start: dateSchema.optional(), end: dateSchema.optional() });
/** Two months at most: the default window is three weeks. */
export const SCHEDULE_MAX_DAYS = 62;
const RESOURCE = 'myschool.schedule';
const NOT_FOUND = 'no pupil or teacher with this ЕСИА id';

function parse(request: FastifyRequest): { esiaId: string; start?: string | undefined; end?: string | undefined } {
  const { esiaId } = parseOr400(schedulePath, request.params, 'path');
  const q = parseOr400(scheduleQuery, request.query, 'query');
  if ((q.start === undefined) !== (q.end === undefined)) {
    const missing = q.start === undefined ? 'start' : 'end';
    throw new ApiError('invalid_request', 'query parameters "start" and "end" go together', {}, missing);
  }
  if (q.start && q.end) checkWindow(q.start, q.end, SCHEDULE_MAX_DAYS, ['start', 'end']);
  return { esiaId, start: q.start, end: q.end };
}

const safeHost = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

function scheduleUrl(request: FastifyRequest, esiaId: string, from: string, to: string): string {
  const host = safeHost.test(request.host) ? request.host : 'localhost';
  return `${request.protocol}://${host}/myschool/Schedule/${esiaId}?start=${from}&end=${to}`;
}

export async function myschoolRoutes(app: FastifyInstance): Promise<void> {
  await app.register(async (scope) => {
    const rt = scope.auth.rt;
    installOutcomeErrors(scope, rt.log);
    scope.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store');
    });

    scope.get('/Schedule/:esiaId', { preHandler: requireScope('myschool:read') }, async (request) => {
      const q = parse(request);
      const now = request.server.auth.now();
      const [person, orgIds] = await Promise.all([findStudent(rt.db, { esiaId: q.esiaId }, request.client!.purpose), scopeOrgIds(rt.db, request.client!)]);
      if (!person) {
        await audit(request, null, RESOURCE, 'not_found');
        throw new ApiError('not_found', NOT_FOUND);
      }
      const enrollments = enrollmentsIn(person, orgIds);
      const staff: Record<string, unknown>[] = enrollments.length ? [] : await rt.db('staff as s').join('organizations as o', 'o.id', 's.organization_id')
        .where('s.person_id', person.personId).whereNull('s.deleted_at').whereIn('s.organization_id', [...orgIds])
        .distinct('o.id', 'o.uid', 'o.code', 'o.name', 'o.time_zone');
      if (enrollments.length === 0 && staff.length === 0) {
        await audit(request, person.personId, RESOURCE, 'denied');
        throw new ApiError('not_found', NOT_FOUND);
      }
      if (refusedFor(request, person.consent, enrollments.length === 0)) {
        await audit(request, person.personId, RESOURCE, 'withheld');
        throw new ApiError('consent_refused', `the person (or their guardians) refused processing of their data for ${request.client!.purpose}`);
      }
      const zone = enrollments.at(-1)?.timeZone ?? (staff[0] ? String(staff[0].time_zone) : rt.hub.timeZone);
      const monday = mondayOf(todayIn(zone, now));
      const from = q.start ?? addDays(monday, -7);
      const to = q.end ?? addDays(monday, 13);
      const req: ScheduleRequest = { esiaId: q.esiaId, from, to, url: scheduleUrl(request, q.esiaId, from, to), orgs: rt.orgs, now };
      let schedule;
      if (enrollments.length) {
        const diary = await loadDiary(rt.db, person.personId, enrollments, from, to);
        schedule = pupilSchedule(req, enrollments, diary.lessons, diary.lastUpdated);
      } else {
        const schools = new Map<number, SchoolInfo>(staff.map((s) => [Number(s.id), { id: Number(s.id), uid: String(s.uid), code: String(s.code), name: String(s.name), timeZone: String(s.time_zone) }]));
        const lessons = await lessonsForTeacher(rt.db, person.personId, [...schools.keys()], from, to);
        const classIds = [...new Set(lessons.flatMap((l) => l.classIds))];
        const classRows: Record<string, unknown>[] = classIds.length ? await rt.db('classes').whereIn('id', classIds).select('id', 'name', 'grade') : [];
        const classes = new Map<number, ClassInfo>(classRows.map((c) => [Number(c.id), { name: String(c.name), grade: c.grade == null ? null : Number(c.grade) }]));
        schedule = teacherSchedule(req, schools, classes, lessons);
      }
      await audit(request, person.personId, RESOURCE, 'ok');
      return schedule;
    });
  }, { prefix: '/myschool' });
}
