import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testApp, testHub, type TestHub } from '../helpers.ts';

let hub: TestHub;
let app: FastifyInstance;
beforeAll(async () => {
  hub = await testHub();
  app = await testApp(hub);
});
afterAll(async () => {
  await app.close();
  await hub.cleanup();
});

describe('the API describes itself', () => {
  it('serves an OpenAPI 3 document of every route, without a token', async () => {
    const res = await app.inject('/api/v1/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\.0\./);
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/changes', '/api/v1/changes/available', '/api/v1/students/search', '/api/v1/students/{id}/attendance',
      '/api/v1/students/{id}/diary', '/api/v1/students/{id}/marks', '/api/v1/students/{id}/period-marks', '/api/v1/students/{id}/timetable',
      '/myschool/Schedule/{esiaId}',
    ]);
    const diary = doc.paths['/api/v1/students/{id}/diary'].get;
    expect(diary.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(['path:id', 'query:from', 'query:to']);
    expect(diary.security).toEqual([{ clientCredentials: ['diary:read'] }]);
    expect(doc.paths['/api/v1/changes'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['minChangeVersion', 'maxChangeVersion', 'limit']);
    expect(doc.components.securitySchemes.clientCredentials.flows.clientCredentials.tokenUrl).toBe('/oauth/token');
    // Every $ref points at a schema the document has.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.filter((r) => !doc.components.schemas[r])).toEqual([]);
  });

  it('serves a docs page rendered from it, with no scripts', async () => {
    const res = await app.inject('/api/v1/docs');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('GET /api/v1/students/{id}/diary');
    expect(res.body).toContain('/myschool/Schedule/{esiaId}');
    expect(res.body).not.toContain('<script');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
  });
});
