/**
 * GET /api/v1/students/:id/diary?from&to — the diary of a student: days -> lessons (period,
 * times, subject, teachers, room, topic) -> marks (value, weight, work type), attendance,
 * homework. A week by default; at most 31 days. Scope `diary:read`.
 */
import type { FastifyInstance } from 'fastify';
import { requireScope } from '../../auth/guard.ts';
import { loadDiary } from '../../../domain/diary/diary.ts';
import { readStudent } from '../../v1/student-access.ts';
import { DIARY_MAX_DAYS, parseStudentRequest, weekWindow } from '../../v1/windows.ts';

export async function diaryRoutes(app: FastifyInstance): Promise<void> {
  app.get('/students/:id/diary', { preHandler: requireScope('diary:read') }, async (request) => {
    const rt = request.server.auth.rt;
    const q = parseStudentRequest(request.params, request.query, DIARY_MAX_DAYS);
    const read = await readStudent(request, { uid: q.id }, 'diary');
    const zone = read.enrollments.at(-1)?.timeZone ?? rt.hub.timeZone;
    const w = weekWindow(q, zone, request.server.auth.now(), DIARY_MAX_DAYS);
    const diary = await loadDiary(rt.db, read.student.personId, read.enrollments, w.from, w.to);
    await read.granted();
    return { studentId: read.student.uid, from: w.from, to: w.to, days: diary.days };
  });
}
