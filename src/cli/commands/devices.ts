/** `rso-hub devices add|rotate|revoke|list <instance>`: devices that push signed batches. */
import type { Command } from 'commander';
import { PermanentError } from '../../core/errors.ts';
import { addDevice, listDevices, revokeDevice, rotateDevice, type IngestDevice } from '../../db/ingest-devices.ts';
import type { Runtime } from '../../runtime.ts';
import { printTable, reportError, withRuntime } from '../context.ts';

/** The secret is printed here and nowhere else (stdout, never the log). */
function printSecret(instance: string, deviceId: string, secret: string, json: boolean | undefined): void {
  if (json) return void process.stdout.write(`${JSON.stringify({ instance, device: deviceId, secret })}\n`);
  process.stdout.write(`instance: ${instance}\ndevice:   ${deviceId}\nsecret:   ${secret}\n`);
  process.stderr.write('store the secret in the device now: it is not shown again (rotate to get a new one)\n');
}

/** Only instances whose connector takes device-signed pushes have devices. */
function pushInstance(rt: Runtime, name: string): void {
  const inst = rt.instance(name);
  const ingest = rt.connectors.get(inst.connector)?.ingest;
  if (!ingest || ingest.scope) throw new PermanentError('no_device_push', `instance ${name} (${inst.connector}) does not take device-signed pushes`);
}

const row = (d: IngestDevice) => ({ device: d.deviceId, description: d.description, created: d.createdAt, rotated: d.rotatedAt, revoked: d.revokedAt });

export function register(program: Command): void {
  const devices = program.command('devices').description('devices and controllers that push signed batches (per instance)');

  devices.command('add <instance> <device>').description('register a device; prints its secret once')
    .option('--description <text>', 'where it is, e.g. "главный вход, турникет 1"')
    .option('--json')
    .action(async (instance: string, device: string, o: { description?: string; json?: boolean }, cmd: Command) => {
      try {
        await withRuntime(cmd, async (rt) => {
          pushInstance(rt, instance);
          printSecret(instance, device, await addDevice(rt.db, instance, device, o.description, rt.now()), o.json);
        });
      } catch (err) {
        reportError(err);
      }
    });

  devices.command('rotate <instance> <device>').description('new secret; the old one stops working at once').option('--json')
    .action(async (instance: string, device: string, o: { json?: boolean }, cmd: Command) => {
      try {
        await withRuntime(cmd, async (rt) => {
          pushInstance(rt, instance);
          printSecret(instance, device, await rotateDevice(rt.db, instance, device, rt.now()), o.json);
        });
      } catch (err) {
        reportError(err);
      }
    });

  devices.command('revoke <instance> <device>').description('refuse the device from now on')
    .action(async (instance: string, device: string, _o: unknown, cmd: Command) => {
      try {
        await withRuntime(cmd, async (rt) => {
          pushInstance(rt, instance);
          await revokeDevice(rt.db, instance, device, rt.now());
          process.stdout.write(`revoked ${device} of ${instance}\n`);
        });
      } catch (err) {
        reportError(err);
      }
    });

  devices.command('list <instance>').description('the devices of an instance (secrets are never shown)').option('--json')
    .action(async (instance: string, o: { json?: boolean }, cmd: Command) => {
      try {
        await withRuntime(cmd, async (rt) => {
          pushInstance(rt, instance);
          const all = await listDevices(rt.db, instance);
          if (o.json) return void process.stdout.write(`${JSON.stringify(all)}\n`);
          printTable(all.map(row));
        });
      } catch (err) {
        reportError(err);
      }
    });
}
