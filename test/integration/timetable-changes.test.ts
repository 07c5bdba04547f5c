/**
 * Issue 4 acceptance, daily changes: substitutions, cancellations and room changes from Untis
 * GPU014 and from the generic CSV/XLSX list land on the dated lessons (the diary shows the lesson
 * that really happened, and what it replaced); applying them again, or re-importing the timetable
 * afterwards, changes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { listRejects } from '../../src/pipeline/runs-store.ts';
import { DIALECTS } from '../helpers/env.ts';
import { fixture, type TestHub } from '../helpers/hub.ts';
import { clock, datedLines, lessonsWritten, run, timetableHub, timetableInstance } from '../helpers/timetable.ts';

const WEEK = { from: '2025-09-08', to: '2025-09-12' };
const CHANGED = ['2025-09-09 2 09:25-10:10 | 5А | 5А:1', '2025-09-10 1', '2025-09-11 3 10:30-11:15 | 6А | 6А:3', '2025-09-12 4'];

const SOURCES = {
  'Untis GPU014': { instance: timetableInstance('untis-1', 'untis', 'sch-001', { streams: ['changes'] }), files: ['GPU006.TXT', 'GPU014.TXT'].map((f) => fixture('untis', f)), note: 'Вместо английского — математика', rejected: 1 },
  'CSV list': { instance: timetableInstance('list-1', 'schedule-xlsx', 'sch-001', { streams: ['changes'] }), files: [fixture('schedule-xlsx', 'changes.csv')], note: 'Вместо английского — математика; тетради не нужны', rejected: 3 },
} as const;

async function personId(db: Knex, last: string): Promise<number> {
  return Number((await db('persons').where({ last_name: last }).first('id')).id);
}

async function replacedOn(db: Knex, date: string, period: number, audience: string) {
  const row = await db('lessons').where({ date, period, audience_key: audience }).first('replaced', 'change_note', 'status');
  return { replaced: row.replaced ? JSON.parse(row.replaced) : null, note: row.change_note, status: row.status };
}

describe.each(DIALECTS)('daily changes on the dated lessons (%s)', (dialect) => {
  let h: TestHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  for (const [label, src] of Object.entries(SOURCES)) {
    it(`${label}: a substitute, a cancelled group lesson, a room swap; idempotent; kept by a timetable re-import`, async () => {
      h = await timetableHub({ dialect, now: clock('2025-09-05T06:00:00Z').now, instances: [timetableInstance('asc-1', 'asc-timetables', 'sch-001'), src.instance] });
      const db = h.rt.db;
      expect((await run(h, { instance: 'asc-1', files: [fixture('asc-timetables', 'school1.xml')], ...WEEK })).status).toBe('succeeded');
      const planned = await datedLines(db, 'sch-001', WEEK, { status: true });

      const s = await run(h, { instance: src.instance.name, files: [...src.files] });
      expect(s.status, JSON.stringify(s.error)).toBe('succeeded');
      expect(s.streams.changes).toMatchObject({ updated: 4, rejected: src.rejected });
      const lines = await datedLines(db, 'sch-001', WEEK, { status: true });
      expect(lines.filter((l) => CHANGED.some((c) => l.startsWith(c)))).toEqual([
        // Petrova is ill: Ivanova teaches mathematics to her English group, in her own room.
        '2025-09-09 2 09:25-10:10 | 5А | 5А:1 группа | Математика | ИвановаАП | 201',
        '2025-09-10 1 08:30-09:15 | 5А |  | Русский язык | ПетроваМВ | 202',
        '2025-09-11 3 10:30-11:15 | 6А | 6А:3 группа | Немецкий язык | КузнецоваЕС | 303 [cancelled]',
        '2025-09-12 4 11:35-12:20 | 5Б+6А |  | Физическая культура | СмирновДА | 301',
      ]);
      // Nothing else moved: the other group of 5А still has English with Sidorov.
      expect(lines.filter((l) => !CHANGED.some((c) => l.startsWith(c)))).toEqual(planned.filter((l) => !CHANGED.some((c) => l.startsWith(c))));

      // What was planned stays readable ("instead of" in the diary).
      const [petrova, volkova] = [await personId(db, 'Петрова'), await personId(db, 'Волкова')];
      const english = Number((await db('subjects').where({ name: 'Английский язык' }).first('id')).id);
      const room301 = Number((await db('rooms').where({ name: '301' }).first('id')).id);
      const gym = Number((await db('rooms').where({ name: 'Спортзал' }).first('id')).id);
      expect(await replacedOn(db, '2025-09-09', 2, '5А:1 группа')).toEqual({ replaced: { teacher_ids: [petrova], subject_id: english, room_id: room301 }, note: src.note, status: 'scheduled' });
      expect(await replacedOn(db, '2025-09-10', 1, '5А')).toEqual({ replaced: { teacher_ids: [volkova] }, note: null, status: 'scheduled' });
      expect(await replacedOn(db, '2025-09-11', 3, '6А:3 группа')).toMatchObject({ replaced: null, status: 'cancelled' });
      expect(await replacedOn(db, '2025-09-12', 4, '5Б+6А')).toMatchObject({ replaced: { room_id: gym } });

      const seq = await db('cv_sequence').first('value');
      const again = await run(h, { instance: src.instance.name, files: [...src.files] });
      expect(again.streams.changes).toMatchObject({ updated: 0, unchanged: 4 });
      const reimport = await run(h, { instance: 'asc-1', files: [fixture('asc-timetables', 'school1.xml')], ...WEEK });
      expect(lessonsWritten(reimport)).toBe(0);
      expect(await datedLines(db, 'sch-001', WEEK, { status: true })).toEqual(lines);
      expect(await db('cv_sequence').first('value')).toEqual(seq);
    });
  }
});

describe('a change that cannot be placed', () => {
  let h: TestHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('an .xlsx list (sheet Замены) applies the same way', async () => {
    h = await timetableHub({ now: clock('2025-09-05T06:00:00Z').now, instances: [timetableInstance('asc-1', 'asc-timetables', 'sch-001'), timetableInstance('list-1', 'schedule-xlsx', 'sch-001', { streams: ['changes'] })] });
    await run(h, { instance: 'asc-1', files: [fixture('asc-timetables', 'school1.xml')], ...WEEK });
    const s = await run(h, { instance: 'list-1', files: [fixture('schedule-xlsx', 'changes.xlsx')] });
    expect(s.streams.changes).toMatchObject({ read: 3, updated: 3, rejected: 0 });
    const lines = await datedLines(h.rt.db, 'sch-001', WEEK, { status: true });
    expect(lines.filter((l) => CHANGED.slice(1).some((c) => l.startsWith(c)))).toEqual([
      '2025-09-10 1 08:30-09:15 | 5А |  | Русский язык | ПетроваМВ | 202',
      '2025-09-11 3 10:30-11:15 | 6А | 6А:3 группа | Немецкий язык | КузнецоваЕС | 303 [cancelled]',
      '2025-09-12 4 11:35-12:20 | 5Б+6А |  | Физическая культура | СмирновДА | 301',
    ]);
  });

  it('is rejected naming the lesson or the teacher; the good rows of the list apply', async () => {
    h = await timetableHub({ now: clock('2025-09-05T06:00:00Z').now, instances: [timetableInstance('asc-1', 'asc-timetables', 'sch-001'), timetableInstance('list-1', 'schedule-xlsx', 'sch-001', { streams: ['changes'] })] });
    await run(h, { instance: 'asc-1', files: [fixture('asc-timetables', 'school1.xml')], ...WEEK });
    const file = path.join(h.dir, 'changes-bad.csv');
    fs.writeFileSync(file, [
      'Дата;Урок;Класс;Группа;Вид;Предмет;Новый предмет;Учитель;Новый учитель;Кабинет;Новый кабинет;Примечание',
      '13.09.2025;1;5А;;отмена;;;;;;;Суббота',
      '10.09.2025;1;5А;;замена;Русский язык;;ВолковаНН;НовиковаАА;;;',
      '09.09.2025;2;5А;;отмена;;;;;;;Обе группы',
      '08.09.2025;1;5А;;кабинет;Математика;;ИвановаАП;;201;202;',
    ].join('\n'));
    const s = await run(h, { instance: 'list-1', files: [file] });
    expect(s.streams.changes).toMatchObject({ read: 4, updated: 1, rejected: 3 });
    const rejects = await listRejects(h.rt.db, s.runId);
    expect(rejects.map((r: { position: string; field: string; code: string }) => [r.position, r.field, r.code])).toEqual([
      ['changes-bad.csv line 2', 'period', 'lesson_not_found'],
      ['changes-bad.csv line 3', 'newTeacher', 'teacher_not_on_staff'],
      ['changes-bad.csv line 4', 'classes', 'ambiguous_lesson'],
    ]);
    expect(rejects[1].message).toContain('НовиковаАА');
    expect((await datedLines(h.rt.db, 'sch-001', { from: '2025-09-08', to: '2025-09-08' })).filter((l) => l.includes(' 1 08:30'))).toEqual([
      '2025-09-08 1 08:30-09:15 | 5А |  | Математика | ИвановаАП | 202',
    ]);
  });
});
