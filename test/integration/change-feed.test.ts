import { afterEach, describe, expect, it } from 'vitest';
import { committedWatermark, writeTransaction } from '../../src/db/change-versions.ts';
import { readChanges } from '../../src/db/change-feed.ts';
import { upsertByNk } from '../../src/db/upsert.ts';
import { MYSQL_URL } from '../helpers/env.ts';
import { makeHub, type TestHub } from '../helpers/hub.ts';

const subject = (name: string) => ({ nk: `t|${name}`, attrs: { organization_id: 1, name, short_name: null } });

/** A writer that has taken its versions but not committed until `release` is called. */
function slowWriter(h: TestHub, name: string) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const ready = new Promise<void>((r) => (started = r));
  const done = writeTransaction(h.rt.db, async (trx, versions) => {
    await upsertByNk(trx, versions, 'subjects', [subject(name)], { source: 'test', now: new Date() });
    started();
    await gate;
  });
  return { ready, release, done };
}

describe.skipIf(!MYSQL_URL)('change feed watermark (mysql: concurrent writers)', () => {
  let h: TestHub;
  afterEach(async () => h?.close());

  it('delivers a lower change version that commits after a higher one', async () => {
    h = await makeHub({ dialect: 'mysql' });
    const start = await committedWatermark(h.rt.db);
    const slow = slowWriter(h, 'Алгебра');
    await slow.ready; // holds the lower versions, uncommitted
    await writeTransaction(h.rt.db, (trx, v) => upsertByNk(trx, v, 'subjects', [subject('Физика')], { source: 'test', now: new Date() }));

    // The reader pages now: the committed higher version is held back by the open lower lease.
    const early = await readChanges<{ name: string; change_version: number }>(h.rt.db, 'subjects', { after: start, limit: 100 });
    expect(early.rows.map((r) => r.name)).toEqual([]);
    expect(early.watermark).toBe(start);

    slow.release();
    await slow.done;
    const page = await readChanges<{ name: string; change_version: number }>(h.rt.db, 'subjects', { after: early.next, limit: 100 });
    expect(page.rows.map((r) => r.name)).toEqual(['Алгебра', 'Физика']);
    expect(Number(page.rows[0]!.change_version)).toBeLessThan(Number(page.rows[1]!.change_version));
  });
});

describe('change feed paging (sqlite)', () => {
  let h: TestHub;
  afterEach(async () => h?.close());

  it('pages in version order without gaps or repeats and sees nothing uncommitted', async () => {
    h = await makeHub();
    const start = await committedWatermark(h.rt.db);
    const names = Array.from({ length: 25 }, (_, i) => `Предмет ${String(i).padStart(2, '0')}`);
    for (const n of names) await writeTransaction(h.rt.db, (trx, v) => upsertByNk(trx, v, 'subjects', [subject(n)], { source: 'test', now: new Date() }));
    const seen: string[] = [];
    let after = start;
    for (;;) {
      const p = await readChanges<{ name: string; change_version: number }>(h.rt.db, 'subjects', { after, limit: 7 });
      seen.push(...p.rows.map((r) => r.name));
      after = p.next;
      if (p.done) break;
    }
    expect(seen).toEqual(names);
  });
});
