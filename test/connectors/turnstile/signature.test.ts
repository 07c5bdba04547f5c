import { describe, expect, it } from 'vitest';
import type { IngestRequest } from '../../../src/core/contract.ts';
import { PermanentError } from '../../../src/core/errors.ts';
import { signBatch, verifySignature } from '../../../connectors/turnstile/signature.ts';

const NOW = new Date('2026-10-01T05:00:00Z');
const TS = Math.floor(NOW.getTime() / 1000);
const body = Buffer.from('[{"time":"2026-10-01T08:12:40+04:00","direction":"in","card":"161.36417"}]');
const secrets: Record<string, string> = { 'gate-1': 's3cret-of-gate-1' };

function request(headers: Record<string, string>, raw = body): IngestRequest {
  return { headers, rawBody: raw, now: () => NOW, secretFor: async (id) => secrets[id] };
}

const signed = (over: Record<string, string> = {}, ts = TS) => ({ 'x-device': 'gate-1', 'x-timestamp': String(ts), 'x-signature': signBatch(secrets['gate-1']!, ts, body), ...over });

async function refusal(req: IngestRequest): Promise<string | undefined> {
  try {
    await verifySignature(req, 300);
  } catch (err) {
    if (err instanceof PermanentError) return err.code;
    throw err;
  }
  return undefined;
}

describe('a pushed batch is authentic', () => {
  it('when signed by a registered device: hex HMAC-SHA256 of "<timestamp>.<raw body>"', async () => {
    expect(await verifySignature(request(signed()), 300)).toEqual({ source: 'device:gate-1' });
    // Upper-case hex is the same signature.
    expect(await verifySignature(request(signed({ 'x-signature': signBatch(secrets['gate-1']!, TS, body).toUpperCase() })), 300)).toEqual({ source: 'device:gate-1' });
  });

  it('within the replay window, either side of the hub clock', async () => {
    expect(await refusal(request(signed({}, TS - 300)))).toBeUndefined();
    expect(await refusal(request(signed({}, TS + 300)))).toBeUndefined();
  });
});

describe('a pushed batch is refused', () => {
  it.each([
    ['without headers', {}, 'missing_signature'],
    ['with a signature of another body', { 'x-signature': signBatch(secrets['gate-1']!, TS, '[]') }, 'bad_signature'],
    ['with a signature made with another secret', { 'x-signature': signBatch('guess', TS, body) }, 'bad_signature'],
    ['with a signature that is not hex', { 'x-signature': 'zz' }, 'bad_signature'],
    ['from an unknown device', { 'x-device': 'gate-9' }, 'unknown_device'],
    ['from a device id with odd characters', { 'x-device': 'gate 1\n' }, 'unknown_device'],
    ['with a timestamp that is not Unix seconds', { 'x-timestamp': '2026-10-01T05:00:00Z' }, 'stale_timestamp'],
  ])('%s', async (_name, over, expected) => {
    const headers = Object.keys(over).length === 0 ? {} : signed(over as Record<string, string>);
    expect(await refusal(request(headers))).toBe(expected);
  });

  it('when the timestamp is older (a replay) or newer than the window', async () => {
    expect(await refusal(request(signed({}, TS - 301)))).toBe('stale_timestamp');
    expect(await refusal(request(signed({}, TS + 301)))).toBe('stale_timestamp');
  });

  it('when the body was changed after signing', async () => {
    expect(await refusal(request(signed(), Buffer.from(body.toString().replace('08:12', '08:02'))))).toBe('bad_signature');
  });
});
