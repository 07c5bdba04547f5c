/**
 * Delivery of a finished package to an HTTP endpoint: `PUT <url>/<package>/<file>` for each data
 * file, then manifest.json, then manifest.sig; the signature arriving last tells the receiver the
 * package is complete. 429 (after Retry-After) and 5xx are retried from the same cursor; other 4xx
 * are permanent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { PermanentError, RateLimitedError, TransientError } from '../../src/core/errors.ts';
import type { PortalPackageConfig } from './config.ts';
import type { Manifest } from './package.ts';

const TYPES: Record<string, string> = { '.jsonl': 'application/x-ndjson', '.json': 'application/json', '.sig': 'application/json' };

export async function deliverHttp(config: PortalPackageConfig, dir: string, manifest: Manifest, signal: AbortSignal): Promise<void> {
  const base = config.url!.replace(/\/+$/, '');
  const names = [...manifest.files.map((f) => f.name), 'manifest.json', 'manifest.sig'];
  for (const name of names) {
    const file = path.join(dir, name);
    const sha = manifest.files.find((f) => f.name === name)?.sha256;
    let res: Response;
    try {
      res = await fetch(`${base}/${encodeURIComponent(manifest.package)}/${name}`, {
        method: 'PUT',
        headers: { ...config.headers, 'content-type': TYPES[path.extname(name)] ?? 'application/octet-stream', 'content-length': String(fs.statSync(file).size), ...(sha ? { 'x-content-sha256': sha } : {}) },
        body: Readable.toWeb(fs.createReadStream(file)) as ReadableStream,
        duplex: 'half',
        signal: AbortSignal.any([signal, AbortSignal.timeout(config.timeoutMs)]),
      } as RequestInit);
    } catch (err) {
      throw new TransientError('endpoint_unreachable', `PUT ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    await res.body?.cancel();
    if (res.status === 429) {
      const seconds = Number(res.headers.get('retry-after'));
      throw new RateLimitedError('endpoint_rate_limited', `PUT ${name}: HTTP 429`, Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 60_000);
    }
    if (res.status >= 500) throw new TransientError('endpoint_unavailable', `PUT ${name}: HTTP ${res.status}`);
    if (res.status >= 300) throw new PermanentError('endpoint_refused', `PUT ${name}: HTTP ${res.status}`);
  }
}
