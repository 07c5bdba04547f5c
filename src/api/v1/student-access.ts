/**
 * The one way /api/v1 and /myschool reach a person's data: find them, check the client's
 * organization scope, then consent for the client's purpose, auditing every outcome.
 * - unknown, or known but outside the scope: the same 404 (no existence leak), audited as
 *   not_found or denied;
 * - in scope but refused: 403 consent_refused (the refusal is never hidden), audited as withheld;
 * - otherwise the caller builds the answer and calls `granted()`, which audits the read as ok
 *   before the answer leaves.
 */
import type { FastifyRequest } from 'fastify';
import { recordAccessBatched, type AccessResult } from '../audit.ts';
import { principal, type ApiPrincipal } from '../auth/guard.ts';
import { ApiError } from '../errors.ts';
import { enrollmentsIn, findStudent, type StudentEnrollment, type StudentKey, type StudentRecord } from '../../domain/diary/student.ts';
import { scopeOrgIds } from './scope.ts';

export interface StudentRead {
  client: ApiPrincipal;
  student: StudentRecord;
  /** The enrollments in the client's scope (all dates). */
  enrollments: StudentEnrollment[];
  orgIds: ReadonlySet<number>;
  /** Records the read as ok; call it after the answer is built and before it is sent. */
  granted(): Promise<void>;
}

export const NOT_FOUND_MESSAGE = 'no student with this id';

export async function audit(request: FastifyRequest, personId: number | null, resource: string, result: AccessResult): Promise<void> {
  const rt = request.server.auth.rt;
  await recordAccessBatched(rt.db, { clientId: principal(request).clientId, personId, resource, result, requestId: String(request.id), at: request.server.auth.now() });
}

/**
 * Whether a person with this recorded consent is refused to the client's purpose (consentFor()'s
 * rule: a recorded answer stands; none means what hub.yaml says for the purpose). `explicitOnly`
 * (teachers, whose timetable is processed as part of their work) counts only a recorded refusal.
 */
export function refusedFor(request: FastifyRequest, consent: 'granted' | 'refused' | null, explicitOnly = false): boolean {
  if (consent) return consent === 'refused';
  if (explicitOnly) return false;
  return (request.server.auth.rt.hub.consent.unknownMeans[principal(request).purpose] ?? 'refused') === 'refused';
}

/**
 * `found`: the student as the caller already read them for the client's purpose (null: no such
 * person); otherwise they are looked up by `key`.
 */
export async function readStudent(
  request: FastifyRequest,
  key: StudentKey,
  resource: string,
  opts: { notFound?: string; found?: StudentRecord | null } = {},
): Promise<StudentRead> {
  const rt = request.server.auth.rt;
  const client = principal(request);
  const notFound = opts.notFound ?? NOT_FOUND_MESSAGE;
  const lookup = opts.found !== undefined ? Promise.resolve(opts.found ?? undefined) : findStudent(rt.db, key, client.purpose);
  const [student, orgIds] = await Promise.all([lookup, scopeOrgIds(rt.db, client)]);
  if (!student) {
    await audit(request, null, resource, 'not_found');
    throw new ApiError('not_found', notFound);
  }
  const enrollments = enrollmentsIn(student, orgIds);
  if (enrollments.length === 0) {
    await audit(request, student.personId, resource, 'denied');
    throw new ApiError('not_found', notFound);
  }
  if (refusedFor(request, student.consent)) {
    await audit(request, student.personId, resource, 'withheld');
    throw new ApiError('consent_refused', `the student (or their guardians) refused processing of their data for ${client.purpose}`);
  }
  return { client, student, enrollments, orgIds, granted: () => audit(request, student.personId, resource, 'ok') };
}
