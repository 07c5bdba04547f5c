/**
 * FHIR-style errors for the «Моя школа» endpoint (reference/portal-contract.md): the HTTP status
 * plus `{ resourceType: 'OperationOutcome', id, issue: [{ severity, code, details }] }`. The hub's
 * stable error code travels in `details.coding`, so one client library can branch on it for both
 * the /api/v1 and the /myschool answers.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../core/contract.ts';
import { ApiError, sendApiError, toApiError, type ApiErrorCode } from '../errors.ts';

export type IssueSeverity = 'fatal' | 'error' | 'warning' | 'information';

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  id: string;
  issue: { severity: IssueSeverity; code: string; details: { text: string; coding: { system: string; code: string }[] }; expression?: string[] }[];
}

/** Our codes -> FHIR IssueType (hl7.org/fhir/valueset-issue-type.html). */
const issueCode: Record<ApiErrorCode, string> = {
  invalid_body: 'structure', invalid_request: 'structure', missing_token: 'login', invalid_token: 'security',
  token_expired: 'expired', token_revoked: 'security', bad_signature: 'security', stale_request: 'security',
  insufficient_scope: 'forbidden', consent_refused: 'forbidden', not_found: 'not-found', body_too_large: 'too-long',
  unsupported_media_type: 'not-supported', rate_limited: 'throttled', internal_error: 'exception', unavailable: 'transient',
};

export const ERROR_SYSTEM = 'urn:rso-hub:api-error';

export function outcomeOf(err: ApiError, requestId: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    id: requestId,
    issue: [{
      severity: err.code === 'internal_error' ? 'fatal' : 'error',
      code: issueCode[err.code],
      details: { text: err.message, coding: [{ system: ERROR_SYSTEM, code: err.code }] },
      ...(err.field ? { expression: [err.field] } : {}),
    }],
  };
}

function send(reply: FastifyReply, request: FastifyRequest, err: ApiError): FastifyReply {
  return reply.code(err.statusCode).headers(err.headers).type('application/json; charset=utf-8').send(outcomeOf(err, String(request.id)));
}

/** Every error inside the /myschool plugin, unknown routes included, answers as an OperationOutcome. */
export function installOutcomeErrors(scope: FastifyInstance, log: Logger): void {
  scope.setErrorHandler((err, request, reply) => {
    const api = toApiError(err);
    if (api.code === 'internal_error') {
      const e = err as { name?: string; code?: unknown };
      log.error('myschool request failed', { requestId: String(request.id), error: e.name, code: typeof e.code === 'string' ? e.code : undefined });
    }
    return send(reply, request, api);
  });
  scope.setNotFoundHandler((request, reply) => send(reply, request, new ApiError('not_found', 'no such resource')));
}

/**
 * Fastify's own refusals before routing (a malformed URL, a path segment over maxParamLength): an
 * OperationOutcome under /myschool, the API's error shape elsewhere.
 */
export function sendFrameworkError(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const err = new ApiError('invalid_request', 'the URL is malformed or a path segment is too long');
  return request.url.startsWith('/myschool/') ? send(reply, request, err) : sendApiError(reply, request, err);
}
