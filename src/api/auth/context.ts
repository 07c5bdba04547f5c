/** What the auth pieces share inside one app: clock, token signer, limiters, client-row cache. */
import type { Runtime } from '../../runtime.ts';
import { registerSecret } from '../../log.ts';
import { getClient, type ApiClient } from './clients-store.ts';
import { createRateLimiter, type RateLimiter } from './rate-limit.ts';
import { createTokenSigner, processTokenKey, type TokenSigner } from './tokens.ts';

export interface AuthOptions {
  now?: () => Date;
  rateLimitPerMinute?: number;
  /** Token requests per minute from one address: each costs a deliberate ~50 ms scrypt check. */
  tokenRequestsPerMinute?: number;
  /** How long a client row is trusted before revocation is re-checked (default 5 s). */
  clientCacheMs?: number;
}

export interface AuthContext {
  rt: Runtime;
  now(): Date;
  tokens: TokenSigner;
  /** Per client, on every guarded request. */
  limiter: RateLimiter;
  /** Per remote address, on POST /oauth/token. */
  tokenLimiter: RateLimiter;
  /**
   * The client row, cached briefly: revocation and rotation take effect within clientCacheMs.
   * `fresh` skips the cache (a token newer than the cached row, right after a rotation).
   */
  client(clientId: string, opts?: { fresh?: boolean }): Promise<ApiClient | undefined>;
}

export function createAuthContext(rt: Runtime, opts: AuthOptions = {}): AuthContext {
  const now = opts.now ?? (() => rt.now());
  const secret = rt.hub.api.tokenSecret;
  registerSecret(secret);
  if (!secret) rt.log.warn('api.tokenSecret is not set: access tokens are valid only in this process');
  const cacheMs = opts.clientCacheMs ?? 5_000;
  const cache = new Map<string, { client: ApiClient | undefined; until: number }>();

  return {
    rt,
    now,
    tokens: createTokenSigner({ key: secret ?? processTokenKey(), ttlSeconds: rt.hub.api.tokenTtlSeconds }),
    limiter: createRateLimiter({ perMinute: opts.rateLimitPerMinute ?? rt.hub.api.rateLimitPerMinute }),
    tokenLimiter: createRateLimiter({ perMinute: opts.tokenRequestsPerMinute ?? 120 }),
    async client(clientId, o = {}) {
      const t = now().getTime();
      const hit = cache.get(clientId);
      if (hit && hit.until > t && !o.fresh) return hit.client;
      const client = await getClient(rt.db, clientId);
      // Clients are few (portals, LMSs), so the cache stays small; drop it wholesale if not.
      if (cache.size > 1000) cache.clear();
      cache.set(clientId, { client, until: t + cacheMs });
      return client;
    },
  };
}
