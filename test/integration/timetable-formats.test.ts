/**
 * Issue 4 acceptance, per format: a fixture becomes hand-checked dated lessons in the core tables
 * (date, period, bells, classes and groups, subject, teacher, room), after the roster of the same
 * school; day order, A/B weeks, double lessons, holidays and matching of teachers by name.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { listRejects } from '../../src/pipeline/runs-store.ts';
import { SCHOOL1_TWO_WEEKS } from '../connectors/timetable/school1.expected.ts';
import { fixture, type TestHub } from '../helpers/hub.ts';
import { clock, datedLines, run, timetableHub, timetableInstance } from '../helpers/timetable.ts';

let h: TestHub | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const TWO_WEEKS = { from: '2025-09-01', to: '2025-09-14' };
const asc = (name: string) => fixture('asc-timetables', name);
const gpu = (...n: string[]) => n.map((x) => fixture('untis', `GPU${x}.TXT`));
/** The Sunday before term: nothing is past yet. */
const beforeTerm = () => clock('2025-08-31T06:00:00Z').now;

async function hub(...instances: Record<string, unknown>[]): Promise<TestHub> {
  h = await timetableHub({ now: beforeTerm(), instances });
  return h;
}

describe('an aSc Timetables XML export', () => {
  it('becomes the dated lessons of the range, with bells, groups, joint classes and card rooms', async () => {
    await hub(timetableInstance('asc-1', 'asc-timetables', 'sch-001'));
    const s = await run(h!, { instance: 'asc-1', files: [asc('school1.xml')], ...TWO_WEEKS });
    expect(s.status, JSON.stringify(s.error)).toBe('succeeded');
    expect(s.streams.lessons).toMatchObject({ read: 14, created: SCHOOL1_TWO_WEEKS.length, rejected: 0 });
    expect(await datedLines(h!.rt.db, 'sch-001', TWO_WEEKS)).toEqual(SCHOOL1_TWO_WEEKS);
    // By hand, three that matter: the card's room wins over the lesson's (203, not 202), English
    // in two groups of 5А, PE of 5Б and 6А together as one lesson.
    const lines = await datedLines(h!.rt.db, 'sch-001', { from: '2025-09-01', to: '2025-09-05' });
    expect(lines).toContain('2025-09-01 3 10:30-11:15 | 5А |  | Русский язык | ВолковаНН | 203');
    expect(lines).toContain('2025-09-02 2 09:25-10:10 | 5А | 5А:2 группа | Английский язык | СидоровИВ | 302');
    expect(lines).toContain('2025-09-05 4 11:35-12:20 | 5Б+6А |  | Физическая культура | СмирновДА | Спортзал');
  });

  it('matches a teacher without a short code in the roster by full name, and remembers the match', async () => {
    await hub(timetableInstance('asc-1', 'asc-timetables', 'sch-001'));
    await run(h!, { instance: 'asc-1', files: [asc('school1.xml')], ...TWO_WEEKS });
    const orlov = await h!.rt.db('persons').where({ last_name: 'Орлов', first_name: 'Павел' }).first('id');
    const history = await h!.rt.db('lessons').where({ date: '2025-09-03', period: 2 }).first('teacher_ids');
    expect(JSON.parse(history.teacher_ids)).toEqual([Number(orlov.id)]);
    const link = await h!.rt.db('external_ids').where({ source: 'asc-1', entity: 'person', external_id: 'teacher:ОрловПК' }).first('core_id');
    expect(Number(link.core_id)).toBe(Number(orlov.id));
  });

  it('in Windows-1251 gives the same lessons', async () => {
    await hub(timetableInstance('asc-1', 'asc-timetables', 'sch-001'));
    await run(h!, { instance: 'asc-1', files: [asc('school1.cp1251.xml')], ...TWO_WEEKS });
    expect(await datedLines(h!.rt.db, 'sch-001', TWO_WEEKS)).toEqual(SCHOOL1_TWO_WEEKS);
  });

  it('Sunday-first and Monday-first files put each lesson on the same calendar day', async () => {
    await hub(timetableInstance('asc-1', 'asc-timetables', 'sch-001'), timetableInstance('asc-2', 'asc-timetables', 'sch-002'));
    await run(h!, { instance: 'asc-1', files: [asc('school1.xml')], ...TWO_WEEKS });
    await run(h!, { instance: 'asc-2', files: [asc('school1-sunday-first.xml')], ...TWO_WEEKS });
    const sunday = await datedLines(h!.rt.db, 'sch-002', TWO_WEEKS);
    expect(sunday).toEqual(SCHOOL1_TWO_WEEKS);
    // 1 September 2025 is a Monday: the double mathematics of 5А, never on Sunday 31 August.
    expect(sunday.filter((l) => l.startsWith('2025-09-01') && l.includes('| 5А |  | Математика'))).toEqual([
      '2025-09-01 1 08:30-09:15 | 5А |  | Математика | ИвановаАП | 201',
      '2025-09-01 2 09:25-10:10 | 5А |  | Математика | ИвановаАП | 201',
    ]);
    expect(await datedLines(h!.rt.db, 'sch-002', { from: '2025-08-31', to: '2025-08-31' })).toEqual([]);
  });

  it('alternates week A and week B across a month from the organization’s week-A Monday', async () => {
    await hub(timetableInstance('asc-1', 'asc-timetables', 'sch-001'));
    await run(h!, { instance: 'asc-1', files: [asc('school1.xml')], from: '2025-09-01', to: '2025-10-05' });
    const wednesdays = (await datedLines(h!.rt.db, 'sch-001', { from: '2025-09-01', to: '2025-10-05' })).filter((l) => / 2 09:25-10:10 \| 5Б \|/.test(l));
    expect(wednesdays).toEqual([
      '2025-09-03 2 09:25-10:10 | 5Б |  | История | ОрловПК | 203',
      '2025-09-10 2 09:25-10:10 | 5Б |  | Литература | ВолковаНН | 202',
      '2025-09-17 2 09:25-10:10 | 5Б |  | История | ОрловПК | 203',
      '2025-09-24 2 09:25-10:10 | 5Б |  | Литература | ВолковаНН | 202',
      '2025-10-01 2 09:25-10:10 | 5Б |  | История | ОрловПК | 203',
    ]);
  });

  it('a double lesson (two cards) is two lessons, not four', async () => {
    await hub(timetableInstance('asc-1', 'asc-timetables', 'sch-001'));
    await run(h!, { instance: 'asc-1', files: [asc('school1.xml')], ...TWO_WEEKS });
    const monday5A = await h!.rt.db('lessons').where({ date: '2025-09-01', audience_key: '5А' }).orderBy('period').select('period', 'start_time', 'end_time');
    expect(monday5A).toEqual([
      { period: 1, start_time: '08:30', end_time: '09:15' },
      { period: 2, start_time: '09:25', end_time: '10:10' },
      { period: 3, start_time: '10:30', end_time: '11:15' },
    ]);
  });

  it('expands over the terms of hub.yaml and skips holidays and the days between terms', async () => {
    await hub(timetableInstance('asc-1', 'asc-timetables', 'sch-001'));
    const s = await run(h!, { instance: 'asc-1', files: [asc('school1.xml')], from: '2025-10-20', to: '2025-11-07' });
    expect(s.status).toBe('succeeded');
    const dates = [...new Set((await h!.rt.db('lessons').distinct('date')).map((r: { date: string }) => r.date))].sort();
    // 25 Oct – 4 Nov: autumn break between the 1st and 2nd term; 4 Nov is a public holiday.
    expect(dates).toEqual(['2025-10-20', '2025-10-21', '2025-10-22', '2025-10-23', '2025-10-24', '2025-11-05', '2025-11-06', '2025-11-07']);
  });
});

describe('Untis GPU files', () => {
  it('become the same dated lessons with the organization’s bells (GPU has no times) and GPU002 dates', async () => {
    await hub(timetableInstance('untis-1', 'untis', 'sch-001', { streams: ['classes', 'teachers', 'rooms', 'subjects', 'lessons'] }));
    const s = await run(h!, { instance: 'untis-1', files: gpu('001', '002', '003', '004', '005', '006'), ...TWO_WEEKS });
    expect(s.status, JSON.stringify(s.error)).toBe('succeeded');
    // Untis calls 6А's joined groups "1-2 группа"; GPU002 starts 6А mathematics on 8 September.
    const expected = SCHOOL1_TWO_WEEKS.map((l) => l.replace('6А:1 группа+6А:2 группа', '6А:1-2 группа'))
      .filter((l) => !l.startsWith('2025-09-02 1') && !l.startsWith('2025-09-05 1'));
    expect(await datedLines(h!.rt.db, 'sch-001', TWO_WEEKS)).toEqual(expected);
    expect(s.streams.teachers).toMatchObject({ read: 7, unchanged: 7, rejected: 0 });
    expect(s.streams.classes).toMatchObject({ read: 3, unchanged: 3, rejected: 0 });
    expect(s.streams.subjects).toMatchObject({ read: 7, created: 7 });
    // The GPU001 row without a class is a rejection of that row; the rest loads.
    const rejects = await listRejects(h!.rt.db, s.runId);
    expect(rejects.map((r: { stream: string; position: string; code: string }) => [r.stream, r.position, r.code])).toEqual([['lessons', 'GPU001.TXT line 16', 'missing_class']]);
  });
});

describe('two timetable sources for one school', () => {
  it('match the same persons, subjects and rooms: nothing is duplicated', async () => {
    await hub(timetableInstance('asc-1', 'asc-timetables', 'sch-001'), timetableInstance('untis-1', 'untis', 'sch-001', { streams: ['teachers', 'rooms', 'subjects', 'lessons'] }));
    const persons = await h!.rt.db('persons').count({ n: '*' }).first();
    await run(h!, { instance: 'asc-1', files: [asc('school1.xml')], ...TWO_WEEKS });
    await run(h!, { instance: 'untis-1', files: gpu('001', '002', '004', '005', '006'), ...TWO_WEEKS });
    await run(h!, { instance: 'asc-1', files: [asc('school1-reexport.xml')], ...TWO_WEEKS });
    const names = async (table: string) => (await h!.rt.db(table).orderBy('name').pluck('name')).join(', ');
    expect(await names('subjects')).toBe('Английский язык, История, Литература, Математика, Немецкий язык, Русский язык, Физическая культура');
    expect(await names('rooms')).toBe('201, 202, 203, 301, 302, 303, Спортзал');
    expect(await h!.rt.db('persons').count({ n: '*' }).first()).toEqual(persons);
  });
});

describe('the Excel template', () => {
  it('becomes the same dated lessons; a teacher known only by a short code the roster lacks is rejected', async () => {
    await hub(timetableInstance('xlsx-1', 'schedule-xlsx', 'sch-001', { streams: ['periods', 'lessons'] }));
    const s = await run(h!, { instance: 'xlsx-1', files: [fixture('schedule-xlsx', 'sample.xlsx')], ...TWO_WEEKS });
    expect(s.status, JSON.stringify(s.error)).toBe('succeeded');
    // The template carries short codes only; Орлов has none in the roster, so his history lessons wait.
    expect(await datedLines(h!.rt.db, 'sch-001', TWO_WEEKS)).toEqual(SCHOOL1_TWO_WEEKS.filter((l) => !l.includes('ОрловПК')));
    const rejects = await listRejects(h!.rt.db, s.runId);
    expect(rejects.map((r: { position: string; field: string; code: string }) => [r.position, r.field, r.code])).toEqual([['Уроки!A10', 'teachers', 'teacher_not_on_staff']]);
    expect(rejects[0].message).toContain('ОрловПК');
  });
});
