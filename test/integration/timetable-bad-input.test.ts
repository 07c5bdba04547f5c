/**
 * Issue 4 acceptance, bad input: a file the reader cannot use (malformed XML, an XML bomb, an
 * empty file, one over the size limit, one whose first weekday cannot be told) fails the run
 * with a clear code and writes nothing; bad records are rejected one by one, naming what is
 * wrong, and the good ones load.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { getRun, listRejects } from '../../src/pipeline/runs-store.ts';
import { fixture, type TestHub } from '../helpers/hub.ts';
import { clock, datedLines, run, timetableHub, timetableInstance } from '../helpers/timetable.ts';

let h: TestHub | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const asc = (name: string) => fixture('asc-timetables', name);
const WEEK = { from: '2025-09-01', to: '2025-09-07' };
const SCHOOL1 = fs.readFileSync(asc('school1.xml'), 'utf8');

async function state(db: Knex) {
  const seq = await db('cv_sequence').first('value');
  return { seq: Number(seq?.value), lines: await datedLines(db, 'sch-001', { from: '2025-09-01', to: '2026-05-31' }, { withDeleted: true }), bells: await db('bell_periods').count({ n: '*' }).first() };
}

function scratch(name: string, content: string): string {
  const file = path.join(h!.dir, name);
  fs.writeFileSync(file, content);
  return file;
}

const instances = [
  timetableInstance('asc-1', 'asc-timetables', 'sch-001'),
  timetableInstance('asc-small', 'asc-timetables', 'sch-001', { limits: { maxFileBytes: 10_000 } }),
  timetableInstance('untis-1', 'untis', 'sch-001', { streams: ['lessons'] }),
  timetableInstance('xlsx-1', 'schedule-xlsx', 'sch-001', { streams: ['periods', 'lessons'] }),
];

describe('a file the reader cannot use', () => {
  it('fails the run with a clear code, in time, and leaves the loaded timetable exactly as it was', { timeout: 60_000 }, async () => {
    h = await timetableHub({ now: clock('2025-09-03T06:00:00Z').now, instances });
    expect((await run(h, { instance: 'asc-1', files: [asc('school1.xml')] })).status).toBe('succeeded');
    const before = await state(h.rt.db);
    const unnamedDays = SCHOOL1.replace(/(<daysdef [^>]*name=")[^"]*(" short=")[^"]*"/g, '$1День$2X"');
    const cases: [string, string, string[], string][] = [
      ['malformed XML', 'asc-1', [asc('malformed.xml')], 'malformed_xml'],
      ['an XML bomb (entity expansion)', 'asc-1', [asc('bomb.xml')], 'xml_entities_forbidden'],
      ['an empty file', 'asc-1', [scratch('empty.xml', '')], 'empty_file'],
      ['a file over the lowered size limit (10 kB)', 'asc-small', [asc('school1.xml')], 'file_too_large'],
      ['day names no language knows, no firstDay configured', 'asc-1', [scratch('unnamed.xml', unnamedDays)], 'first_day_unknown'],
      ['an empty GPU001', 'untis-1', [scratch('GPU001.TXT', '\r\n')], 'empty_file'],
      ['the empty Excel template', 'xlsx-1', [fixture('schedule-xlsx', 'template.xlsx')], 'no_lessons'],
    ];
    for (const [label, instance, files, code] of cases) {
      const started = Date.now();
      const s = await run(h, { instance, files });
      expect([label, s.status, s.error?.code], label).toEqual([label, 'failed', code]);
      expect(Date.now() - started, label).toBeLessThan(5_000);
      expect((await getRun(h.rt.db, s.runId))?.status, label).toBe('failed');
      expect(await state(h.rt.db), label).toEqual(before);
    }
  });

  it('with day names it cannot read loads once the instance says which day comes first', async () => {
    h = await timetableHub({ now: clock('2025-08-31T06:00:00Z').now, instances: [timetableInstance('asc-1', 'asc-timetables', 'sch-001', { config: { firstDay: 'monday' } })] });
    const unnamedDays = SCHOOL1.replace(/(<daysdef [^>]*name=")[^"]*(" short=")[^"]*"/g, '$1День$2X"');
    const s = await run(h, { instance: 'asc-1', files: [scratch('unnamed.xml', unnamedDays)], ...WEEK });
    expect(s.status).toBe('succeeded');
    expect((await datedLines(h.rt.db, 'sch-001', WEEK))[0]).toBe('2025-09-01 1 08:30-09:15 | 5А |  | Математика | ИвановаАП | 201');
  });
});

describe('bad records', () => {
  it('a card pointing at a missing lesson or a period not in <periods> is rejected; the good card loads', async () => {
    h = await timetableHub({ now: clock('2025-08-31T06:00:00Z').now, instances });
    const s = await run(h, { instance: 'asc-1', files: [asc('bad-refs.xml')], ...WEEK });
    expect(s.status, JSON.stringify(s.error)).toBe('succeeded');
    const rejects = await listRejects(h.rt.db, s.runId);
    expect(rejects.map((r: { stream: string; code: string; position: string }) => [r.stream, r.code, r.position])).toEqual([
      ['periods', 'bad_time', 'line 6 (period 3)'],
      ['lessons', 'unknown_lesson', 'line 33 (card 2)'],
      ['lessons', 'unknown_period', 'line 34 (card 3)'],
      ['lessons', 'unknown_teacher', 'line 35 (card 4)'],
      ['lessons', 'duplicate_lesson', 'line 36 (card 5)'],
    ]);
    expect(await datedLines(h.rt.db, 'sch-001', WEEK)).toEqual(['2025-09-01 1 08:30-09:15 | 5А |  | Математика | ИвановаАП | 201']);
  });

  it('a lesson of a class the roster does not have is rejected naming the class; the rest loads', async () => {
    h = await timetableHub({ now: clock('2025-08-31T06:00:00Z').now, instances });
    // 6А becomes 7В, a class the roster lacks: its five weekly lessons (PE joint with 5Б too) wait.
    const xml = SCHOOL1.replace('name="6А" short="6А"', 'name="7В" short="7В"');
    const s = await run(h, { instance: 'asc-1', files: [scratch('school.xml', xml)], ...WEEK });
    expect(s.status, JSON.stringify(s.error)).toBe('succeeded');
    const rejects = await listRejects(h.rt.db, s.runId);
    const unknown = rejects.filter((r: { code: string }) => r.code === 'class_not_in_roster');
    expect(unknown).toHaveLength(5);
    expect(unknown[0].message).toContain('class "7В" is not in the roster of sch-001 for 2025/2026');
    expect(rejects.filter((r: { code: string }) => r.code !== 'class_not_in_roster').map((r: { code: string }) => r.code)).toEqual([]);
    const lines = await datedLines(h.rt.db, 'sch-001', WEEK);
    expect(lines.some((l) => l.includes('6А') || l.includes('7В'))).toBe(false);
    expect(lines).toContain('2025-09-01 3 10:30-11:15 | 5Б |  | Математика | ИвановаАП | 201');
  });

  it('two lessons for one class in one period: the second (in lesson order) is rejected as a conflict', async () => {
    h = await timetableHub({ now: clock('2025-08-31T06:00:00Z').now, instances });
    const xml = SCHOOL1.replace('<card lessonid="5928F181DDD932A0" classroomids="45B22888EF03ACB3" period="3" weeks="11" terms="1" days="10000"/>',
      '<card lessonid="5928F181DDD932A0" classroomids="45B22888EF03ACB3" period="3" weeks="11" terms="1" days="10000"/><card lessonid="48F4D4296BCE91A8" classroomids="8690A0835A8AA46F" period="3" weeks="11" terms="1" days="10000"/>');
    const s = await run(h, { instance: 'asc-1', files: [scratch('school.xml', xml)], ...WEEK });
    const rejects = await listRejects(h.rt.db, s.runId);
    expect(rejects.map((r: { code: string; field: string }) => [r.code, r.field])).toEqual([['timetable_conflict', 'period']]);
    // A history card added on Monday 3rd, where 5Б has mathematics: history sorts first (ИСТ < МАТ).
    expect(rejects[0].message).toMatch(/^5Б already has a lesson in period 3 on 2025-09-01 \(from line \d+ \(card 13\)\)/);
    expect((await datedLines(h.rt.db, 'sch-001', { from: '2025-09-01', to: '2025-09-01' })).filter((l) => l.includes('| 5Б |'))).toEqual([
      '2025-09-01 3 10:30-11:15 | 5Б |  | История | ОрловПК | 203',
    ]);
  });
});
