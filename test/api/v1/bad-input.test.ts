import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { addClient, testApp, testHub, tokenFor, type TestHub } from '../helpers.ts';
import { buildWorld, type World } from './world.ts';

let hub: TestHub;
let app: FastifyInstance;
let w: World;
let auth: { authorization: string };
beforeAll(async () => {
  hub = await testHub();
  w = await buildWorld(hub);
  app = await testApp(hub);
  const { client, secret } = await addClient(hub, { organizations: ['sch-1'], resources: ['diary:read', 'changes:read', 'myschool:read'] });
  auth = { authorization: `Bearer ${await tokenFor(app, client.clientId, secret)}` };
});
afterAll(async () => {
  await app.close();
  await hub.cleanup();
});

/** Anything that looks like a stack frame, SQL, a file of ours or a database name. */
const leak = /\n\s+at |node_modules|\.ts:\d+|select |insert into|from `|SQLITE|sqlite|mysql|knex|no such table|\/work\//i;

async function expect4xx(url: string, status: number, field?: string, init: { method?: 'GET' | 'POST'; payload?: string; headers?: Record<string, string> } = {}) {
  const res = await app.inject({ method: init.method ?? 'GET', url, headers: { ...auth, ...(init.headers ?? {}) }, ...(init.payload !== undefined ? { payload: init.payload } : {}) });
  expect(res.statusCode, url).toBe(status);
  expect(res.body, url).not.toMatch(leak);
  const body = res.json();
  const error = body.error ?? { code: body.issue?.[0]?.details?.coding?.[0]?.code, field: body.issue?.[0]?.expression?.[0] };
  if (field !== undefined) expect(error.field, url).toBe(field);
  return { res, error };
}

const diary = (id: string, q = '') => `/api/v1/students/${id}/diary${q}`;

describe('malformed ids and parameters answer 400 with the field, nothing leaked', () => {
  it('refuses ids that are not public UUIDs', async () => {
    for (const id of ['123', encodeURIComponent("1' OR '1'='1"), encodeURIComponent('../../etc/passwd'), '11223344595', `${w.anna.uid}x`, encodeURIComponent(`${w.anna.uid}; DROP TABLE persons`)]) {
      const { error } = await expect4xx(diary(id), 400, 'id');
      expect(error.code).toBe('invalid_request');
      expect(error.message).not.toMatch(/DROP|OR '1'|passwd|11223344595/);
    }
    // Longer than any route parameter: refused before routing, the URL not echoed.
    const long = await expect4xx(diary('a'.repeat(500)), 400);
    expect(long.res.body).not.toContain('aaaaaaaaaa');
    await expect4xx(`/myschool/Schedule/${'1'.repeat(300)}`, 400);
  });

  it('refuses dates that are not real dates, reversed or too long windows', async () => {
    const cases: [string, string][] = [
      ['?from=2026-10-05%27%20OR%201%3D1%20--&to=2026-10-06', 'from'],
      ['?from=..%2F..%2Fetc&to=2026-10-06', 'from'],
      ['?from=2026-02-30&to=2026-03-01', 'from'],
      ['?from=05.10.2026', 'from'],
      ['?from=2026-10-06&to=2026-10-05', 'to'],
      ['?from=2020-01-01&to=2026-10-05', 'to'],
      ['?from=2026-10-05&from=2026-10-06', 'from'],
    ];
    for (const [q, field] of cases) {
      const { error } = await expect4xx(diary(w.anna.uid, q), 400, field);
      expect(error.message).not.toMatch(/OR 1=1|etc|05\.10/);
    }
  });

  it('refuses unknown parameters, naming them only when the name is sane', async () => {
    expect((await expect4xx(diary(w.anna.uid, '?from=2026-10-05&debug=1'), 400, 'debug')).error.message).toBe('unknown query parameter "debug"');
    const hostile = await expect4xx(diary(w.anna.uid, `?${encodeURIComponent('<script>')}=1`), 400);
    expect(hostile.res.body).not.toContain('<script>');
    await expect4xx('/api/v1/students/' + w.anna.uid + '/period-marks?term=1', 400, 'term');
    await expect4xx('/api/v1/changes/available?x=1', 400, 'x');
  });

  it('refuses huge, negative and non-numeric change-feed parameters', async () => {
    for (const [q, field] of [
      ['limit=1000000', 'limit'], ['limit=99999999999999999999', 'limit'], ['limit=0', 'limit'], ['limit=-1', 'limit'], ['limit=1e3', 'limit'],
      ['minChangeVersion=abc', 'minChangeVersion'], ['minChangeVersion=1%3B%20DELETE%20FROM%20marks', 'minChangeVersion'],
      ['minChangeVersion=10&maxChangeVersion=5', 'maxChangeVersion'], ['since=5', 'since'],
    ] as const) {
      await expect4xx(`/api/v1/changes?${q}`, 400, field);
    }
    expect((await app.inject({ url: '/api/v1/changes?limit=5000', headers: auth })).statusCode).toBe(200);
  });

  it('refuses bad «Моя школа» parameters as OperationOutcomes', async () => {
    await expect4xx('/myschool/Schedule/1563978%27--', 400, 'esiaId');
    await expect4xx('/myschool/Schedule/1563978?start=2026-10-05&end=2026-10-05&x=1', 400, 'x');
    await expect4xx('/myschool/Schedule/1563978?start=2026-13-01&end=2026-13-02', 400, 'start');
  });
});

describe('bodies', () => {
  it('refuses unknown fields, wrong types, bad СНИЛС and non-objects', async () => {
    const post = (payload: string, ct = 'application/json') => app.inject({ method: 'POST', url: '/api/v1/students/search', headers: { ...auth, 'content-type': ct }, payload });
    const cases: [string, number, string | undefined, string][] = [
      ['{"snils":"112-233-445 95","name":"Смирнова"}', 400, 'name', 'invalid_request'],
      ['{"snils":11223344595}', 400, 'snils', 'invalid_request'],
      ['{"snils":"112-233-445 96"}', 400, 'snils', 'invalid_request'],
      ['{"snils":"\' OR 1=1 --"}', 400, 'snils', 'invalid_request'],
      ['[]', 400, undefined, 'invalid_request'],
      ['{}', 400, 'snils', 'invalid_request'],
      ['{"snils":', 400, undefined, 'invalid_body'],
    ];
    for (const [payload, status, field, code] of cases) {
      const res = await post(payload);
      expect([res.statusCode, res.json().error.code, res.json().error.field], payload).toEqual([status, code, field]);
      expect(res.body).not.toMatch(leak);
      expect(res.body).not.toMatch(/11223344595|112-233-445|OR 1=1/);
    }
    const text = await post('snils=11223344595', 'text/plain');
    expect([text.statusCode, text.json().error.code]).toEqual([415, 'unsupported_media_type']);
  });

  it('refuses an oversized body with 413 before reading it', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/students/search', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify({ snils: '1'.repeat(5000) }) });
    expect([res.statusCode, res.json().error.code]).toEqual([413, 'body_too_large']);
  });
});
