/**
 * The diary's class-week read model (migration 0009, src/domain/diary/class-weeks.ts): a week is
 * read from its stored payload once built, and any write to a lesson, its audience or its homework
 * (whoever writes: triggers) makes the next read current. A build that races an open write is
 * answered but never stored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { listen } from '../../src/api/server.ts';
import { refreshDiaryWeeks } from '../../src/domain/diary/class-weeks.ts';
import { lessonsForStudent } from '../../src/domain/diary/lessons.ts';
import { findStudent } from '../../src/domain/diary/student.ts';
import { Seeder, type Ref } from '../api/seed.ts';
import { DIALECTS } from '../helpers/env.ts';
import { makeHub, type TestHub } from '../helpers/hub.ts';

let h: TestHub | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const WEEK1 = ['2026-10-05', '2026-10-11'] as const;
const WEEK2 = ['2026-10-12', '2026-10-18'] as const;

async function world(db: Knex) {
  const seed = new Seeder(db, () => new Date('2026-10-01T08:00:00Z'));
  const c5a = await seed.schoolClass('sch-001', '5А', 5);
  const c5b = await seed.schoolClass('sch-001', '5Б', 5);
  const g1 = await seed.group(c5a, '1');
  const math = await seed.subject('sch-001', 'Математика');
  const anna = await seed.person({ last: 'Смирнова', first: 'Анна' });
  const boris = await seed.person({ last: 'Орлов', first: 'Борис' });
  await seed.enroll(anna, 'sch-001', c5a, { group: g1 });
  await seed.enroll(boris, 'sch-001', c5b);
  const l1 = await seed.lesson({ org: 'sch-001', date: '2026-10-05', period: 1, subject: math, audience: [{ cls: c5a }], topic: 'Дроби' });
  const l2 = await seed.lesson({ org: 'sch-001', date: '2026-10-06', period: 2, subject: math, audience: [{ cls: c5a, group: g1 }], topic: 'Проценты' });
  const l3 = await seed.lesson({ org: 'sch-001', date: '2026-10-12', period: 1, subject: math, audience: [{ cls: c5a }], topic: 'Уравнения' });
  return { seed, c5a, c5b, anna, boris, l1, l2, l3 };
}

/** What a diary shows of a student's lessons in a window: date, period, topic, homework texts. */
async function shown(db: Knex, student: Ref, [from, to]: readonly [string, string]) {
  const s = (await findStudent(db, { uid: student.uid }))!;
  return (await lessonsForStudent(db, s.enrollments, from, to)).map((l) => [l.view.date, l.view.period, l.view.topic, l.homework.map((x) => x.text)]);
}

const weekRow = async (db: Knex, cls: Ref, week: string) =>
  (await db('diary_weeks').where({ class_id: cls.id, week }).first('version', 'fresh', 'payload')) as { version: number; fresh: number; payload: string | null } | undefined;

describe.each(DIALECTS)("the diary's class-week read model (%s)", (dialect) => {
  it('builds a week on its first read, stores it, and answers later reads from it', async () => {
    h = await makeHub({ dialect });
    const db = h.rt.db;
    const w = await world(db);
    // Writing the lessons marked their weeks as changed.
    expect(await weekRow(db, w.c5a, '2026-10-05')).toMatchObject({ fresh: expect.anything(), payload: null });
    expect(Number((await weekRow(db, w.c5a, '2026-10-05'))!.fresh)).toBe(0);

    expect(await shown(db, w.anna, WEEK1)).toEqual([['2026-10-05', 1, 'Дроби', []], ['2026-10-06', 2, 'Проценты', []]]);
    const built = (await weekRow(db, w.c5a, '2026-10-05'))!;
    expect(Number(built.fresh)).toBe(1);
    expect(built.payload).toContain('Дроби');

    // The next read takes the stored week: an edit of the payload itself (no core row changed) shows.
    await db('diary_weeks').where({ class_id: w.c5a.id, week: '2026-10-05' }).update({ payload: built.payload!.replace('Дроби', 'Из хранилища') });
    expect((await shown(db, w.anna, WEEK1))[0]).toEqual(['2026-10-05', 1, 'Из хранилища', []]);
  });

  it('makes the next read current after any write to a lesson, its audience or its homework', async () => {
    h = await makeHub({ dialect });
    const db = h.rt.db;
    const w = await world(db);
    const read = async (student: Ref, week: readonly [string, string]) => {
      const got = await shown(db, student, week);
      // The same as a week built from the core tables right now.
      const stored = await db('diary_weeks').select('class_id', 'week', 'payload', 'fresh', 'version');
      await db('diary_weeks').update({ fresh: 0 });
      expect(await shown(db, student, week)).toEqual(got);
      await db('diary_weeks').del();
      for (const r of stored) await db('diary_weeks').insert(r);
      return got;
    };
    await read(w.anna, WEEK1);
    await read(w.anna, WEEK2);

    await db('lessons').where({ id: w.l1.id }).update({ topic: 'Сложение дробей' });
    expect((await read(w.anna, WEEK1))[0]).toEqual(['2026-10-05', 1, 'Сложение дробей', []]);

    await w.seed.homework({ org: 'sch-001', lesson: w.l2, text: '№ 12 на с. 45' });
    expect((await read(w.anna, WEEK1))[1]).toEqual(['2026-10-06', 2, 'Проценты', ['№ 12 на с. 45']]);

    // Moved to the next week: gone from this one, shown in that one.
    await db('lessons').where({ id: w.l1.id }).update({ date: '2026-10-13' });
    expect((await read(w.anna, WEEK1)).map((l) => l[0])).toEqual(['2026-10-06']);
    expect((await read(w.anna, WEEK2)).map((l) => l[0])).toEqual(['2026-10-12', '2026-10-13']);

    // A joint lesson: 5Б joins l3, then leaves it (the audience row deleted outright).
    expect(await read(w.boris, WEEK2)).toEqual([]);
    await db('lesson_audience').insert({ uid: '00000000-0000-7000-8000-00000000aa01', nk: `${w.l3.id}|${w.c5b.id}|`, content_hash: 'x', change_version: 999, created_at: '2026-10-01T08:00:00.000Z', updated_at: '2026-10-01T08:00:00.000Z', lesson_id: w.l3.id, class_id: w.c5b.id, group_id: null });
    expect(await read(w.boris, WEEK2)).toEqual([['2026-10-12', 1, 'Уравнения', []]]);
    await db('lesson_audience').where({ lesson_id: w.l3.id, class_id: w.c5b.id }).del();
    expect(await read(w.boris, WEEK2)).toEqual([]);

    // Soft-deleted lesson and homework disappear.
    await w.seed.softDelete('lessons', w.l3);
    expect((await read(w.anna, WEEK2)).map((l) => l[0])).toEqual(['2026-10-13']);
    await db('homework').update({ deleted_at: '2026-10-07T08:00:00.000Z' });
    expect((await read(w.anna, WEEK1))[0]).toEqual(['2026-10-06', 2, 'Проценты', []]);
  });

  it('builds every week writers made stale in bulk, so that reads find them fresh', async () => {
    h = await makeHub({ dialect });
    const db = h.rt.db;
    const w = await world(db);
    const stale = async () => Number((await db('diary_weeks').where('fresh', 0).count({ n: '*' }).first())!.n);
    expect(await stale()).toBe(2);
    expect(await refreshDiaryWeeks(db)).toEqual({ built: 2 });
    expect(await stale()).toBe(0);
    expect(await refreshDiaryWeeks(db)).toEqual({ built: 0 });
    await db('lessons').where({ id: w.l3.id }).update({ topic: 'Системы уравнений' });
    expect(await stale()).toBe(1);
    expect(await refreshDiaryWeeks(db)).toEqual({ built: 1 });
    expect(await shown(db, w.anna, WEEK2)).toEqual([['2026-10-12', 1, 'Системы уравнений', []]]);
  });

  it.runIf(dialect === 'mysql')('answers a read that races an open write from before it, and does not store that week', async () => {
    h = await makeHub({ dialect });
    const db = h.rt.db;
    const w = await world(db);
    await refreshDiaryWeeks(db);
    await db('lessons').where({ id: w.l1.id }).update({ topic: 'Первая правка' }); // the week is stale

    const trx = await db.transaction();
    try {
      await trx('lessons').where({ id: w.l1.id }).update({ topic: 'Вторая правка' });
      // The read builds the week from what is committed, then waits to store it behind the open write.
      const reading = shown(db, w.anna, WEEK1);
      await new Promise((r) => setTimeout(r, 300));
      await trx.commit();
      expect((await reading)[0]).toEqual(['2026-10-05', 1, 'Первая правка', []]);
    } catch (err) {
      await trx.rollback();
      throw err;
    }
    expect(Number((await weekRow(db, w.c5a, '2026-10-05'))!.fresh)).toBe(0);
    expect((await shown(db, w.anna, WEEK1))[0]).toEqual(['2026-10-05', 1, 'Вторая правка', []]);
    expect(Number((await weekRow(db, w.c5a, '2026-10-05'))!.fresh)).toBe(1);
  });
});

describe('a listening API server', () => {
  it('builds the weeks writers made stale while it runs', async () => {
    h = await makeHub();
    const db = h.rt.db;
    const w = await world(db);
    const fresh = async () => Number((await db('diary_weeks').where('fresh', 1).count({ n: '*' }).first())!.n);
    const server = await listen(h.rt, { port: 0, host: '127.0.0.1' }, { diaryRefreshMs: 50 });
    try {
      for (let i = 0; i < 100 && (await fresh()) < 2; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await fresh()).toBe(2);
      // The write marks its week stale; the server builds it again without any read.
      await db('lessons').where({ id: w.l1.id }).update({ topic: 'Сложение дробей' });
      for (let i = 0; i < 100 && (await fresh()) < 2; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await fresh()).toBe(2);
      expect((await weekRow(db, w.c5a, '2026-10-05'))!.payload).toContain('Сложение дробей');
    } finally {
      await server.close();
    }
  });
});
