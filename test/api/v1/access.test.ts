import path from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { revokeClient } from '../../../src/api/auth/clients-store.ts';
import { register as registerAudit } from '../../../src/cli/commands/audit.ts';
import { addClient, testApp, testHub, tokenFor, type TestHub } from '../helpers.ts';
import { buildWorld, WEEK, type World } from './world.ts';

let hub: TestHub;
let app: FastifyInstance;
let w: World;
beforeEach(async () => {
  hub = await testHub({ tokenSecret: 's'.repeat(40) });
  w = await buildWorld(hub);
  app = await testApp(hub);
});
afterEach(async () => {
  await app.close();
  await hub.cleanup();
});

async function client(organizations: string[], resources = ['diary:read', 'changes:read', 'myschool:read']) {
  const { client: c, secret } = await addClient(hub, { organizations, resources });
  return { id: c.clientId, secret, token: await tokenFor(app, c.clientId, secret) };
}
const get = (token: string, url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
const search = (token: string, snils: string) => app.inject({ method: 'POST', url: '/api/v1/students/search', headers: { authorization: `Bearer ${token}` }, payload: { snils } });
/** What a caller learns from an answer: everything but the request id. */
const face = (res: { statusCode: number; body: string; headers: Record<string, unknown> }) => ({
  status: res.statusCode, type: res.headers['content-type'], body: res.body.replace(/"(requestId|id)":"[^"]*"/g, '"$1":"-"'),
});
const studentRoutes = (uid: string) => [`diary?from=${WEEK.from}&to=${WEEK.to}`, 'marks', 'attendance', 'timetable', 'period-marks'].map((r) => `/api/v1/students/${uid}/${r}`);

describe('a client scoped to school A learns nothing about other students', () => {
  it('answers a student of school B, of another municipality and a made-up id alike', async () => {
    const a = await client(['sch-1']);
    const ghost = '01890a5d-ac96-774b-bcce-b302099a8057';
    for (const [i, url] of studentRoutes(ghost).entries()) {
      const answers = await Promise.all([ghost, w.vera.uid, w.gleb.uid].map((uid) => get(a.token, url.replace(ghost, uid))));
      expect(answers[0]!.statusCode, url).toBe(404);
      expect(answers[0]!.json().error.code).toBe('not_found');
      expect(answers.map(face), `route ${i}`).toEqual([face(answers[0]!), face(answers[0]!), face(answers[0]!)]);
    }
    const bySnils = await Promise.all(['216-471-647 63', '001-001-997 00'].map((s) => search(a.token, s)));
    expect(bySnils.map(face)).toEqual([face(bySnils[1]!), face(bySnils[1]!)]);
    expect(bySnils[0]!.json()).toEqual({ students: [] });
    const bySchedule = await Promise.all(['1563980', '1563981', '999999'].map((e) => get(a.token, `/myschool/Schedule/${e}`)));
    expect(bySchedule[0]!.statusCode).toBe(404);
    expect(bySchedule.map(face)).toEqual(bySchedule.map(() => face(bySchedule[0]!)));
  });

  it('lets a municipality client see both of its schools but not the other municipality', async () => {
    const m = await client(['obr']);
    expect((await get(m.token, studentRoutes(w.vera.uid)[0]!)).statusCode).not.toBe(404);
    expect((await get(m.token, studentRoutes(w.gleb.uid)[0]!)).statusCode).toBe(404);
  });
});

describe('tokens', () => {
  it('refuses expired, forged and revoked tokens on every route group', async () => {
    const a = await client(['sch-1']);
    const urls = [studentRoutes(w.anna.uid)[0]!, '/api/v1/changes', '/myschool/Schedule/1563978'];
    for (const url of urls) expect((await get(a.token, url)).statusCode, url).toBe(200);
    const [h, p, s] = a.token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, orgs: ['reg-63'] })).toString('base64url')}.${s}`;
    for (const url of urls) {
      const res = await get(forged, url);
      expect(res.statusCode).toBe(401);
      if (url.startsWith('/myschool')) expect(res.json().issue[0]).toMatchObject({ code: 'security', details: { coding: [{ code: 'invalid_token' }] } });
      else expect(res.json().error.code).toBe('invalid_token');
    }
    hub.clock.advance(900_000);
    for (const url of urls) expect((await get(a.token, url)).statusCode).toBe(401);
    expect((await get(a.token, urls[2]!)).json().issue[0].code).toBe('expired');

    const b = await client(['sch-1']);
    await revokeClient(hub.rt.db, b.id, hub.clock.now());
    for (const url of urls) {
      const res = await get(b.token, url);
      expect(res.statusCode).toBe(401);
      expect(JSON.stringify(res.json())).toContain('token_revoked');
    }
    expect((await get('', urls[0]!)).json().error.code).toBe('missing_token');
  });

  it('needs the resource scope of each route group', async () => {
    const feedOnly = await client(['sch-1'], ['changes:read']);
    expect((await get(feedOnly.token, studentRoutes(w.anna.uid)[0]!)).json().error.code).toBe('insufficient_scope');
    expect((await get(feedOnly.token, '/myschool/Schedule/1563978')).json().issue[0].details.coding[0].code).toBe('insufficient_scope');
    const diaryOnly = await client(['sch-1'], ['diary:read']);
    expect((await get(diaryOnly.token, '/api/v1/changes')).statusCode).toBe(403);
  });

  it('answers 429 with Retry-After past the per-client rate limit', async () => {
    await app.close();
    app = await testApp(hub, { rateLimitPerMinute: 3 });
    const a = await client(['sch-1']);
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await get(a.token, studentRoutes(w.anna.uid)[1]!)).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const res = await get(a.token, studentRoutes(w.anna.uid)[1]!);
    expect(res.json().error.code).toBe('rate_limited');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('consent', () => {
  it('answers a refused student with 403 consent_refused once in scope, and 404 outside it', async () => {
    const a = await client(['sch-1']);
    for (const url of studentRoutes(w.darya.uid)) {
      const res = await get(a.token, url);
      expect([res.statusCode, res.json().error.code], url).toEqual([403, 'consent_refused']);
    }
    expect((await search(a.token, '987-654-321 83')).json().error.code).toBe('consent_refused');
    const schedule = await get(a.token, '/myschool/Schedule/1563979');
    expect([schedule.statusCode, schedule.json().issue[0].details.coding[0].code]).toEqual([403, 'consent_refused']);
    const other = await client(['sch-2']);
    expect((await get(other.token, studentRoutes(w.darya.uid)[0]!)).statusCode).toBe(404);
  });
});

describe("every read is audited, and `rso-hub audit` answers who read a child's data", () => {
  async function cli(...args: string[]): Promise<string> {
    const program = new Command('rso-hub').option('-c, --config <file>').exitOverride();
    registerAudit(program);
    let out = '';
    const so = vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true));
    try {
      await program.parseAsync(['node', 'rso-hub', '--config', path.join(hub.dir, 'hub.yaml'), ...args]);
    } finally {
      so.mockRestore();
    }
    return out;
  }

  it('records client, person, resource, time and result for every route', async () => {
    const a = await client(['sch-1']);
    const outsider = await client(['sch-9']);
    const calls = [
      ...studentRoutes(w.anna.uid).map((u) => () => get(a.token, u)),
      () => search(a.token, '112-233-445 95'),
      () => get(a.token, '/myschool/Schedule/1563978'),
      () => get(a.token, '/api/v1/changes'),
      () => get(outsider.token, studentRoutes(w.anna.uid)[0]!),
    ];
    const answers = [];
    for (const c of calls) answers.push(await c());
    const rows = await hub.rt.db('audit_log').where({ person_id: w.anna.id }).orderBy('id').select('client_id', 'resource', 'result', 'request_id', 'at');
    expect(rows.map((r) => [r.resource, r.result, r.client_id])).toEqual([
      ['diary', 'ok', a.id], ['marks', 'ok', a.id], ['attendance', 'ok', a.id], ['timetable', 'ok', a.id], ['period-marks', 'ok', a.id],
      ['search', 'ok', a.id], ['myschool.schedule', 'ok', a.id], ['changes', 'ok', a.id], ['diary', 'denied', outsider.id],
    ]);
    expect(rows.map((r) => r.request_id)).toEqual(answers.map((r) => r.headers['x-request-id']));
    expect(rows.every((r) => r.at === hub.clock.now().toISOString())).toBe(true);

    const refused = await get(a.token, studentRoutes(w.darya.uid)[0]!);
    expect(refused.statusCode).toBe(403);
    expect(await hub.rt.db('audit_log').where({ person_id: w.darya.id, resource: 'diary' }).first('result')).toEqual({ result: 'withheld' });
    await get(a.token, '/api/v1/students/01890a5d-ac96-774b-bcce-b302099a8057/diary');
    expect(await hub.rt.db('audit_log').whereNull('person_id').first('resource', 'result')).toEqual({ resource: 'diary', result: 'not_found' });

    const out = JSON.parse(await cli('audit', '--person', '112-233-445 95', '--from', '2026-10-01', '--to', '2026-10-01', '--json'));
    expect(out.person).toBe(w.anna.uid);
    expect(out.accesses.map((x: { resource: string }) => x.resource)).toEqual(rows.map((r) => r.resource));
    expect(out.accesses[0]).toMatchObject({ clientId: a.id, clientName: 'Портал', result: 'ok' });
  });
});
