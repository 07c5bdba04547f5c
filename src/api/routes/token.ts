/**
 * POST /oauth/token: OAuth 2.0 client credentials (RFC 6749 §4.4), as Ed-Fi and «Моя школа» use
 * (reference/anchors.md §1.4, portal-contract.md). Credentials by HTTP Basic (§2.3.1) or in the
 * body; form or JSON body. `scope` narrows the grant: resources (`diary:read`) and organizations
 * (`org:<code>`, within the granted subtrees). Answers and errors use RFC 6749 §5.1/§5.2 shapes,
 * not the API's `{error:{code}}`, because OAuth client libraries parse them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { authenticateClient, ORG_SCOPE_PREFIX, type ApiClient } from '../auth/clients-store.ts';
import type { AuthContext } from '../auth/context.ts';
import { toApiError } from '../errors.ts';

type OAuthError = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_scope' | 'rate_limited' | 'server_error';

class OAuthFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: OAuthError,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const bodySchema = z.object({
  grant_type: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  scope: z.string().optional(),
});

const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** RFC 6749 §2.3.1: id and secret are form-encoded before they are joined for Basic. */
function formDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

function credentials(request: FastifyRequest, body: z.infer<typeof bodySchema>): { id: string; secret: string; basic: boolean } {
  const m = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(request.headers.authorization ?? '');
  if (m?.[1]) {
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new OAuthFailure(400, 'invalid_request', 'Basic credentials must be client_id:client_secret');
    if (body.client_secret !== undefined) throw new OAuthFailure(400, 'invalid_request', 'send the client secret once: Basic or body, not both');
    const id = formDecode(decoded.slice(0, colon));
    if (body.client_id !== undefined && body.client_id !== id) throw new OAuthFailure(400, 'invalid_request', 'client_id differs between Basic and body');
    return { id, secret: formDecode(decoded.slice(colon + 1)), basic: true };
  }
  if (!body.client_id || body.client_secret === undefined) {
    throw new OAuthFailure(401, 'invalid_client', 'client authentication required (HTTP Basic or client_id and client_secret)', { 'www-authenticate': 'Basic realm="rso-hub"' });
  }
  return { id: body.client_id, secret: body.client_secret, basic: false };
}

/** The granted resources and organizations after `scope` narrowing. */
function narrow(auth: AuthContext, client: ApiClient, scope: string | undefined): { resources: string[]; orgs: string[] } {
  const tree = auth.rt.orgs;
  const live = client.organizations.filter((o) => tree.byCode.has(o));
  if (live.length === 0) throw new OAuthFailure(400, 'invalid_grant', 'none of the client\'s organizations exists in hub.yaml any more');
  const asked = (scope ?? '').split(' ').filter(Boolean);
  const askedOrgs = asked.filter((s) => s.startsWith(ORG_SCOPE_PREFIX)).map((s) => s.slice(ORG_SCOPE_PREFIX.length));
  const askedResources = asked.filter((s) => !s.startsWith(ORG_SCOPE_PREFIX));
  const badResource = askedResources.find((r) => !client.resources.includes(r));
  if (badResource) throw new OAuthFailure(400, 'invalid_scope', `resource "${badResource.slice(0, 64)}" is not granted to this client`);
  const badOrg = askedOrgs.find((o) => !live.some((g) => tree.byCode.get(o)?.chain.includes(g)));
  if (badOrg !== undefined) throw new OAuthFailure(400, 'invalid_scope', `organization "${badOrg.slice(0, 64)}" is outside this client's organizations`);
  return {
    resources: askedResources.length ? [...new Set(askedResources)] : client.resources,
    orgs: askedOrgs.length ? [...new Set(askedOrgs)] : live,
  };
}

async function issue(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const auth = request.server.auth;
  const limit = auth.tokenLimiter.take(`ip:${request.ip}`, auth.now());
  if (!limit.ok) throw new OAuthFailure(429, 'rate_limited', 'too many token requests', { 'retry-after': String(limit.retryAfterSeconds) });
  const parsed = bodySchema.safeParse(request.body ?? {});
  if (!parsed.success) throw new OAuthFailure(400, 'invalid_request', 'parameters must be strings');
  const body = parsed.data;
  if (!body.grant_type) throw new OAuthFailure(400, 'invalid_request', 'grant_type is required');
  if (body.grant_type !== 'client_credentials') throw new OAuthFailure(400, 'unsupported_grant_type', 'only grant_type=client_credentials is supported');
  const cred = credentials(request, body);
  const client = await authenticateClient(auth.rt.db, cred.id, cred.secret);
  if (!client) {
    throw new OAuthFailure(401, 'invalid_client', 'unknown client, wrong secret or revoked client', cred.basic ? { 'www-authenticate': 'Basic realm="rso-hub"' } : {});
  }
  const grant = narrow(auth, client, body.scope);
  const { token } = auth.tokens.issue({ clientId: client.clientId, purpose: client.purpose, secretVersion: client.secretVersion, ...grant }, auth.now());
  return reply.code(200).headers(noStore).send({
    access_token: token,
    token_type: 'Bearer',
    expires_in: auth.tokens.ttlSeconds,
    scope: [...grant.resources, ...grant.orgs.map((o) => `${ORG_SCOPE_PREFIX}${o}`)].join(' '),
  });
}

export async function tokenRoutes(app: FastifyInstance): Promise<void> {
  // Encapsulated so that body errors on this route (too large, bad JSON) also answer in OAuth shape.
  await app.register(async (scope) => {
    scope.setErrorHandler((err, request, reply) => {
      let f: OAuthFailure;
      if (err instanceof OAuthFailure) f = err;
      else {
        const api = toApiError(err);
        if (api.code === 'internal_error') {
          request.server.auth.rt.log.error('token request failed', { requestId: String(request.id), error: (err as Error).name });
          f = new OAuthFailure(500, 'server_error', 'internal error');
        } else f = new OAuthFailure(api.statusCode, 'invalid_request', api.message);
      }
      return reply.code(f.status).headers({ ...noStore, ...f.headers }).send({ error: f.error, error_description: f.message });
    });
    scope.post('/oauth/token', issue);
  });
}
