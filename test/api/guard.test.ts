import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { revokeClient, rotateSecret } from '../../src/api/auth/clients-store.ts';
import { canSeeOrganization, type ApiPrincipal } from '../../src/api/auth/guard.ts';
import { createTokenSigner } from '../../src/api/auth/tokens.ts';
import { addClient, testApp, testHub, tokenFor, type TestHub } from './helpers.ts';

let hub: TestHub;
let app: FastifyInstance;
beforeEach(async () => {
  hub = await testHub({ tokenSecret: 'k'.repeat(40) });
  app = await testApp(hub);
});
afterEach(async () => {
  await app.close();
  await hub.cleanup();
});

const probe = (token: string) => app.inject({ method: 'GET', url: '/api/v1/_probe', headers: { authorization: `Bearer ${token}` } });
const codeOf = (res: { json(): unknown }) => (res.json() as { error: { code: string } }).error.code;

describe('a guarded route accepts only genuine, live tokens', () => {
  it('lets a valid token through and tells the route who calls', async () => {
    const { client, secret } = await addClient(hub);
    const res = await probe(await tokenFor(app, client.clientId, secret));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ clientId: client.clientId, orgs: ['obr', 'sch-1', 'sch-2'], resources: ['diary:read'], purpose: 'diary_portal' });
  });

  it('refuses a request without a token', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/_probe' });
    expect([res.statusCode, codeOf(res)]).toEqual([401, 'missing_token']);
    expect(res.headers['www-authenticate']).toContain('Bearer');
  });

  it('refuses an expired token with token_expired', async () => {
    const { client, secret } = await addClient(hub);
    const token = await tokenFor(app, client.clientId, secret);
    hub.clock.advance(899_000);
    expect((await probe(token)).statusCode).toBe(200);
    hub.clock.advance(1_000);
    const res = await probe(token);
    expect([res.statusCode, codeOf(res)]).toEqual([401, 'token_expired']);
  });

  it('refuses forged tokens: tampered claims, another key, alg none, garbage', async () => {
    const { client, secret } = await addClient(hub, { resources: ['changes:read'] });
    const token = await tokenFor(app, client.clientId, secret);
    const [h, p, s] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, scope: 'diary:read', orgs: ['reg-63'] })).toString('base64url')}.${s}`;
    const otherKey = createTokenSigner({ key: 'x'.repeat(40), ttlSeconds: 900 })
      .issue({ clientId: client.clientId, resources: ['diary:read'], orgs: ['reg-63'], purpose: 'diary_portal', secretVersion: claims.sv }, hub.clock.now()).token;
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${p}.`;
    for (const forged of [tampered, otherKey, none, 'not-a-token', `${token}x`]) {
      const res = await probe(forged);
      expect([res.statusCode, codeOf(res)], forged.slice(0, 20)).toEqual([401, 'invalid_token']);
    }
  });

  it('applies a grant narrowed after the token was issued once the client row is read again', async () => {
    const { client, secret } = await addClient(hub);
    const token = await tokenFor(app, client.clientId, secret);
    expect((await probe(token)).json()).toMatchObject({ orgs: ['obr', 'sch-1', 'sch-2'], resources: ['diary:read'] });
    await hub.rt.db('api_clients').where({ client_id: client.clientId }).update({ organizations: JSON.stringify(['sch-2']) });
    // Within the client cache time the caller is the one worked out before; after it, the token's
    // organization (obr) is no longer granted and it sees nothing until a new token is asked for.
    expect((await probe(token)).json()).toMatchObject({ orgs: ['obr', 'sch-1', 'sch-2'] });
    hub.clock.advance(5_001);
    expect((await probe(token)).json()).toMatchObject({ orgs: [], resources: ['diary:read'] });
  });

  it("refuses a revoked client's token (at once if unseen, within the cache time if seen)", async () => {
    const { client, secret } = await addClient(hub);
    const token = await tokenFor(app, client.clientId, secret);
    expect((await probe(token)).statusCode).toBe(200);
    await revokeClient(hub.rt.db, client.clientId, hub.rt.now());
    hub.clock.advance(5_001);
    const res = await probe(token);
    expect([res.statusCode, codeOf(res)]).toEqual([401, 'token_revoked']);

    const other = await addClient(hub);
    const unseen = await tokenFor(app, other.client.clientId, other.secret);
    await revokeClient(hub.rt.db, other.client.clientId, hub.rt.now());
    expect(codeOf(await probe(unseen))).toBe('token_revoked');
  });

  it('refuses tokens issued before a secret rotation, even within the same second', async () => {
    const { client, secret } = await addClient(hub);
    const old = await tokenFor(app, client.clientId, secret);
    expect((await probe(old)).statusCode).toBe(200);
    const { secret: fresh } = await rotateSecret(hub.rt.db, client.clientId, hub.rt.now());
    // The new token works at once although the old row is still cached...
    expect((await probe(await tokenFor(app, client.clientId, fresh))).statusCode).toBe(200);
    // ...and looking again refreshed the cache, so the old token is refused at once too.
    expect(codeOf(await probe(old))).toBe('token_revoked');
  });

  it('answers 403 insufficient_scope to a client without the resource', async () => {
    const { client, secret } = await addClient(hub, { resources: ['changes:read'] });
    const res = await probe(await tokenFor(app, client.clientId, secret));
    expect([res.statusCode, codeOf(res)]).toEqual([403, 'insufficient_scope']);
  });
});

describe('organization scoping follows the tree', () => {
  const seen = async (orgs: string[], scope?: string): Promise<ApiPrincipal> => {
    const { client, secret } = await addClient(hub, { organizations: orgs });
    return (await probe(await tokenFor(app, client.clientId, secret, scope))).json();
  };

  it('a municipality client sees its schools, not another municipality or the region', async () => {
    const p = await seen(['obr']);
    expect(canSeeOrganization(p, 'sch-1')).toBe(true);
    expect(canSeeOrganization(p, 'sch-2')).toBe(true);
    expect(canSeeOrganization(p, 'sch-9')).toBe(false);
    expect(canSeeOrganization(p, 'other')).toBe(false);
    expect(canSeeOrganization(p, 'reg-63')).toBe(false);
  });

  it('a region client sees everything; a narrowed token sees only what it asked for', async () => {
    expect((await seen(['reg-63'])).orgs.sort()).toEqual(['obr', 'other', 'reg-63', 'sch-1', 'sch-2', 'sch-9']);
    const narrowed = await seen(['reg-63'], 'org:sch-9');
    expect(narrowed.orgs).toEqual(['sch-9']);
  });
});
