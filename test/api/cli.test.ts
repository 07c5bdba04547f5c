import path from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordAccess, startOfDayIn } from '../../src/api/audit.ts';
import { register as registerAudit } from '../../src/cli/commands/audit.ts';
import { register as registerClients } from '../../src/cli/commands/clients.ts';
import { uuidv7 } from '../../src/db/ids.ts';
import { testApp, testHub, tokenFor, type TestHub } from './helpers.ts';

let hub: TestHub;
beforeEach(async () => {
  hub = await testHub();
  process.exitCode = undefined;
});
afterEach(async () => {
  process.exitCode = undefined;
  await hub.cleanup();
});

/** Runs `rso-hub --config <test hub.yaml> ...args` in-process and returns what it printed. */
async function cli(...args: string[]): Promise<{ out: string; err: string; code: number | undefined }> {
  const program = new Command('rso-hub').option('-c, --config <file>').exitOverride();
  registerClients(program);
  registerAudit(program);
  let out = '';
  let err = '';
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true));
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true));
  try {
    await program.parseAsync(['node', 'rso-hub', '--config', path.join(hub.dir, 'hub.yaml'), ...args]);
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
  return { out, err, code: process.exitCode as number | undefined };
}

describe('rso-hub clients', () => {
  it('adds a client whose printed secret gets a token, lists it, rotates and revokes it', async () => {
    const added = await cli('clients', 'add', '--name', 'Госуслуги', '--org', 'obr', 'sch-9', '--resource', 'diary:read', '--json');
    const { client_id, client_secret } = JSON.parse(added.out) as { client_id: string; client_secret: string };
    const app = await testApp(hub);
    try {
      expect(await tokenFor(app, client_id, client_secret)).toBeTruthy();
      const listed = await cli('clients', 'list');
      expect(listed.out).toContain(client_id);
      expect(listed.out).toContain('obr sch-9');
      expect(listed.out).not.toContain(client_secret);

      const rotated = JSON.parse((await cli('clients', 'rotate', client_id, '--json')).out) as { client_secret: string };
      expect(rotated.client_secret).not.toBe(client_secret);
      await expect(tokenFor(app, client_id, client_secret)).rejects.toThrow(/401/);
      expect(await tokenFor(app, client_id, rotated.client_secret)).toBeTruthy();

      expect((await cli('clients', 'revoke', client_id)).out).toContain('revoked');
      await expect(tokenFor(app, client_id, rotated.client_secret)).rejects.toThrow(/401/);
      expect((await cli('clients', 'rotate', client_id)).code).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('lists every problem of a bad grant at once and creates nothing', async () => {
    const res = await cli('clients', 'add', '--name', 'x', '--org', 'nowhere', '--resource', 'diary', 'org:sch-1');
    expect(res.code).toBe(1);
    expect(res.err).toContain('unknown organization "nowhere"');
    expect(res.err).toContain('"diary" is not a resource name');
    expect(res.err).toContain('"org:sch-1" is not a resource name');
    expect(await hub.rt.db('api_clients').count({ n: '*' }).first()).toEqual({ n: 0 });
  });
});

describe("rso-hub audit: who read this child's data", () => {
  async function person(snils: string): Promise<{ id: number; uid: string }> {
    const uid = uuidv7();
    const at = hub.clock.now().toISOString();
    const [id] = await hub.rt.db('persons').insert({ uid, nk: `snils:${snils}`, content_hash: 'x', change_version: 1, created_at: at, updated_at: at, last_name: 'Иванов', first_name: 'Пётр', name_key: 'иванов петр', snils });
    return { id: Number(id), uid };
  }

  it('lists reads of a person by СНИЛС or uuid, days counted in the hub time zone', async () => {
    const child = await person('11223344595');
    const other = await person('00000000101');
    const read = (personId: number, at: string, result: 'ok' | 'withheld' = 'ok') =>
      recordAccess(hub.rt.db, { clientId: 'c_portal', personId, resource: 'diary:read', result, requestId: `r-${at}`, at: new Date(at) });
    await read(child.id, '2026-09-30T19:30:00.000Z'); // 23:30 on 30 September in Samara: before
    await read(child.id, '2026-09-30T20:30:00.000Z'); // 00:30 on 1 October in Samara
    await read(child.id, '2026-10-01T12:00:00.000Z', 'withheld');
    await read(child.id, '2026-10-01T20:30:00.000Z'); // 00:30 on 2 October: after
    await read(other.id, '2026-10-01T12:00:00.000Z');

    for (const key of ['112-233-445 95', child.uid]) {
      const res = await cli('audit', '--person', key, '--from', '2026-10-01', '--to', '2026-10-01', '--json');
      const body = JSON.parse(res.out) as { person: string; accesses: { at: string; result: string; clientId: string }[] };
      expect(body.person).toBe(child.uid);
      expect(body.accesses.map((a) => [a.at, a.result])).toEqual([
        ['2026-09-30T20:30:00.000Z', 'ok'],
        ['2026-10-01T12:00:00.000Z', 'withheld'],
      ]);
    }
    const table = await cli('audit', '--person', child.uid, '--from', '2026-09-01', '--to', '2026-10-31');
    expect(table.out).toContain('4 access(es)');
  });

  it('records a many-person answer in one call, every row kept', async () => {
    const child = await person('11223344595');
    const rows = Array.from({ length: 400 }, (_, i) => ({ clientId: 'c_lms', personId: child.id, resource: 'changes:read', result: 'ok' as const, requestId: `r${i}`, at: hub.clock.now() }));
    await recordAccess(hub.rt.db, rows);
    expect(await hub.rt.db('audit_log').where({ person_id: child.id }).count({ n: '*' }).first()).toEqual({ n: 400 });
  });

  it('says so when the person is unknown or the dates are wrong', async () => {
    expect((await cli('audit', '--person', '112-233-445 95', '--from', '2026-10-01')).err).toContain('unknown_person');
    expect((await cli('audit', '--person', uuidv7(), '--from', '1 October')).err).toContain('invalid_date');
  });

  it('computes local midnight as a UTC instant', () => {
    expect(startOfDayIn('Europe/Samara', '2026-10-01').toISOString()).toBe('2026-09-30T20:00:00.000Z');
    expect(startOfDayIn('Europe/Berlin', '2026-03-29').toISOString()).toBe('2026-03-28T23:00:00.000Z');
  });
});
