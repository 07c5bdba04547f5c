/**
 * The signature of a pushed batch (connectors/turnstile README): hex HMAC-SHA256 with the device's
 * secret over `timestamp + "." + raw body`. Here so that the hub's own callers (the demo, the
 * benchmark's clients) sign without importing a connector.
 */
import { createHmac } from 'node:crypto';

export function signBatch(secret: string, timestamp: number | string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}
