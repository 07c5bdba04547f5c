/**
 * Authenticity of a pushed batch: the device names itself (X-Device), says when it signed
 * (X-Timestamp, Unix seconds) and signs `timestamp + "." + raw body` with its own secret
 * (X-Signature: hex HMAC-SHA256). A timestamp outside the replay window is refused before the
 * secret is even looked up; the comparison takes constant time.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IngestRequest } from '../../src/core/contract.ts';
import { PermanentError } from '../../src/core/errors.ts';
import { signBatch } from '../../src/domain/access/batch-signature.ts';

export { signBatch };

const DEVICE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function header(req: IngestRequest, name: string): string | undefined {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
}

export async function verifySignature(req: IngestRequest, replayWindowSeconds: number): Promise<{ source: string }> {
  const device = header(req, 'x-device');
  const timestamp = header(req, 'x-timestamp');
  const signature = header(req, 'x-signature');
  if (!device || !timestamp || !signature) {
    throw new PermanentError('missing_signature', 'a pushed batch needs the headers X-Device, X-Timestamp (Unix seconds) and X-Signature (hex HMAC-SHA256 of "<timestamp>.<body>")');
  }
  if (!DEVICE_ID.test(device)) throw new PermanentError('unknown_device', 'X-Device is not a device id (letters, digits . _ : -, up to 128)');
  if (!/^\d{1,12}$/.test(timestamp)) throw new PermanentError('stale_timestamp', 'X-Timestamp must be Unix time in seconds');
  const skew = Math.round(Math.abs(req.now().getTime() / 1000 - Number(timestamp)));
  if (skew > replayWindowSeconds) {
    throw new PermanentError('stale_timestamp', `X-Timestamp is ${skew} s away from the hub's clock (at most ${replayWindowSeconds} s): a replayed request, or the device's clock is wrong`);
  }
  const secret = await req.secretFor(device);
  if (!secret) throw new PermanentError('unknown_device', `device "${device}" is not registered for this endpoint, or it was revoked (rso-hub devices list)`);
  const expected = Buffer.from(signBatch(secret, timestamp, req.rawBody), 'hex');
  const given = /^[0-9a-f]{64}$/i.test(signature) ? Buffer.from(signature, 'hex') : undefined;
  if (!given || !timingSafeEqual(expected, given)) {
    throw new PermanentError('bad_signature', `X-Signature does not match the body and X-Timestamp for device "${device}"`);
  }
  return { source: `device:${device}` };
}
