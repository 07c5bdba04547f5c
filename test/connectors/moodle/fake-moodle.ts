/**
 * A replayed Moodle REST endpoint for tests: msw answers `server.php` by `wsfunction`, every
 * request is recorded, and any request to another URL fails the test.
 */
import { readFileSync } from 'node:fs';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type MoodleClientOptions, createMoodleClient } from '../../../connectors/moodle/client.ts';

export const BASE_URL = 'https://lms.school17.example';
export const ENDPOINT = `${BASE_URL}/webservice/rest/server.php`;
/** Invented; long and distinctive so a leak into a message would be found. */
export const TOKEN = 'f00dfacecafe4b1d9e8c7a6b5c4d3e2f';

export function fixture(name: string): unknown {
  return JSON.parse(
    readFileSync(new URL(`../../../fixtures/moodle/${name}`, import.meta.url), 'utf8'),
  );
}

export interface RecordedCall {
  fn: string;
  params: URLSearchParams;
}

/** What a route returns: a JSON value to send, or a full Response (status, empty body, ...). */
export type Route = (call: RecordedCall) => unknown;

export function useFakeMoodle() {
  const server = setupServer();
  const calls: RecordedCall[] = [];
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    calls.length = 0;
  });
  afterAll(() => server.close());

  const respond = (route: Route) => {
    server.use(
      http.post(ENDPOINT, async ({ request }) => {
        const params = new URLSearchParams(await request.text());
        const call = { fn: params.get('wsfunction') ?? '', params };
        calls.push(call);
        const answer = await route(call);
        return answer instanceof Response ? answer : HttpResponse.json(answer as never);
      }),
    );
  };

  const client = (options: Partial<MoodleClientOptions> = {}) =>
    createMoodleClient({
      baseUrl: BASE_URL,
      token: TOKEN,
      backoffMs: 1,
      sleep: () => Promise.resolve(),
      ...options,
    });

  return { server, calls, respond, client };
}

/** The values of `list[i][field]` in a request, in index order: which records a call carried. */
export function listField(params: URLSearchParams, list: string, field: string): string[] {
  const out: Array<[number, string]> = [];
  const pattern = new RegExp(`^${list}\\[(\\d+)\\]\\[${field}\\]$`);
  for (const [name, value] of params) {
    const match = pattern.exec(name);
    if (match) out.push([Number(match[1]), value]);
  }
  return out.sort((a, b) => a[0] - b[0]).map(([, value]) => value);
}

/** Moodle's answer to a function whose returns description is null. */
export function nullBody(): Response {
  return new HttpResponse('null', { headers: { 'Content-Type': 'application/json' } });
}
