/**
 * The door of every API route: `{ preHandler: requireScope('diary:read') }` verifies the Bearer
 * token, re-checks the client row (revoked, secret rotated), applies the per-client rate limit and
 * the resource scope, then puts the caller on `request.client`. Organization scoping is the
 * route's job, with canSeeOrganization(): only the route knows which school a record belongs to.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Purpose } from '../../config/schema.ts';
import { ApiError } from '../errors.ts';
import type { AuthContext } from './context.ts';
import type { ApiClient } from './clients-store.ts';
import { TokenError, type TokenClaims } from './tokens.ts';

/** The authenticated caller of one request. */
export interface ApiPrincipal {
  clientId: string;
  /** Every organization code the client may see: the granted subtrees, expanded. */
  orgs: string[];
  resources: string[];
  purpose: Purpose;
}

declare module 'fastify' {
  interface FastifyInstance {
    auth: AuthContext;
  }
  interface FastifyRequest {
    client: ApiPrincipal | null;
  }
}

const bearer = (error: string) => ({ 'www-authenticate': `Bearer realm="rso-hub", error="${error}"` });

export function canSeeOrganization(client: ApiPrincipal, orgCode: string): boolean {
  return client.orgs.includes(orgCode);
}

/** The caller of a guarded route; throws if the route forgot its guard. */
export function principal(request: FastifyRequest): ApiPrincipal {
  if (!request.client) throw new Error(`route ${request.routeOptions.url ?? ''} has no requireScope guard`);
  return request.client;
}

async function authenticate(auth: AuthContext, request: FastifyRequest): Promise<ApiPrincipal> {
  const header = request.headers.authorization ?? '';
  const m = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header);
  if (!m?.[1]) {
    throw new ApiError('missing_token', 'send Authorization: Bearer <token> (POST /oauth/token issues one)', { 'www-authenticate': 'Bearer realm="rso-hub"' });
  }
  let claims;
  try {
    claims = auth.tokens.verify(m[1], auth.now());
  } catch (err) {
    if (err instanceof TokenError) throw new ApiError(err.code, err.message, bearer('invalid_token'));
    throw err;
  }
  // Before the database: a flood of requests from one client should cost as little as possible.
  const decision = auth.limiter.take(claims.client_id, auth.now());
  if (!decision.ok) {
    throw new ApiError('rate_limited', `more than ${auth.limiter.perMinute} requests a minute`, { 'retry-after': String(decision.retryAfterSeconds) });
  }
  let row = await auth.client(claims.client_id);
  // A token from the new secret may meet a cached row from before the rotation: look again.
  if (row && row.secretVersion !== claims.sv) row = await auth.client(claims.client_id, { fresh: true });
  if (!row || row.revokedAt || row.secretVersion !== claims.sv) {
    throw new ApiError('token_revoked', 'the client was revoked or its secret rotated: ask for a new token', bearer('invalid_token'));
  }
  // The row is the ceiling: grants narrowed after the token was issued apply as soon as the row
  // is read again. The same token with the same row makes the same caller: worked out once.
  const known = callers.get(claims);
  if (known?.row === row) return known.caller;
  const trees = auth.rt.orgs;
  const granted = claims.orgs.filter((o) => row.organizations.some((g) => trees.byCode.get(o)?.chain.includes(g)));
  const orgs = Object.freeze([...new Set(granted.flatMap((o) => trees.subtree(o).map((x) => x.code)))]) as string[];
  const resources = Object.freeze(claims.scope.split(' ').filter((r) => r && row.resources.includes(r))) as string[];
  // Shared by every request with this token: frozen, so that no route changes another's caller.
  const caller: ApiPrincipal = Object.freeze({ clientId: row.clientId, orgs, resources, purpose: row.purpose });
  callers.set(claims, { row, caller });
  return caller;
}

const callers = new WeakMap<TokenClaims, { row: ApiClient; caller: ApiPrincipal }>();

export function requireScope(resource: string) {
  return async function guard(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const client = await authenticate(request.server.auth, request);
    if (!client.resources.includes(resource)) {
      throw new ApiError('insufficient_scope', `this route needs the "${resource}" scope`, {
        'www-authenticate': `Bearer realm="rso-hub", error="insufficient_scope", scope="${resource}"`,
      });
    }
    request.client = client;
  };
}
