/**
 * Short-lived access tokens: a compact JWS (RFC 7515) with HS256 over JWT-shaped claims. The hub
 * both issues and checks them, so a shared HMAC key is enough; no key is ever read from the token
 * (the header's `alg` must be HS256: `none` and every other algorithm are refused).
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { purposes, type Purpose } from '../../config/schema.ts';

export interface TokenClaims {
  /** The client id (also in `sub`, as JWT consumers expect). */
  client_id: string;
  sub: string;
  /** Granted resources, space-separated as in OAuth (`diary:read changes:read`). */
  scope: string;
  /** Granted organization codes; each grants its subtree. */
  orgs: string[];
  purpose: Purpose;
  /** Fingerprint of the client's secret at issue time: a rotation invalidates the token. */
  sv: string;
  iat: number;
  exp: number;
  jti: string;
}

export type TokenErrorCode = 'invalid_token' | 'token_expired';

export class TokenError extends Error {
  constructor(
    readonly code: TokenErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TokenError';
  }
}

export interface IssueInput {
  clientId: string;
  resources: string[];
  orgs: string[];
  purpose: Purpose;
  secretVersion: string;
}

export interface TokenSigner {
  readonly ttlSeconds: number;
  issue(input: IssueInput, now: Date): { token: string; claims: TokenClaims };
  /** The claims of a genuine, unexpired token; otherwise throws TokenError. */
  verify(token: string, now: Date): TokenClaims;
}

const claimsSchema = z.object({
  client_id: z.string().min(1),
  sub: z.string().min(1),
  scope: z.string(),
  orgs: z.array(z.string()),
  purpose: z.enum(purposes),
  sv: z.string().min(1),
  iat: z.number().int(),
  exp: z.number().int(),
  jti: z.string().min(1),
});

const HEADER = b64json({ alg: 'HS256', typ: 'JWT' });
/** Far above any token we issue; bounds the work spent on garbage. */
const MAX_TOKEN_CHARS = 8192;
/** Verified tokens remembered; far above the live tokens of a hub's clients, dropped wholesale past it. */
const MAX_VERIFIED = 10_000;

function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

let processKey: Buffer | undefined;
/** Used when hub.yaml has no api.tokenSecret: tokens then die with the process. */
export function processTokenKey(): Buffer {
  processKey ??= randomBytes(32);
  return processKey;
}

export function createTokenSigner(opts: { key: string | Buffer; ttlSeconds: number }): TokenSigner {
  const key = typeof opts.key === 'string' ? Buffer.from(opts.key, 'utf8') : opts.key;
  const sign = (input: string) => createHmac('sha256', key).update(input).digest('base64url');
  // Tokens whose signature and claims were checked: a portal sends the same token for its whole
  // life, and the check (HMAC, JSON, schema) need not be repeated. Expiry is checked on every use.
  const verified = new Map<string, TokenClaims>();

  return {
    ttlSeconds: opts.ttlSeconds,
    issue(input, now) {
      const iat = Math.floor(now.getTime() / 1000);
      const claims: TokenClaims = {
        client_id: input.clientId,
        sub: input.clientId,
        scope: input.resources.join(' '),
        orgs: input.orgs,
        purpose: input.purpose,
        sv: input.secretVersion,
        iat,
        exp: iat + opts.ttlSeconds,
        jti: randomUUID(),
      };
      const body = `${HEADER}.${b64json(claims)}`;
      return { token: `${body}.${sign(body)}`, claims };
    },
    verify(token, now) {
      const known = verified.get(token);
      if (known) {
        if (Math.floor(now.getTime() / 1000) >= known.exp) throw new TokenError('token_expired', 'token expired');
        return known;
      }
      const parts = token.length <= MAX_TOKEN_CHARS ? token.split('.') : [];
      const [header, payload, signature] = parts;
      if (parts.length !== 3 || !header || !payload || !signature) throw new TokenError('invalid_token', 'malformed token');
      // Comparing the canonical encodings also refuses re-encoded variants of a genuine signature.
      const expected = Buffer.from(sign(`${header}.${payload}`));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
        throw new TokenError('invalid_token', 'token signature does not match');
      }
      // The header is covered by the signature, so only our own HS256 header can get here; the
      // check stays as a guard against a future second key type.
      if (header !== HEADER) throw new TokenError('invalid_token', 'unsupported token header');
      let claims: TokenClaims;
      try {
        claims = claimsSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
      } catch {
        throw new TokenError('invalid_token', 'malformed token claims');
      }
      if (Math.floor(now.getTime() / 1000) >= claims.exp) throw new TokenError('token_expired', 'token expired');
      if (verified.size >= MAX_VERIFIED) verified.clear();
      verified.set(token, Object.freeze(claims));
      return claims;
    },
  };
}
