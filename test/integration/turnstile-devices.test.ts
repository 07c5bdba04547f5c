/** `rso-hub devices`: the secret a controller signs with, handed out once and managed by IT staff. */
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { build } from '../../src/api/app.ts';
import { register as registerDevices } from '../../src/cli/commands/devices.ts';
import type { TestHub } from '../helpers/hub.ts';
import { clockAt, DAY, local, push, turnstileHub } from '../helpers/turnstile.ts';

let h: TestHub | undefined;
afterEach(async () => {
  process.exitCode = undefined;
  await h?.close();
  h = undefined;
});

async function cli(...args: string[]): Promise<{ out: string; err: string; code: number | undefined }> {
  const program = new Command('rso-hub').option('-c, --config <file>').exitOverride();
  registerDevices(program);
  let out = '';
  let err = '';
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true));
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true));
  try {
    await program.parseAsync(['node', 'rso-hub', '--config', h!.configFile, ...args]);
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
  return { out, err, code: process.exitCode as number | undefined };
}

describe('rso-hub devices', () => {
  it('adds a device whose printed secret signs pushes, rotates and revokes it, and never shows a secret again', async () => {
    h = await turnstileHub(clockAt(new Date()));
    const app = await build({ rt: h.rt });
    const body = [{ time: `${DAY}T08:12:40+04:00`, direction: 'in', card: '161.36417' }];
    const status = async (dev: { id: string; secret: string }, n: number) => (await push(app, 'gate-sch-001', dev, [...body, { ...body[0], time: `${DAY}T08:1${n}:00+04:00` }])).statusCode;
    try {
      const added = await cli('devices', 'add', 'gate-sch-001', 'gate-1', '--description', 'главный вход', '--json');
      const { secret } = JSON.parse(added.out) as { secret: string };
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(added.err).not.toContain(secret);
      expect(await status({ id: 'gate-1', secret }, 1)).toBe(202);

      const listed = await cli('devices', 'list', 'gate-sch-001');
      expect(listed.out).toContain('gate-1');
      expect(listed.out).toContain('главный вход');
      expect(listed.out).not.toContain(secret);
      expect((await cli('devices', 'add', 'gate-sch-001', 'gate-1')).code).toBe(1);

      const rotated = await cli('devices', 'rotate', 'gate-sch-001', 'gate-1');
      const fresh = /secret:\s+(\S+)/.exec(rotated.out)![1]!;
      expect(rotated.err).toMatch(/not shown again/);
      expect(await status({ id: 'gate-1', secret }, 2)).toBe(401);
      expect(await status({ id: 'gate-1', secret: fresh }, 3)).toBe(202);

      expect((await cli('devices', 'revoke', 'gate-sch-001', 'gate-1')).out).toContain('revoked gate-1');
      expect(await status({ id: 'gate-1', secret: fresh }, 4)).toBe(401);
      expect((await cli('devices', 'list', 'gate-sch-001', '--json')).out).toMatch(/"revokedAt":"20/);
    } finally {
      await app.close();
    }
  });

  it('refuses instances that take no device-signed pushes', async () => {
    h = await turnstileHub(clockAt(local(DAY, '09:00')));
    const res = await cli('devices', 'add', 'roster-sch-001', 'gate-1');
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/no_device_push/);
  });
});
