/**
 * `application/x-www-form-urlencoded` bodies (fastify parses only JSON and text by itself). OAuth
 * clients send the token request this way (RFC 6749 §4.4.2), and RFC 6749 §3.2 forbids repeating a
 * parameter, so a repeat is an error rather than a silent last-one-wins.
 */
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.ts';

export function parseForm(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    if (Object.hasOwn(out, k)) throw new ApiError('invalid_body', `parameter "${k.slice(0, 64)}" is repeated`);
    out[k] = v;
  }
  return out;
}

export function addFormParser(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseForm(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}
