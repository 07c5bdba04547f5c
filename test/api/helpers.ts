/** A real runtime on a SQLite file in a temp dir, with one small organization tree. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { silentLogger } from '../../src/log.ts';
import type { FastifyInstance } from 'fastify';
import { build, type BuildOptions } from '../../src/api/app.ts';
import { createClient, type NewClient } from '../../src/api/auth/clients-store.ts';
import { principal, requireScope } from '../../src/api/auth/guard.ts';

const hubYaml = (extra: string) => `
timeZone: Europe/Samara
database: { url: "sqlite:./hub.sqlite" }
limits: { maxBodyBytes: 2048 }
api: { tokenTtlSeconds: 900, rateLimitPerMinute: 6000${extra} }
organizations:
  - code: reg-63
    kind: region
    name: Самарская область
    children:
      - code: obr
        kind: municipality
        name: Городской округ Образцово
        children:
          - { code: sch-1, kind: school, name: Школа № 1 }
          - { code: sch-2, kind: school, name: Школа № 2 }
      - code: other
        kind: municipality
        name: Другой район
        children:
          - { code: sch-9, kind: school, name: Школа № 9 }
`;

/** A clock tests move by hand: `clock.advance(ms)`. */
export interface TestClock {
  now(): Date;
  advance(ms: number): void;
}

export function testClock(start = '2026-10-01T08:00:00.000Z'): TestClock {
  let t = Date.parse(start);
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
}

export interface TestHub {
  rt: Runtime;
  dir: string;
  clock: TestClock;
  cleanup(): Promise<void>;
}

/** `extraYaml` is appended to hub.yaml (e.g. an `instances:` section). */
export async function testHub(opts: { tokenSecret?: string; extraYaml?: string } = {}): Promise<TestHub> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rso-api-'));
  const file = path.join(dir, 'hub.yaml');
  fs.writeFileSync(file, hubYaml(opts.tokenSecret ? `, tokenSecret: "${opts.tokenSecret}"` : '') + (opts.extraYaml ?? ''));
  const clock = testClock();
  const rt = await createRuntime({ configFile: file, env: {}, log: silentLogger, now: clock.now });
  return {
    rt,
    dir,
    clock,
    cleanup: async () => {
      await rt.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The app on the test hub's clock, plus a probe route guarded by `diary:read`. */
export async function testApp(hub: TestHub, opts: Omit<BuildOptions, 'rt'> = {}): Promise<FastifyInstance> {
  const app = await build({ rt: hub.rt, now: hub.clock.now, ...opts });
  app.get('/api/v1/_probe', { preHandler: requireScope('diary:read') }, async (request) => principal(request));
  return app;
}

export async function addClient(hub: TestHub, grant: Partial<NewClient> = {}) {
  return createClient(hub.rt, { name: 'Портал', organizations: ['obr'], resources: ['diary:read'], ...grant });
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

/** A token through the real endpoint; fails the test on anything but 200. */
export async function tokenFor(app: FastifyInstance, id: string, secret: string, scope?: string): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { authorization: basic(id, secret), 'content-type': 'application/x-www-form-urlencoded' },
    payload: `grant_type=client_credentials${scope ? `&scope=${encodeURIComponent(scope)}` : ''}`,
  });
  if (res.statusCode !== 200) throw new Error(`token request failed: ${res.statusCode} ${res.body}`);
  return (res.json() as { access_token: string }).access_token;
}
