/** New rows through LOAD DATA LOCAL INFILE from memory (src/db/bulk-insert.ts), MariaDB only. */
import { afterEach, describe, expect, it } from 'vitest';
import { insertNewRows } from '../../src/db/bulk-insert.ts';
import { writeTransaction } from '../../src/db/change-versions.ts';
import { upsertByNk } from '../../src/db/upsert.ts';
import { MYSQL_URL } from '../helpers/env.ts';
import { makeHub, type TestHub } from '../helpers/hub.ts';

let h: TestHub | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const now = new Date('2026-10-01T08:00:00Z');
const row = (nk: string, name: string) => ({ nk, attrs: { organization_id: 1, name, short_name: null } });

describe.skipIf(!MYSQL_URL)('bulk insert of new rows (mysql)', () => {
  it('loads text with tabs, backslashes, newlines, NULLs and Cyrillic exactly', async () => {
    h = await makeHub({ dialect: 'mysql' });
    const names = ['Математика', 'tab\there', 'back\\slash', 'line\nbreak', 'cr\rhere', 'ё'];
    const res = await writeTransaction(h.rt.db, (trx, v) => upsertByNk(trx, v, 'subjects', names.map((n, i) => row(`s${i}`, n)), { source: 't', now, bulk: true }));
    expect(res.created).toBe(6);
    const got = await h.rt.db('subjects').whereIn('nk', names.map((_, i) => `s${i}`)).orderBy('nk').select('name', 'short_name');
    expect(got).toEqual(names.map((n) => ({ name: n, short_name: null })));
    // Loaded rows are ordinary rows: the same input again is unchanged, a change updates in place.
    const again = await writeTransaction(h.rt.db, (trx, v) => upsertByNk(trx, v, 'subjects', [row('s0', 'Математика'), row('s1', 'Физика')], { source: 't', now, bulk: true }));
    expect([again.created, again.updated, again.unchanged]).toEqual([0, 1, 1]);
  });

  it('falls back to insert … on duplicate key update when another writer got there first', async () => {
    h = await makeHub({ dialect: 'mysql' });
    await writeTransaction(h.rt.db, (trx, v) => upsertByNk(trx, v, 'subjects', [row('dup', 'Первая')], { source: 't', now }));
    const first = await h.rt.db('subjects').where({ nk: 'dup' }).first('id', 'uid', 'change_version');
    const calls: number[] = [];
    await writeTransaction(h.rt.db, async (trx) => {
      const cols = ['uid', 'nk', 'content_hash', 'change_version', 'created_at', 'updated_at', 'deleted_at', 'source', 'organization_id', 'name', 'short_name'];
      const mk = (nk: string, name: string) => ({ uid: `00000000-0000-7000-8000-00000000000${nk === 'dup' ? 1 : 2}`, nk, content_hash: 'h', change_version: 999, created_at: now.toISOString(), updated_at: now.toISOString(), deleted_at: null, source: 't', organization_id: 1, name, short_name: null });
      await insertNewRows(trx, 'subjects', cols, [mk('dup', 'Вторая'), mk('new', 'Новая')], async (rows) => {
        calls.push(rows.length);
        await trx('subjects').insert(rows).onConflict('nk').merge(cols.filter((c) => c !== 'uid' && c !== 'nk' && c !== 'created_at'));
      });
    });
    expect(calls).toEqual([2]);
    const after = await h.rt.db('subjects').whereIn('nk', ['dup', 'new']).orderBy('nk').select('nk', 'id', 'uid', 'name');
    expect(after).toEqual([
      { nk: 'dup', id: first.id, uid: first.uid, name: 'Вторая' },
      { nk: 'new', id: expect.anything(), uid: '00000000-0000-7000-8000-000000000002', name: 'Новая' },
    ]);
  });
});
