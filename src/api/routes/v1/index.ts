/**
 * The portal API, version 1 (issue 8), mounted at /api/v1: one route group per file. Answers that
 * carry personal data are never cached by intermediaries.
 */
import type { FastifyInstance } from 'fastify';
import { changesRoutes } from './changes.ts';
import { diaryRoutes } from './diary.ts';
import { docsRoutes } from './docs.ts';
import { studentRecordRoutes } from './student-records.ts';
import { studentSearchRoutes } from './student-search.ts';

export async function v1Routes(app: FastifyInstance): Promise<void> {
  await app.register(async (v1) => {
    // JSON only: a body of another type is a 415, not a string handed to the validators.
    v1.removeAllContentTypeParsers();
    v1.addContentTypeParser('application/json', { parseAs: 'string' }, v1.getDefaultJsonParser('error', 'error'));
    v1.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store');
    });
    await docsRoutes(v1);
    await diaryRoutes(v1);
    await studentRecordRoutes(v1);
    await studentSearchRoutes(v1);
    await changesRoutes(v1);
  }, { prefix: '/api/v1' });
}
