/**
 * The API's error vocabulary. Every error answer is `{ error: { code, message, requestId } }` with
 * one of the codes below: clients branch on `code`, people read `message`. Codes are a contract:
 * add new ones, never rename. Stack traces, SQL and internal messages never reach an answer.
 * (The OAuth token endpoint answers RFC 6749 §5.2 shapes instead: see routes/token.ts.)
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isHubError } from '../core/errors.ts';
import type { Logger } from '../core/contract.ts';
import { redact } from '../log.ts';

export const API_ERROR_CODES = {
  invalid_body: { status: 400, meaning: 'the body is not valid JSON or form data, or a field is repeated' },
  invalid_request: { status: 400, meaning: 'a parameter is missing or malformed' },
  missing_token: { status: 401, meaning: 'no `Authorization: Bearer <token>` header' },
  invalid_token: { status: 401, meaning: 'the token is malformed or its signature does not match' },
  token_expired: { status: 401, meaning: 'the token has expired: ask /oauth/token for a new one' },
  token_revoked: { status: 401, meaning: 'the client was revoked or its secret rotated after the token was issued' },
  bad_signature: { status: 401, meaning: 'a pushed batch is not signed by a known, active device (X-Device, X-Timestamp, X-Signature)' },
  stale_request: { status: 401, meaning: 'the X-Timestamp of a pushed batch is too far from the hub clock (replay protection)' },
  insufficient_scope: { status: 403, meaning: 'the client may not use this resource or organization' },
  consent_refused: { status: 403, meaning: "the person (or their guardians) refused processing for this client's purpose" },
  not_found: { status: 404, meaning: 'no such route or record' },
  body_too_large: { status: 413, meaning: 'the body exceeds limits.maxBodyBytes' },
  unsupported_media_type: { status: 415, meaning: 'the Content-Type is not accepted here' },
  rate_limited: { status: 429, meaning: 'too many requests: wait Retry-After seconds' },
  internal_error: { status: 500, meaning: 'an unexpected failure on the hub side (logged with the request id)' },
  unavailable: { status: 503, meaning: 'the hub cannot serve right now (database unreachable, shutting down)' },
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_CODES;

/** Thrown by routes and hooks; the error handler turns it into the documented answer. */
export class ApiError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
    /** The request parameter or body field at fault (invalid_request), named in the answer. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = API_ERROR_CODES[code].status;
  }
}

export interface ErrorBody {
  error: { code: string; message: string; requestId: string; field?: string };
}

/** Fastify's own errors (body parsing, limits) mapped to our codes. */
const fastifyCodes: Record<string, ApiErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_body',
};

/** The public face of any thrown value: a documented code and a message safe to show. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as Partial<FastifyError> & { code?: unknown };
  const mapped = typeof e.code === 'string' ? fastifyCodes[e.code] : undefined;
  if (mapped) return new ApiError(mapped, API_ERROR_CODES[mapped].meaning);
  if (e.validation) return new ApiError('invalid_request', 'the request does not match the documented parameters');
  // JSON.parse failures surface as a SyntaxError with a 400 status from the content parser.
  if (err instanceof SyntaxError || (e.statusCode === 400 && !isHubError(err))) {
    return new ApiError('invalid_body', 'the body could not be parsed');
  }
  if (e.statusCode === 404) return new ApiError('not_found', 'not found');
  if (e.statusCode === 413) return new ApiError('body_too_large', API_ERROR_CODES.body_too_large.meaning);
  if (e.statusCode === 415) return new ApiError('unsupported_media_type', API_ERROR_CODES.unsupported_media_type.meaning);
  return new ApiError('internal_error', 'internal error');
}

export function sendApiError(reply: FastifyReply, request: FastifyRequest, err: ApiError): FastifyReply {
  const body: ErrorBody = { error: { code: err.code, message: err.message, requestId: String(request.id), ...(err.field ? { field: err.field } : {}) } };
  return reply.code(err.statusCode).headers(err.headers).type('application/json; charset=utf-8').send(body);
}

export function installErrorHandling(app: FastifyInstance, log: Logger): void {
  app.setErrorHandler((err, request, reply) => {
    const api = toApiError(err);
    if (api.code === 'internal_error') {
      // Only the name, code and a bounded message go to the log: knex messages can carry SQL with
      // values (personal data), and secrets are masked by redact().
      const e = err as { name?: string; code?: unknown; message?: string };
      log.error('api request failed', {
        requestId: String(request.id),
        route: request.routeOptions.url ?? request.url.split('?')[0],
        error: e.name,
        code: typeof e.code === 'string' ? e.code : undefined,
        detail: redact(String(e.message ?? '')).slice(0, 300),
      });
    }
    return sendApiError(reply, request, api);
  });
  app.setNotFoundHandler((request, reply) =>
    sendApiError(reply, request, new ApiError('not_found', `no route ${request.method} ${request.url.split('?')[0]?.slice(0, 200) ?? ''}`)),
  );
}
