/**
 * GET /api/v1/students/:id/diary?from&to — the diary of a student: days -> lessons (period,
 * times, subject, teachers, room, topic) -> marks (value, weight, work type), attendance,
 * homework. A week by default; at most 31 days. Scope `diary:read`.
 */
import type { FastifyInstance } from 'fastify';
import { principal, requireScope } from '../../auth/guard.ts';
import { loadDiary } from '../../../domain/diary/diary.ts';
import { readDiaryData } from '../../../domain/diary/diary-read.ts';
import { readStudent } from '../../v1/student-access.ts';
import { DIARY_MAX_DAYS, parseStudentRequest, weekWindow } from '../../v1/windows.ts';

export async function diaryRoutes(app: FastifyInstance): Promise<void> {
  app.get('/students/:id/diary', { preHandler: requireScope('diary:read') }, async (request) => {
    const rt = request.server.auth.rt;
    const q = parseStudentRequest(request.params, request.query, DIARY_MAX_DAYS);
    // With a dated window (what a portal sends) the student and the diary's data come in one
    // statement; without one the window is the current week of the student's school, known only
    // once the student is.
    const dated = q.from || q.to ? weekWindow(q, rt.hub.timeZone, request.server.auth.now(), DIARY_MAX_DAYS) : undefined;
    const pre = dated ? await readDiaryData(rt.db, q.id, principal(request).purpose, dated.from, dated.to) : undefined;
    const read = await readStudent(request, { uid: q.id }, 'diary', pre ? { found: pre.student } : {});
    const zone = read.enrollments.at(-1)?.timeZone ?? rt.hub.timeZone;
    const w = dated ?? weekWindow(q, zone, request.server.auth.now(), DIARY_MAX_DAYS);
    const diary = await loadDiary(rt.db, read.student.personId, read.enrollments, w.from, w.to, pre);
    await read.granted();
    return { studentId: read.student.uid, from: w.from, to: w.to, days: diary.days };
  });
}
