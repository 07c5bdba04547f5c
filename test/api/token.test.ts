import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { revokeClient, rotateSecret } from '../../src/api/auth/clients-store.ts';
import { addClient, basic, testApp, testHub, type TestHub } from './helpers.ts';

let hub: TestHub;
let app: FastifyInstance;
beforeEach(async () => {
  hub = await testHub();
  app = await testApp(hub);
});
afterEach(async () => {
  await app.close();
  await hub.cleanup();
});

const form = 'application/x-www-form-urlencoded';

describe('POST /oauth/token issues client-credentials tokens', () => {
  it('accepts HTTP Basic with a form body and answers the RFC 6749 shape', async () => {
    const { client, secret } = await addClient(hub, { resources: ['diary:read', 'changes:read'] });
    const res = await app.inject({ method: 'POST', url: '/oauth/token', headers: { authorization: basic(client.clientId, secret), 'content-type': form }, payload: 'grant_type=client_credentials' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'diary:read changes:read org:obr' });
    expect(body.access_token.split('.')).toHaveLength(3);
  });

  it('accepts credentials in a JSON body and in a form body', async () => {
    const { client, secret } = await addClient(hub);
    const json = await app.inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: secret } });
    expect(json.statusCode).toBe(200);
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: secret }).toString();
    const formRes = await app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': form }, payload: body });
    expect(formRes.statusCode).toBe(200);
  });

  it('refuses a wrong secret, an unknown client and missing credentials with 401 invalid_client', async () => {
    const { client, secret } = await addClient(hub);
    const wrong = await app.inject({ method: 'POST', url: '/oauth/token', headers: { authorization: basic(client.clientId, `${secret}x`), 'content-type': form }, payload: 'grant_type=client_credentials' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    expect(wrong.headers['www-authenticate']).toContain('Basic');
    const unknown = await app.inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'client_credentials', client_id: 'c_nobody', client_secret: secret } });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error).toBe('invalid_client');
    const none = await app.inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'client_credentials' } });
    expect(none.statusCode).toBe(401);
  });

  it('answers unsupported_grant_type, invalid_request and repeated parameters with 400', async () => {
    const { client, secret } = await addClient(hub);
    const auth = { authorization: basic(client.clientId, secret), 'content-type': form };
    const pw = await app.inject({ method: 'POST', url: '/oauth/token', headers: auth, payload: 'grant_type=password' });
    expect([pw.statusCode, pw.json().error]).toEqual([400, 'unsupported_grant_type']);
    const missing = await app.inject({ method: 'POST', url: '/oauth/token', headers: auth, payload: 'scope=diary:read' });
    expect([missing.statusCode, missing.json().error]).toEqual([400, 'invalid_request']);
    const twice = await app.inject({ method: 'POST', url: '/oauth/token', headers: auth, payload: 'grant_type=client_credentials&grant_type=client_credentials' });
    expect([twice.statusCode, twice.json().error]).toEqual([400, 'invalid_request']);
    const badJson = await app.inject({ method: 'POST', url: '/oauth/token', headers: { authorization: auth.authorization, 'content-type': 'application/json' }, payload: '{"grant_type":' });
    expect([badJson.statusCode, badJson.json().error]).toEqual([400, 'invalid_request']);
  });

  it('narrows scope to granted resources and organizations, and refuses more', async () => {
    const { client, secret } = await addClient(hub, { resources: ['diary:read', 'changes:read'] });
    const ask = (scope: string) => app.inject({ method: 'POST', url: '/oauth/token', headers: { authorization: basic(client.clientId, secret), 'content-type': form }, payload: `grant_type=client_credentials&scope=${encodeURIComponent(scope)}` });
    const narrowed = await ask('diary:read org:sch-1');
    expect(narrowed.statusCode).toBe(200);
    expect(narrowed.json().scope).toBe('diary:read org:sch-1');
    const more = await ask('ingest:journal');
    expect([more.statusCode, more.json().error]).toEqual([400, 'invalid_scope']);
    const elsewhere = await ask('org:sch-9');
    expect([elsewhere.statusCode, elsewhere.json().error]).toEqual([400, 'invalid_scope']);
  });

  it('stops accepting the old secret after a rotation, and any secret after a revocation', async () => {
    const { client, secret } = await addClient(hub);
    const { secret: fresh } = await rotateSecret(hub.rt.db, client.clientId, hub.rt.now());
    const ask = (s: string) => app.inject({ method: 'POST', url: '/oauth/token', headers: { authorization: basic(client.clientId, s), 'content-type': form }, payload: 'grant_type=client_credentials' });
    expect((await ask(secret)).statusCode).toBe(401);
    expect((await ask(fresh)).statusCode).toBe(200);
    await revokeClient(hub.rt.db, client.clientId, hub.rt.now());
    expect((await ask(fresh)).json()).toMatchObject({ error: 'invalid_client' });
  });

  it('keeps secrets hashed at rest', async () => {
    const { client, secret } = await addClient(hub);
    const row = await hub.rt.db('api_clients').where({ client_id: client.clientId }).first();
    expect(row.secret_hash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(row)).not.toContain(secret);
  });
});
