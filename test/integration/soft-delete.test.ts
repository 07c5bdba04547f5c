/**
 * Soft deletes and enrollment closes go out a statement per 150 rows, yet every row still gets a
 * change version of its own (what change feeds order by) and rows already deleted are left as
 * they were.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { writeTransaction } from '../../src/db/change-versions.ts';
import { softDelete, upsertByNk } from '../../src/db/upsert.ts';
import { closeEnrollments } from '../../src/domain/roster/enrollments.ts';
import { Seeder, type Ref } from '../api/seed.ts';
import { DIALECTS } from '../helpers/env.ts';
import { makeHub, type TestHub } from '../helpers/hub.ts';

let h: TestHub | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const now = new Date('2026-10-01T08:00:00Z');

describe.each(DIALECTS)('bulk soft deletes and closes (%s)', (dialect) => {
  it('soft-deletes 400 rows with a version each, leaving an already deleted row alone', async () => {
    h = await makeHub({ dialect });
    const db = h.rt.db;
    const org = Number((await db('organizations').where({ code: 'sch-001' }).first('id'))!.id);
    const rows = Array.from({ length: 400 }, (_, i) => ({ nk: `room|sch-001|${i}`, attrs: { organization_id: org, name: `Кабинет ${i}` } }));
    const refs = await writeTransaction(db, (trx, versions) => upsertByNk(trx, versions, 'rooms', rows, { source: 'test', now }));
    const ids = [...refs.refs.values()].map((r) => r.id);
    await writeTransaction(db, (trx, versions) => softDelete(trx, versions, 'rooms', ids.slice(0, 1), now));
    const before = (await db('rooms').where({ id: ids[0] }).first('change_version', 'deleted_at'))!;
    const top = Number((await db('rooms').max({ v: 'change_version' }).first())!.v);

    const later = new Date('2026-10-02T08:00:00Z');
    await writeTransaction(db, (trx, versions) => softDelete(trx, versions, 'rooms', ids, later));
    const after: { id: number; change_version: number; deleted_at: string | null }[] = await db('rooms').select('id', 'change_version', 'deleted_at');
    expect(after.filter((r) => r.deleted_at === null)).toEqual([]);
    const fresh = after.filter((r) => Number(r.id) !== ids[0]);
    expect(new Set(fresh.map((r) => Number(r.change_version))).size).toBe(399);
    expect(fresh.every((r) => Number(r.change_version) > top && r.deleted_at === '2026-10-02T08:00:00.000Z')).toBe(true);
    expect(await db('rooms').where({ id: ids[0] }).first('change_version', 'deleted_at')).toEqual(before);
  });

  it('closes 300 enrollments with their own versions and content hashes', async () => {
    h = await makeHub({ dialect });
    const db = h.rt.db;
    const seed = new Seeder(db, () => now);
    const cls = await seed.schoolClass('sch-001', '5А', 5);
    const enrollments: Ref[] = [];
    for (let i = 0; i < 300; i++) enrollments.push(await seed.enroll(await seed.person({ last: `Ученик${i}`, first: 'Тест' }), 'sch-001', cls));
    const hashes = new Map((await db('enrollments').select('id', 'content_hash')).map((r: { id: number; content_hash: string }) => [Number(r.id), r.content_hash]));
    await writeTransaction(db, (trx, versions) => closeEnrollments(trx, versions, enrollments.map((e) => e.id), '2026-10-01', 'leaving', now));
    const rows: { id: number; to_date: string; reason_out: string; content_hash: string; change_version: number }[] = await db('enrollments').select('id', 'to_date', 'reason_out', 'content_hash', 'change_version');
    expect(rows.every((r) => r.to_date === '2026-10-01' && r.reason_out === 'leaving')).toBe(true);
    expect(new Set(rows.map((r) => Number(r.change_version))).size).toBe(300);
    expect(new Set(rows.map((r) => r.content_hash)).size).toBe(300);
    expect(rows.every((r) => r.content_hash !== hashes.get(Number(r.id)))).toBe(true);
  });
});
