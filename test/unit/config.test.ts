import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { ConfigError } from '../../src/config/problems.ts';
import { OrgTree } from '../../src/config/organizations.ts';
import { loadConnectors } from '../../src/registry.ts';
import { knownTargets } from '../../src/runtime.ts';
import { ROOT } from '../helpers/hub.ts';

async function problemsOf(yaml: string, env: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
  const file = path.join(dir, 'hub.yaml');
  fs.writeFileSync(file, yaml);
  try {
    await loadConfig(file, { env, deps: { connectors: await loadConnectors(), targets: await knownTargets() } });
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.problems;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const orgs = `
organizations:
  - code: reg
    kind: region
    name: Регион
    children:
      - { code: sch-1, kind: school, name: Школа 1 }
`;

describe('a bad hub.yaml', () => {
  it('fails at start listing every problem with its path and line', async () => {
    const brokenMappings = fs.mkdtempSync(path.join(os.tmpdir(), 'map-'));
    fs.writeFileSync(path.join(brokenMappings, 'students.yaml'), 'target: person.student\nfields:\n  last_name: { from: Фамилия, transform: [shout] }\n');
    const problems = await problemsOf(`
database: { url: "mysql://hub:\${HUB_DB_PASSWORD}@db:3306/hub" }
${orgs}
instances:
  - name: a
    connector: no-such-connector
    organization: sch-1
  - name: b
    connector: roster
    organization: sch-1
    schedule: "every night"
    dependsOn: [c]
  - name: c
    connector: roster
    organization: sch-1
    mapping: ${brokenMappings}
    dependsOn: [b]
`);
    const byPath = problems.map((p) => `${p.path}: ${p.message}`);
    expect(byPath).toEqual(expect.arrayContaining([
      'database.url: environment variable HUB_DB_PASSWORD is not set',
      expect.stringMatching(/^instances\[0\]\.connector: unknown connector "no-such-connector"/),
      'instances[1].schedule: "every night" is not a valid cron expression',
      expect.stringMatching(/^instances\[1\]\.dependsOn: dependsOn cycle: b -> c -> b/),
      expect.stringMatching(/^instances\[2\]\.mapping: .*students\.yaml: fields\.last_name\.transform: unknown transform "shout"/),
    ]));
    expect(problems.length).toBeGreaterThanOrEqual(5);
    expect(problems.find((p) => p.path === 'instances[1].schedule')?.line).toBe(18);
    // The secret's value is never part of a message.
    expect(JSON.stringify(problems)).not.toContain('HUB_DB_PASSWORD=');
  });

  it('reports schema problems (unknown keys, bad codes) together', async () => {
    const problems = await problemsOf(`
timezone: Europe/Samara
organizations:
  - { code: "Школа", kind: school, name: X, inn: "12" }
`);
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['', 'organizations[0].code', 'organizations[0].inn']));
  });

  it('accepts the shipped example', async () => {
    expect(await problemsOf(fs.readFileSync(path.join(ROOT, 'hub.example.yaml'), 'utf8').replace(/\.\/fixtures/g, path.join(ROOT, 'fixtures')))).toEqual([]);
  });
});

describe('calendar inheritance', () => {
  it('gives schools the municipality calendar unless they declare their own', async () => {
    const file = path.join(ROOT, 'hub.example.yaml');
    const { hub } = await loadConfig(file, { env: {} });
    const tree = new OrgTree(hub);
    expect(tree.get('sch-001').calendar.weekA).toBe('2026-08-31');
    expect(tree.get('sch-001').calendar.bellPeriods[0]).toEqual({ period: 1, start: '08:30', end: '09:15' });
    expect(tree.get('sch-001').timeZone).toBe('Europe/Samara');
    expect(tree.isHoliday('sch-002', '2026-10-30')).toBe(true);
    expect(tree.isHoliday('sch-002', '2026-11-05')).toBe(false);
    expect(tree.subtree('obr').map((o) => o.code).sort()).toEqual(['obr', 'sch-001', 'sch-002']);
  });
});
