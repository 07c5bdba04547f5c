/**
 * Group commit of pushed batches (src/api/routes/ingest-store.ts): batches that arrive together
 * share one transaction, yet each is answered with its own batch, joins its instance's waiting
 * run, and is stored once however often its body comes, in the same group or after.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { storeBatchGrouped } from '../../src/api/routes/ingest-store.ts';
import { DIALECTS } from '../helpers/env.ts';
import type { TestHub } from '../helpers/hub.ts';
import { clockAt, DAY, local, turnstileHub } from '../helpers/turnstile.ts';

let h: TestHub | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const batch = (instance: string, n: number, now: Date) => ({ instance, source: 'device:gate-1', sha: `sha-${instance}-${n}`, body: `[{"n":${n}}]`, now });

describe.each(DIALECTS)('pushed batches stored together (%s)', (dialect) => {
  it('answers each batch with its own id, once durable, and joins the waiting run of its instance', async () => {
    const clock = clockAt(local(DAY, '08:00'));
    h = await turnstileHub(clock, { dialect });
    const db = h.rt.db;
    const now = clock.now();
    const sent = [...Array.from({ length: 30 }, (_, i) => batch('gate-sch-001', i, now)), ...Array.from({ length: 20 }, (_, i) => batch('perco-sch-001', i, now))];
    const stored = await Promise.all(sent.map((b) => storeBatchGrouped(db, b)));

    expect(new Set(stored.map((s) => s.batchId)).size).toBe(50);
    expect(stored.every((s) => !s.duplicate)).toBe(true);
    const rows: { id: string; instance: string; body_sha256: string; run_id: string }[] = await db('ingest_batches').select('id', 'instance', 'body_sha256', 'run_id');
    expect(rows).toHaveLength(50);
    const byId = new Map(rows.map((r) => [r.id, r]));
    sent.forEach((b, i) => expect(byId.get(stored[i]!.batchId)).toMatchObject({ instance: b.instance, body_sha256: b.sha, run_id: stored[i]!.runId }));
    // Every batch points at a queued ingest run of its own instance; the burst did not make a run per batch.
    const runs: { id: string; instance: string; status: string; kind: string }[] = await db('runs').select('id', 'instance', 'status', 'kind');
    const runById = new Map(runs.map((r) => [r.id, r]));
    for (const r of rows) expect(runById.get(r.run_id)).toMatchObject({ instance: r.instance, status: 'queued', kind: 'ingest' });
    expect(runs.length).toBeLessThan(10);

    // A later batch joins the run still waiting for its instance.
    const later = await storeBatchGrouped(db, batch('gate-sch-001', 99, now));
    expect(runById.get(later.runId)?.instance).toBe('gate-sch-001');
  });

  it('stores large batches that arrive together, whatever their total size', async () => {
    const clock = clockAt(local(DAY, '08:00'));
    h = await turnstileHub(clock, { dialect });
    const db = h.rt.db;
    const big = (n: number) => ({ ...batch('gate-sch-001', n, clock.now()), body: `[${'{"card":"4242001"},'.repeat(60_000)}{"n":${n}}]` });
    const stored = await Promise.all(Array.from({ length: 12 }, (_, i) => storeBatchGrouped(db, big(i))));
    expect(stored.every((s) => !s.duplicate)).toBe(true);
    const rows: { body_sha256: string; n: number }[] = await db('ingest_batches').select('body_sha256', db.raw('length(body) as n'));
    expect(rows).toHaveLength(12);
    expect(rows.every((r) => Number(r.n) > 1_000_000)).toBe(true);
  });

  it('stores a body once: twice in one group, and again after it was stored', async () => {
    const clock = clockAt(local(DAY, '08:00'));
    h = await turnstileHub(clock, { dialect });
    const db = h.rt.db;
    const now = clock.now();
    const first = await storeBatchGrouped(db, batch('gate-sch-001', 1, now));
    const [again, fresh, twiceA, twiceB] = await Promise.all([
      storeBatchGrouped(db, batch('gate-sch-001', 1, now)),
      storeBatchGrouped(db, batch('gate-sch-001', 2, now)),
      storeBatchGrouped(db, batch('gate-sch-001', 3, now)),
      storeBatchGrouped(db, batch('gate-sch-001', 3, now)),
    ]);
    expect(again).toEqual({ batchId: first.batchId, runId: first.runId, duplicate: true });
    expect(fresh!.duplicate).toBe(false);
    expect(twiceB!.batchId).toBe(twiceA!.batchId);
    expect([twiceA!.duplicate, twiceB!.duplicate].sort()).toEqual([false, true]);
    const shas: string[] = await db('ingest_batches').orderBy('body_sha256').pluck('body_sha256');
    expect(shas).toEqual(['sha-gate-sch-001-1', 'sha-gate-sch-001-2', 'sha-gate-sch-001-3']);
  });
});
