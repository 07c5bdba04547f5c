/**
 * POST /api/v1/students/search {"snils": "112-233-445 95"} — the public id of a student by СНИЛС,
 * the key portals match ЕСИА accounts on (reference/russia.md §3). In the body, so the number never
 * appears in a URL or an access log. Scope `diary:read`.
 *
 * Not found and outside the client's scope answer alike (an empty list); a student in scope who
 * refused the client's purpose answers 403 consent_refused.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireScope } from '../../auth/guard.ts';
import { ApiError } from '../../errors.ts';
import { isHubError } from '../../../core/errors.ts';
import { parseSnils } from '../../../domain/person/snils.ts';
import { parseOr400 } from '../../v1/params.ts';
import { readStudent } from '../../v1/student-access.ts';

const searchBody = z.strictObject({ snils: z.string().max(32, 'must be a СНИЛС (11 digits)') });

/** A search body is a few dozen bytes; anything far larger is refused before it is parsed. */
export const SEARCH_BODY_LIMIT = 1024;

export async function studentSearchRoutes(app: FastifyInstance): Promise<void> {
  app.post('/students/search', { preHandler: requireScope('diary:read'), bodyLimit: SEARCH_BODY_LIMIT }, async (request) => {
    const { snils: raw } = parseOr400(searchBody, request.body, 'body');
    let snils: string;
    try {
      snils = parseSnils(raw).snils;
    } catch (err) {
      if (!isHubError(err)) throw err;
      throw new ApiError('invalid_request', 'body field "snils" must be a СНИЛС: 11 digits with a valid check number', {}, 'snils');
    }
    try {
      const read = await readStudent(request, { snils }, 'search');
      await read.granted();
      return {
        students: [{
          id: read.student.uid,
          enrollments: read.enrollments.map((e) => ({
            organization: { id: e.organizationUid, code: e.organizationCode, name: e.organizationName },
            class: { id: e.classUid, name: e.className, grade: e.grade },
            group: e.groupName,
            from: e.from,
            to: e.to,
          })),
        }],
      };
    } catch (err) {
      if (err instanceof ApiError && err.code === 'not_found') return { students: [] };
      throw err;
    }
  });
}
