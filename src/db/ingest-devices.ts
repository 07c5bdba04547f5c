/**
 * Devices that push signed batches (ingest_devices): one HMAC secret per (instance, device). The
 * secret has to stay readable to check signatures; it is handed out once, by the CLI, and never
 * reaches a log, an answer or `devices list`.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { PermanentError } from '../core/errors.ts';
import { nowIso } from './ids.ts';

export interface IngestDevice {
  instance: string;
  deviceId: string;
  description: string | null;
  createdAt: string;
  rotatedAt: string | null;
  revokedAt: string | null;
}

export const DEVICE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const newSecret = () => randomBytes(32).toString('base64url');

/** Registers a device (or brings a revoked one back with a new secret); returns the secret. */
export async function addDevice(db: Knex, instance: string, deviceId: string, description: string | undefined, now: Date): Promise<string> {
  if (!DEVICE_ID.test(deviceId)) throw new PermanentError('invalid_device_id', `"${deviceId}" is not a device id: letters, digits . _ : -, up to 128`);
  const secret = newSecret();
  const at = nowIso(now);
  const cur = await db('ingest_devices').where({ instance, device_id: deviceId }).first('id', 'revoked_at');
  if (cur && !cur.revoked_at) throw new PermanentError('device_exists', `device ${deviceId} of ${instance} exists; \`rso-hub devices rotate\` gives it a new secret`);
  if (cur) await db('ingest_devices').where({ id: cur.id }).update({ secret, description: description ?? null, rotated_at: at, revoked_at: null });
  else await db('ingest_devices').insert({ instance, device_id: deviceId, secret, description: description ?? null, created_at: at });
  return secret;
}

/** A new secret; the old one stops working at once. */
export async function rotateDevice(db: Knex, instance: string, deviceId: string, now: Date): Promise<string> {
  const secret = newSecret();
  const n = await db('ingest_devices').where({ instance, device_id: deviceId }).whereNull('revoked_at').update({ secret, rotated_at: nowIso(now) });
  if (n === 0) throw new PermanentError('unknown_device', `no active device ${deviceId} of ${instance} (rso-hub devices list ${instance})`);
  return secret;
}

/** The device's pushes are refused from now on; its secret is overwritten. */
export async function revokeDevice(db: Knex, instance: string, deviceId: string, now: Date): Promise<void> {
  const n = await db('ingest_devices').where({ instance, device_id: deviceId }).whereNull('revoked_at').update({ revoked_at: nowIso(now), secret: newSecret() });
  if (n === 0) throw new PermanentError('unknown_device', `no active device ${deviceId} of ${instance} (rso-hub devices list ${instance})`);
}

export async function listDevices(db: Knex, instance: string): Promise<IngestDevice[]> {
  const rows: Record<string, string | null>[] = await db('ingest_devices').where({ instance }).orderBy('device_id')
    .select('instance', 'device_id', 'description', 'created_at', 'rotated_at', 'revoked_at');
  return rows.map((r) => ({ instance: String(r.instance), deviceId: String(r.device_id), description: r.description ?? null, createdAt: String(r.created_at), rotatedAt: r.rotated_at ?? null, revokedAt: r.revoked_at ?? null }));
}
