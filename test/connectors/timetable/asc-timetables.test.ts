import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ascTimetables } from '../../../connectors/asc-timetables/index.ts';
import { parseAscTimetable } from '../../../connectors/asc-timetables/parse.ts';
import { PermanentError } from '../../../src/core/errors.ts';
import { expandLessons } from '../../../src/domain/timetable/expand.ts';
import type { WeeklyLesson } from '../../../src/domain/timetable/model.ts';
import { context, fixture, line, readAll, records, rejects, scratchFile, TWO_WEEKS } from './helpers.ts';
import { SCHOOL1_TWO_WEEKS } from './school1.expected.ts';

const asc = (name: string): string => fixture('asc-timetables', name);
const parse = (name: string) => parseAscTimetable(readFileSync(asc(name)));
const withoutPosition = ({ position: _, ...l }: WeeklyLesson) => l;

async function permanentCode(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (err) {
    if (err instanceof PermanentError) return err.code;
    throw err;
  }
  throw new Error('expected a PermanentError');
}

describe('aSc Timetables XML: a school1 export becomes dated lessons', () => {
  it('gives the hand-checked lessons of the first two weeks, with times from <periods>', () => {
    const dated = expandLessons(parse('school1.xml'), TWO_WEEKS);
    expect(dated.map(line)).toEqual(SCHOOL1_TWO_WEEKS);
  });

  it('reads the bell periods, "8:30" written without a leading zero', () => {
    expect(parse('school1.xml').periods).toEqual([
      { period: 1, start: '08:30', end: '09:15' },
      { period: 2, start: '09:25', end: '10:10' },
      { period: 3, start: '10:30', end: '11:15' },
      { period: 4, start: '11:35', end: '12:20' },
      { period: 5, start: '12:30', end: '13:15' },
    ]);
  });

  it('turns a double lesson (two cards) into two lessons, not four', () => {
    const mathMonday5A = parse('school1.xml').lessons.filter(
      (l) => l.weekday === 1 && l.classes.join() === '5А' && l.subject.name === 'Математика',
    );
    expect(mathMonday5A.map((l) => l.period)).toEqual([1, 2]);
  });

  it('prefers the card room, falls back to the lesson room when the card has none', () => {
    const russian = parse('school1.xml').lessons.filter((l) => l.subject.short === 'РУС');
    // Lesson room 202; the Monday card says 203, the Wednesday card 202.
    expect(russian.map((l) => [l.weekday, l.room])).toEqual([
      [1, '203'],
      [3, '202'],
    ]);
    const doubleMath = parse('school1.xml').lessons.filter((l) => l.weekday === 1 && l.period <= 2);
    expect(doubleMath.map((l) => l.room)).toEqual(['201', '201']);
  });

  it('keeps trimmed names and full teacher details', () => {
    const history = parse('school1.xml').lessons.find((l) => l.subject.name === 'История');
    expect(history?.subject).toEqual({ name: 'История', short: 'ИСТ' });
    expect(history?.teachers).toEqual([
      { short: 'ОрловПК', name: 'Орлов Павел Константинович', lastName: 'Орлов', firstName: 'Павел' },
    ]);
    const joined = parse('school1.xml').lessons.find((l) => l.weekday === 4 && l.subject.short === 'АНГЛ');
    expect(joined?.teachers[0]?.short).toBe('СидоровИВ');
    expect(joined?.teachers[0]?.email).toBe('sidorov.iv@school1.example');
  });

  it('alternates history (week A) and literature (week B) through September, from the anchor week', () => {
    const september = { from: '2025-09-01', to: '2025-09-30', holidays: [] };
    const wednesday5B = (anchor: string) =>
      expandLessons(parse('school1.xml'), { ...september, weekAAnchor: anchor })
        .filter((d) => d.classes.join() === '5Б' && d.period === 2)
        .map((d) => `${d.date} ${d.subject.name}`);
    expect(wednesday5B('2025-09-01')).toEqual([
      '2025-09-03 История',
      '2025-09-10 Литература',
      '2025-09-17 История',
      '2025-09-24 Литература',
    ]);
    // The organization may declare the second week as A: everything flips.
    expect(wednesday5B('2025-09-08')).toEqual([
      '2025-09-03 Литература',
      '2025-09-10 История',
      '2025-09-17 Литература',
      '2025-09-24 История',
    ]);
  });

  it('marks A/B lessons and builds keys from names', () => {
    const wednesday = parse('school1.xml').lessons.filter((l) => l.weekday === 3 && l.period === 2);
    expect(wednesday.map((l) => [l.key, l.weeks])).toEqual([
      ['3.2|5Б||ИСТ|ОрловПК|A', 'A'],
      ['3.2|5Б||ЛИТ|ВолковаНН|B', 'B'],
    ]);
  });
});

describe('aSc Timetables XML: the same timetable in other exports', () => {
  it('a Sunday-first day list puts the lessons on the same calendar days', () => {
    const sunday = parse('school1-sunday-first.xml');
    expect(expandLessons(sunday, TWO_WEEKS)).toEqual(expandLessons(parse('school1.xml'), TWO_WEEKS));
    expect(sunday.lessons.map(withoutPosition)).toEqual(parse('school1.xml').lessons.map(withoutPosition));
  });

  it('a re-export with new ids and shuffled elements gives the identical set of lesson keys', () => {
    const first = parse('school1.xml').lessons;
    const again = parse('school1-reexport.xml').lessons;
    expect(new Set(again.map((l) => l.key))).toEqual(new Set(first.map((l) => l.key)));
    expect(again.map(withoutPosition)).toEqual(first.map(withoutPosition));
  });

  it('a changed export shows the moved lesson as one key gone and one new, the removed one gone', () => {
    const before = new Set(parse('school1.xml').lessons.map((l) => l.key));
    const after = new Set(parse('school1-changed.xml').lessons.map((l) => l.key));
    expect([...before].filter((k) => !after.has(k)).sort()).toEqual([
      '1.3|5Б||МАТ|ИвановаАП|all',
      '3.2|5Б||ЛИТ|ВолковаНН|B',
    ]);
    expect([...after].filter((k) => !before.has(k))).toEqual(['4.2|5Б||МАТ|ИвановаАП|all']);
  });

  it('a Windows-1251 file that declares its encoding reads the same as the UTF-8 one', () => {
    expect(readFileSync(asc('school1.cp1251.xml')).includes(Buffer.from('Математика'))).toBe(false);
    expect(parse('school1.cp1251.xml').lessons.map(withoutPosition)).toEqual(
      parse('school1.xml').lessons.map(withoutPosition),
    );
  });

  it('the pre-2012 shape with <days><day> and card day numbers is read too', () => {
    const tt = parse('legacy-2010.xml');
    expect(tt.lessons.map((l) => [l.weekday, l.period, l.classes.join(), l.subject.name, l.room])).toEqual([
      [1, 1, '5А', 'Математика', '201'],
      [3, 2, '5А', 'Русский язык', '201'],
    ]);
  });
});

describe('aSc Timetables XML: unusable files fail the run with a stable code', () => {
  it('refuses a DTD with entities (billion laughs) at once', { timeout: 2000 }, async () => {
    expect(await permanentCode(() => parse('bomb.xml'))).toBe('xml_entities_forbidden');
  });

  it('reports a truncated file as malformed XML', async () => {
    expect(await permanentCode(() => parse('malformed.xml'))).toBe('malformed_xml');
  });

  it('reports an empty and a blank file as empty', async () => {
    const ctx = context([scratchFile('empty.xml', '')]);
    expect(await permanentCode(() => readAll(ascTimetables, 'lessons', {}, ctx))).toBe('empty_file');
    expect(await permanentCode(() => parseAscTimetable(Buffer.from(' \r\n  ')))).toBe('empty_file');
  });

  it('refuses a file over limits.maxFileBytes before parsing it', async () => {
    const ctx = context([asc('school1.xml')], { maxFileBytes: 10_000 });
    expect(await permanentCode(() => readAll(ascTimetables, 'lessons', {}, ctx))).toBe('file_too_large');
  });
});

describe('aSc Timetables XML: bad references reject single cards, the rest loads', () => {
  it('rejects cards pointing at a missing lesson, a period not in <periods>, an unknown teacher, a duplicate', async () => {
    const events = await readAll(ascTimetables, 'lessons', {}, context([asc('bad-refs.xml')]));
    expect(records(events).map((r) => r.data['key'])).toEqual(['1.1|5А||МАТ|ИвановаАП|all']);
    expect(rejects(events).map((r) => [r.code, r.field, r.position])).toEqual([
      ['unknown_lesson', 'lessonid', 'line 33 (card 2)'],
      ['unknown_period', 'period', 'line 34 (card 3)'],
      ['unknown_teacher', 'teacherids', 'line 35 (card 4)'],
      ['duplicate_lesson', undefined, 'line 36 (card 5)'],
    ]);
  });

  it('rejects a period whose end is before its start on the periods stream', async () => {
    const events = await readAll(ascTimetables, 'periods', {}, context([asc('bad-refs.xml')]));
    expect(records(events).map((r) => r.data['period'])).toEqual([1, 2]);
    expect(rejects(events).map((r) => [r.code, r.field, r.position])).toEqual([
      ['bad_time', 'endtime', 'line 6 (period 3)'],
    ]);
  });
});

describe('aSc Timetables XML: the connector streams', () => {
  it('yields one raw record per weekly lesson, the WeeklyLesson itself', async () => {
    const events = await readAll(ascTimetables, 'lessons', {}, context([asc('school1.xml')]));
    expect(rejects(events)).toEqual([]);
    expect(records(events)).toHaveLength(14);
    expect(records(events)[0]).toEqual({
      kind: 'record',
      stream: 'lessons',
      position: 'line 92 (card 1)',
      data: {
        key: '1.1|5А||МАТ|ИвановаАП|all',
        weekday: 1,
        period: 1,
        classes: ['5А'],
        groups: [],
        subject: { name: 'Математика', short: 'МАТ' },
        teachers: [
          {
            short: 'ИвановаАП',
            name: 'Иванова Анна Петровна',
            lastName: 'Иванова',
            firstName: 'Анна',
            email: 'ivanova.ap@school1.example',
          },
        ],
        room: '201',
        weeks: 'all',
        position: 'line 92 (card 1)',
      },
    });
  });

  it('declares lessons after periods and reads exactly one file', async () => {
    expect(ascTimetables.streams.find((s) => s.name === 'lessons')?.dependsOn).toEqual(['periods']);
    const two = context([asc('school1.xml'), asc('school1-changed.xml')]);
    expect(await permanentCode(() => readAll(ascTimetables, 'lessons', {}, two))).toBe('one_file_expected');
  });
});
