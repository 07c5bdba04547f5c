/**
 * Issue 4 acceptance, re-import semantics (snapshot stream): an identical file and a re-export
 * with new aSc ids write nothing; a changed export after marks exist changes only the lessons
 * from today on, keeps every lesson marks, attendance or homework point at, and says what
 * changed; a dry run says it without writing. On SQLite and MariaDB.
 */
import type { Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/env.ts';
import { fixture, type TestHub } from '../helpers/hub.ts';
import { clock, datedLines, lessonsWritten, run, timetableHub, timetableInstance } from '../helpers/timetable.ts';

const asc = (name: string) => fixture('asc-timetables', name);
const SEPTEMBER = { from: '2025-09-01', to: '2025-09-30' };

async function state(db: Knex) {
  const seq = await db('cv_sequence').first('value');
  const lessons = await db('lessons').count({ n: '*' }).first();
  const audience = await db('lesson_audience').count({ n: '*' }).first();
  return { seq: Number(seq?.value), lessons: Number(lessons?.n), audience: Number(audience?.n) };
}

/** A lesson of 5Б (the roster's Васильев Глеб is in it) by date and period. */
async function lesson5B(db: Knex, date: string, period: number): Promise<{ id: number; organization_id: number; subject_id: number }> {
  const row = await db('lessons').where({ date, period, audience_key: '5Б' }).first('id', 'organization_id', 'subject_id');
  if (!row) throw new Error(`no lesson of 5Б on ${date} period ${period}`);
  return { id: Number(row.id), organization_id: Number(row.organization_id), subject_id: Number(row.subject_id) };
}

let seq = 0;
function core(now: string) {
  seq++;
  return { uid: `00000000-0000-7000-8000-${String(seq).padStart(12, '0')}`, nk: `test-${seq}`, content_hash: 'test', change_version: 0, created_at: now, updated_at: now };
}

describe.each(DIALECTS)('re-importing a timetable (%s)', (dialect) => {
  let h: TestHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('the identical file, a re-export with new ids and shuffled order, and a later re-run write no lesson', async () => {
    const c = clock('2025-08-31T06:00:00Z');
    h = await timetableHub({ dialect, now: c.now, instances: [timetableInstance('asc-1', 'asc-timetables', 'sch-001')] });
    const first = await run(h, { instance: 'asc-1', files: [asc('school1.xml')] });
    expect(first.status).toBe('succeeded');
    expect(first.streams.lessons?.created).toBeGreaterThan(400);
    expect(first.streams.lessons?.notes).toMatchObject({ weekly_added: 14 });
    const before = await state(h.rt.db);

    for (const file of ['school1.xml', 'school1-reexport.xml']) {
      const again = await run(h, { instance: 'asc-1', files: [asc(file)] });
      expect(again.status, file).toBe('succeeded');
      expect(lessonsWritten(again), file).toBe(0);
      expect(again.streams.lessons?.unchanged, file).toBe(first.streams.lessons?.created);
      expect(await state(h.rt.db), file).toEqual(before);
    }
    // Mid-October: September is history now, the rest still the same plan.
    c.set('2025-10-15T06:00:00Z');
    const later = await run(h, { instance: 'asc-1', files: [asc('school1-reexport.xml')] });
    expect(lessonsWritten(later)).toBe(0);
    expect(later.streams.lessons?.notes).toMatchObject({ weekly_added: 0, weekly_moved: 0, weekly_removed: 0 });
    expect(await state(h.rt.db)).toEqual(before);
  });

  it('a changed export after marks: only lessons from today on change, referenced lessons stay, the summary says what changed', async () => {
    const c = clock('2025-08-31T06:00:00Z');
    h = await timetableHub({ dialect, now: c.now, instances: [timetableInstance('asc-1', 'asc-timetables', 'sch-001')] });
    expect((await run(h, { instance: 'asc-1', files: [asc('school1.xml')] })).status).toBe('succeeded');

    // Monday 15 September, 10:00 in Samara: marks were given on past lessons of 5Б, attendance
    // and homework already point at two of its future lessons.
    c.set('2025-09-15T06:00:00Z');
    const db = h.rt.db;
    const student = await db('persons').where({ last_name: 'Васильев', first_name: 'Глеб' }).first('id');
    const now = c.now().toISOString();
    for (const [date, period] of [['2025-09-08', 3], ['2025-09-10', 2]] as const) {
      const l = await lesson5B(db, date, period);
      await db('marks').insert({ ...core(now), student_id: student.id, subject_id: l.subject_id, lesson_id: l.id, organization_id: l.organization_id, date, value: '5', numeric_value: 5, weight: 1 });
    }
    const literature = await lesson5B(db, '2025-09-24', 2);
    await db('homework').insert({ ...core(now), lesson_id: literature.id, organization_id: literature.organization_id, text: 'Прочитать «Муму»', due_date: '2025-09-24' });
    const mathematics = await lesson5B(db, '2025-09-22', 3);
    await db('attendance').insert({ ...core(now), student_id: student.id, date: '2025-09-22', lesson_id: mathematics.id, organization_id: mathematics.organization_id, status: 'excused', precedence: 1 });

    // school1-changed.xml: 5Б mathematics moves from Monday 3rd to Thursday 2nd period; 5Б literature (week B) is gone.
    const dry = await run(h, { instance: 'asc-1', files: [asc('school1-changed.xml')], dryRun: true });
    const before = await state(db);
    const changed = await run(h, { instance: 'asc-1', files: [asc('school1-changed.xml')] });
    expect(changed.status, JSON.stringify(changed.error)).toBe('succeeded');
    expect(changed.streams.lessons?.notes).toEqual({ weekly_added: 0, weekly_moved: 1, weekly_removed: 1, referenced_kept: 2, past_kept: 2 });
    expect(dry.streams.lessons).toEqual(changed.streams.lessons);

    expect((await datedLines(db, 'sch-001', SEPTEMBER)).filter((l) => l.includes('5Б'))).toEqual([
      '2025-09-01 3 10:30-11:15 | 5Б |  | Математика | ИвановаАП | 201',
      '2025-09-03 2 09:25-10:10 | 5Б |  | История | ОрловПК | 203',
      '2025-09-05 4 11:35-12:20 | 5Б+6А |  | Физическая культура | СмирновДА | Спортзал',
      '2025-09-08 3 10:30-11:15 | 5Б |  | Математика | ИвановаАП | 201',
      '2025-09-10 2 09:25-10:10 | 5Б |  | Литература | ВолковаНН | 202',
      '2025-09-12 4 11:35-12:20 | 5Б+6А |  | Физическая культура | СмирновДА | Спортзал',
      '2025-09-17 2 09:25-10:10 | 5Б |  | История | ОрловПК | 203',
      '2025-09-18 2 09:25-10:10 | 5Б |  | Математика | ИвановаАП | 201',
      '2025-09-19 4 11:35-12:20 | 5Б+6А |  | Физическая культура | СмирновДА | Спортзал',
      '2025-09-22 3 10:30-11:15 | 5Б |  | Математика | ИвановаАП | 201',
      '2025-09-24 2 09:25-10:10 | 5Б |  | Литература | ВолковаНН | 202',
      '2025-09-25 2 09:25-10:10 | 5Б |  | Математика | ИвановаАП | 201',
      '2025-09-26 4 11:35-12:20 | 5Б+6А |  | Физическая культура | СмирновДА | Спортзал',
    ]);
    // The Monday lesson of today and later Mondays are soft-deleted, with a change version each.
    const removed = await db('lessons').where({ date: '2025-09-15', period: 3, audience_key: '5Б' }).first('deleted_at', 'change_version');
    expect(removed.deleted_at).not.toBeNull();
    expect(Number(removed.change_version)).toBeGreaterThan(before.seq - 1000);
    const marked = await db('marks as m').join('lessons as l', 'l.id', 'm.lesson_id').whereNull('l.deleted_at').count({ n: '*' }).first();
    expect(Number(marked?.n)).toBe(2);
    const deletedVersions = await db('lessons').whereNotNull('deleted_at').pluck('change_version');
    expect(new Set(deletedVersions).size).toBe(deletedVersions.length);
    expect(changed.streams.lessons?.deleted).toBe(deletedVersions.length);

    // The dry run wrote nothing: the state before the real run was the state after the first import.
    const again = await run(h, { instance: 'asc-1', files: [asc('school1-changed.xml')] });
    expect(lessonsWritten(again)).toBe(0);
    expect(again.streams.lessons?.notes).toEqual({ weekly_added: 0, weekly_moved: 0, weekly_removed: 0, referenced_kept: 2, past_kept: 2 });
  });

  it('in chunks of three weekly lessons gives the same lessons, the same summary, and nothing on a re-run', async () => {
    const c = clock('2025-08-31T06:00:00Z');
    h = await timetableHub({ dialect, now: c.now, instances: [timetableInstance('asc-1', 'asc-timetables', 'sch-001'), timetableInstance('asc-2', 'asc-timetables', 'sch-002', { chunkSize: 3 })] });
    for (const instance of ['asc-1', 'asc-2']) await run(h, { instance, files: [asc('school1.xml')] });
    expect(await datedLines(h.rt.db, 'sch-002', SEPTEMBER)).toEqual(await datedLines(h.rt.db, 'sch-001', SEPTEMBER));
    c.set('2025-09-15T06:00:00Z');
    const [one, chunked] = [await run(h, { instance: 'asc-1', files: [asc('school1-changed.xml')] }), await run(h, { instance: 'asc-2', files: [asc('school1-changed.xml')] })];
    expect(chunked.streams.lessons).toEqual(one.streams.lessons);
    expect(await datedLines(h.rt.db, 'sch-002', { from: '2025-09-01', to: '2026-05-31' }, { withDeleted: true })).toEqual(await datedLines(h.rt.db, 'sch-001', { from: '2025-09-01', to: '2026-05-31' }, { withDeleted: true }));
    expect(lessonsWritten(await run(h, { instance: 'asc-2', files: [asc('school1-changed.xml')] }))).toBe(0);
  });

  it('a dry run prints what would change and commits nothing', async () => {
    const c = clock('2025-08-31T06:00:00Z');
    h = await timetableHub({ dialect, now: c.now, instances: [timetableInstance('asc-1', 'asc-timetables', 'sch-001')] });
    await run(h, { instance: 'asc-1', files: [asc('school1.xml')] });
    c.set('2025-09-15T06:00:00Z');
    const before = await state(h.rt.db);
    const lines = await datedLines(h.rt.db, 'sch-001', SEPTEMBER);
    const dry = await run(h, { instance: 'asc-1', files: [asc('school1-changed.xml')], dryRun: true });
    expect(dry).toMatchObject({ status: 'succeeded', dryRun: true });
    expect(dry.streams.lessons?.notes).toMatchObject({ weekly_moved: 1, weekly_removed: 1 });
    expect(dry.streams.lessons?.created).toBeGreaterThan(0);
    expect(dry.streams.lessons?.deleted).toBeGreaterThan(0);
    expect(await state(h.rt.db)).toEqual(before);
    expect(await datedLines(h.rt.db, 'sch-001', SEPTEMBER)).toEqual(lines);
  });
});
