/**
 * Concurrent controllers: `clients` HTTP clients on keep-alive connections take the day's batches
 * in order, each sent no earlier than its slot at the offered rate (events per second), signed
 * with its school's device secret, and timed from the request to the 202.
 */
import http from 'node:http';
import { signBatch } from '../../src/domain/access/batch-signature.ts';
import type { Batch } from './morning.ts';

export interface PushResult {
  sent: number;
  passes: number;
  failed: number;
  seconds: number;
  /** Milliseconds, one per acknowledged batch. */
  latencies: number[];
  statuses: Record<string, number>;
}

export interface PushOptions {
  url: string;
  clients: number;
  /** Offered load in passes per second (0: as fast as the server answers). */
  rate: number;
  secrets: Map<string, string>;
  /** The hub's clock (X-Timestamp must be within its replay window). */
  hubNow: () => number;
  onProgress?: (done: number) => void;
}

function post(agent: http.Agent, url: URL, path: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: url.hostname, port: url.port, path, method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function pushAll(batches: Batch[], o: PushOptions): Promise<PushResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.clients });
  const url = new URL(o.url);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  let offered = 0;
  const slot: number[] = batches.map((b) => {
    const at = o.rate > 0 ? (offered / o.rate) * 1000 : 0;
    offered += b.passes;
    return at;
  });
  let passes = 0;
  let failed = 0;
  const t0 = performance.now();
  const client = async () => {
    for (;;) {
      const i = next++;
      const b = batches[i];
      if (!b) return;
      const wait = t0 + slot[i]! - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const ts = Math.floor(o.hubNow() / 1000);
      const headers = { 'x-device': 'gate-1', 'x-timestamp': String(ts), 'x-signature': signBatch(o.secrets.get(b.school)!, ts, b.body) };
      const start = performance.now();
      const status = await post(agent, url, `/ingest/turnstile-${b.school}`, b.body, headers).catch(() => 0);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === 202) {
        latencies.push(performance.now() - start);
        passes += b.passes;
      } else failed++;
      if (i % 1000 === 0) o.onProgress?.(i);
    }
  };
  await Promise.all(Array.from({ length: o.clients }, client));
  agent.destroy();
  return { sent: batches.length, passes, failed, seconds: (performance.now() - t0) / 1000, latencies, statuses };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
