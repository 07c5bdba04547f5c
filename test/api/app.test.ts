import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { listen } from '../../src/api/server.ts';
import { API_ERROR_CODES } from '../../src/api/errors.ts';
import { addClient, basic, testApp, testHub, tokenFor, type TestHub } from './helpers.ts';

let hub: TestHub;
let app: FastifyInstance;
beforeEach(async () => {
  hub = await testHub();
});
afterEach(async () => {
  await app?.close();
  await hub.cleanup();
});

/** Anything that looks like a stack frame, SQL or a file path of ours. */
const leak = /\n\s+at |node_modules|\.ts:\d+|select |insert into|SQLITE|no such table/i;

describe('health', () => {
  it('answers /healthz after a database query and /readyz when migrations are applied', async () => {
    app = await testApp(hub);
    const health = await app.inject('/healthz');
    expect([health.statusCode, health.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });
  });

  it('reports not ready when a migration is missing', async () => {
    app = await testApp(hub);
    await hub.rt.db('knex_migrations').where({ name: '0002_core' }).delete();
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ pending: ['0002_core'] });
  });
});

describe('errors are documented codes, never internals', () => {
  it('answers unknown routes with 404 not_found and a request id', async () => {
    app = await testApp(hub);
    const res = await app.inject('/api/v1/nothing?x=1');
    expect(res.statusCode).toBe(404);
    const body = res.json();
    expect(body.error.code).toBe('not_found');
    expect(body.error.requestId).toBe(res.headers['x-request-id']);
  });

  it('keeps a sane caller request id and replaces a hostile one', async () => {
    app = await testApp(hub);
    const kept = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'portal-42.abc' } });
    expect(kept.headers['x-request-id']).toBe('portal-42.abc');
    const replaced = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'x'.repeat(300) } });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a body over limits.maxBodyBytes with 413 body_too_large', async () => {
    app = await testApp(hub);
    app.post('/api/v1/_echo', async (request) => request.body);
    const big = { text: 'я'.repeat(2000) };
    const res = await app.inject({ method: 'POST', url: '/api/v1/_echo', payload: big });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('body_too_large');
    const small = await app.inject({ method: 'POST', url: '/api/v1/_echo', payload: { text: 'ok' } });
    expect(small.statusCode).toBe(200);
    const token = await app.inject({ method: 'POST', url: '/oauth/token', payload: big });
    expect([token.statusCode, token.json().error]).toEqual([413, 'invalid_request']);
  });

  it('answers failures with internal_error and no stack, SQL or message', async () => {
    app = await testApp(hub);
    app.get('/api/v1/_sql', async () => hub.rt.db('no_such_table').select('secret_column'));
    app.get('/api/v1/_throw', async () => {
      throw new Error('boom at /work/main/src/x.ts:12');
    });
    for (const url of ['/api/v1/_sql', '/api/v1/_throw']) {
      const res = await app.inject(url);
      expect(res.statusCode).toBe(500);
      expect(res.json().error).toMatchObject({ code: 'internal_error', message: 'internal error' });
      expect(res.body).not.toMatch(leak);
      expect(res.body).not.toContain('secret_column');
    }
  });

  it('answers unparseable and unsupported bodies with invalid_body and unsupported_media_type', async () => {
    app = await testApp(hub);
    app.post('/api/v1/_echo', async (request) => request.body);
    const post = (type: string, payload: string) => app.inject({ method: 'POST', url: '/api/v1/_echo', headers: { 'content-type': type }, payload });
    const answers = [await post('application/json', '{"a":'), await post('application/json', '{"__proto__":{"x":1}}'), await post('application/xml', '<a/>'), await post('application/x-www-form-urlencoded', 'a=1&a=2')];
    expect(answers.map((r) => [r.statusCode, r.json().error.code])).toEqual([[400, 'invalid_body'], [400, 'invalid_body'], [415, 'unsupported_media_type'], [400, 'invalid_body']]);
    for (const r of answers) {
      expect(Object.keys(API_ERROR_CODES)).toContain(r.json().error.code);
      expect(r.body).not.toMatch(leak);
    }
  });
});

describe('rate limiting', () => {
  it('answers 429 rate_limited with Retry-After once a client spends its minute, per client', async () => {
    app = await testApp(hub, { rateLimitPerMinute: 2 });
    const a = await addClient(hub);
    const b = await addClient(hub);
    const ta = await tokenFor(app, a.client.clientId, a.secret);
    const tb = await tokenFor(app, b.client.clientId, b.secret);
    const probe = (t: string) => app.inject({ url: '/api/v1/_probe', headers: { authorization: `Bearer ${t}` } });
    expect((await probe(ta)).statusCode).toBe(200);
    expect((await probe(ta)).statusCode).toBe(200);
    const limited = await probe(ta);
    expect([limited.statusCode, limited.json().error.code]).toEqual([429, 'rate_limited']);
    expect(limited.headers['retry-after']).toBe('30');
    expect((await probe(tb)).statusCode).toBe(200);
    hub.clock.advance(30_000);
    expect((await probe(ta)).statusCode).toBe(200);
  });

  it('limits token requests per address', async () => {
    app = await testApp(hub, { tokenRequestsPerMinute: 1 });
    const { client, secret } = await addClient(hub);
    await tokenFor(app, client.clientId, secret);
    const res = await app.inject({ method: 'POST', url: '/oauth/token', headers: { authorization: basic(client.clientId, secret) }, payload: { grant_type: 'client_credentials' } });
    expect([res.statusCode, res.json().error]).toEqual([429, 'rate_limited']);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('a real listening server', () => {
  it('serves health and tokens over HTTP on 127.0.0.1', async () => {
    const server = await listen(hub.rt, { port: 0, host: '127.0.0.1' }, { now: hub.clock.now });
    app = server.app;
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${server.url}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    const { client, secret } = await addClient(hub);
    const token = await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: basic(client.clientId, secret), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=diary%3Aread',
    });
    expect(token.status).toBe(200);
    expect(await token.json()).toMatchObject({ token_type: 'Bearer', scope: 'diary:read org:obr' });
    const missing = await fetch(`${server.url}/api/v1/none`);
    expect(missing.status).toBe(404);
  });
});
