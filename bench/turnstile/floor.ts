/**
 * The baseline: what committing each batch costs with nothing else around it. The same batch rows
 * the push endpoint writes (ingest_batches + runs) go into copies of those tables, one transaction
 * per batch, by `writers` concurrent writers in this process at the same offered rate as the push:
 * no HTTP, no signature, no parsing.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Runtime } from '../../src/runtime.ts';
import { percentile } from './clients.ts';
import type { Batch } from './morning.ts';

export async function floor(rt: Runtime, batches: Batch[], writers: number, rate: number, sample = 5000): Promise<{ perSecond: number; p50: number; p99: number }> {
  const db = rt.db;
  await db.raw('DROP TABLE IF EXISTS floor_batches, floor_runs');
  await db.raw('CREATE TABLE floor_batches LIKE ingest_batches');
  await db.raw('CREATE TABLE floor_runs LIKE runs');
  const some = batches.slice(0, sample);
  let offered = 0;
  const slot = some.map((b) => {
    const at = rate > 0 ? (offered / rate) * 1000 : 0;
    offered += b.passes;
    return at;
  });
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: writers }, async () => {
    for (let i = next++; i < some.length; i = next++) {
      const b = some[i]!;
      const wait = t0 + slot[i]! - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const start = performance.now();
      const at = new Date().toISOString();
      const [id, runId] = [randomUUID(), randomUUID()];
      await db.transaction(async (trx) => {
        await trx('floor_batches').insert({ id, instance: `turnstile-${b.school}`, source: 'device:gate-1', body_sha256: createHash('sha256').update(b.body).digest('hex'), body: b.body, status: 'accepted', run_id: runId, received_at: at });
        await trx('floor_runs').insert({ id: runId, instance: `turnstile-${b.school}`, status: 'queued', kind: 'ingest', input: JSON.stringify({ files: [], batchId: id }), dry_run: false, queued_at: at });
      });
      latencies.push(performance.now() - start);
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  await db.raw('DROP TABLE floor_batches, floor_runs');
  return { perSecond: some.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}
