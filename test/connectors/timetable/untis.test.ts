import { describe, expect, it } from 'vitest';
import { readGpuRows } from '../../../connectors/untis/gpu-file.ts';
import { untis } from '../../../connectors/untis/index.ts';
import { PermanentError } from '../../../src/core/errors.ts';
import { expandLessons } from '../../../src/domain/timetable/expand.ts';
import type { TimetableReject, WeeklyLesson, WeeklyTimetable } from '../../../src/domain/timetable/model.ts';
import { BELLS, context, fixture, line, readAll, records, rejects, TWO_WEEKS } from './helpers.ts';
import { SCHOOL1_TWO_WEEKS } from './school1.expected.ts';

const gpu = (...numbers: string[]): string[] => numbers.map((n) => fixture('untis', `GPU${n}.TXT`));
const ALL = gpu('001', '002', '003', '004', '005', '006', '014');

async function weekly(files: string[]): Promise<WeeklyTimetable> {
  const events = await readAll(untis, 'lessons', {}, context(files));
  return { periods: [], lessons: records(events).map((r) => r.data as unknown as WeeklyLesson), rejects: [] };
}

describe('Untis GPU files: the school1 timetable becomes dated lessons', () => {
  it('gives the hand-checked lessons with the organization’s bells (GPU files carry no times)', async () => {
    const dated = expandLessons(await weekly(ALL), { ...TWO_WEEKS, bellPeriods: BELLS });
    // Same school as the aSc export, except: Untis names the 6А joint group "1-2 группа", and
    // GPU002 says 6А mathematics starts on 2025-09-08.
    const expected = SCHOOL1_TWO_WEEKS.map((l) => l.replace('6А:1 группа+6А:2 группа', '6А:1-2 группа')).filter(
      (l) => !['2025-09-02 1', '2025-09-05 1'].some((p) => l.startsWith(p)),
    );
    expect(dated.map(line)).toEqual(expected);
  });

  it('joins coupled rows of one lesson number into one lesson with both classes', async () => {
    const pe = (await weekly(ALL)).lessons.find((l) => l.subject.short === 'ФИЗ-РА');
    expect(pe?.classes).toEqual(['5Б', '6А']);
    expect(pe?.position).toBe('GPU001.TXT lines 9, 10');
  });

  it('takes the A/B week type and dates from GPU002, teacher names from a Windows-1251 GPU004', async () => {
    const wednesday = (await weekly(ALL)).lessons.filter((l) => l.weekday === 3 && l.period === 2);
    expect(wednesday.map((l) => [l.subject.name, l.weeks, l.validFrom, l.validTo])).toEqual([
      ['История', 'A', '2025-09-01', '2026-05-31'],
      ['Литература', 'B', '2025-09-01', '2026-05-31'],
    ]);
    expect(wednesday[1]?.teachers).toEqual([
      {
        short: 'ВолковаНН',
        name: 'Волкова Наталья',
        lastName: 'Волкова',
        firstName: 'Наталья',
        email: 'volkova.nn@school1.example',
      },
    ]);
  });

  it('without GPU002 every lesson is weekly and parallel groups stay apart by room', async () => {
    const lessons = (await weekly(gpu('001'))).lessons;
    expect(lessons.every((l) => l.weeks === 'all' && l.groups.length === 0)).toBe(true);
    const english5A = lessons.filter((l) => l.weekday === 2 && l.period === 2);
    expect(english5A.map((l) => [l.teachers[0]?.short, l.room])).toEqual([
      ['ПетроваМВ', '301'],
      ['СидоровИВ', '302'],
    ]);
  });

  it('rejects a GPU001 row without a class and loads the rest', async () => {
    const events = await readAll(untis, 'lessons', {}, context(ALL));
    // 16 rows: one rejected, the two coupled PE rows are one lesson.
    expect(records(events)).toHaveLength(14);
    expect(rejects(events).map((r) => [r.code, r.field, r.position])).toEqual([
      ['missing_class', '2', 'GPU001.TXT line 16'],
    ]);
  });

  it('fails when GPU001 is not among the files', async () => {
    await expect(readAll(untis, 'lessons', {}, context(gpu('002')))).rejects.toThrow(PermanentError);
    await expect(readAll(untis, 'lessons', {}, context(gpu('002')))).rejects.toMatchObject({
      code: 'gpu_file_missing',
    });
  });
});

describe('Untis GPU014: substitutions as dated changes', () => {
  it('reads substitutions, a cancellation, a room change for joined classes; skips break duty', async () => {
    const events = await readAll(untis, 'changes', {}, context(ALL));
    const changes = records(events).map((r) => r.data);
    expect(changes).toEqual([
      {
        key: '2025-09-10|1|5А||РУС|ВолковаНН',
        date: '2025-09-10',
        period: 1,
        kind: 'substitution',
        classes: ['5А'],
        groups: [],
        subject: { name: 'Русский язык', short: 'РУС' },
        teacher: 'ВолковаНН',
        newTeacher: 'ПетроваМВ',
        room: '202',
        position: 'GPU014.TXT line 1',
      },
      {
        key: '2025-09-11|3|6А||НЕМ|КузнецоваЕС',
        date: '2025-09-11',
        period: 3,
        kind: 'cancellation',
        classes: ['6А'],
        groups: [],
        subject: { name: 'Немецкий язык', short: 'НЕМ' },
        teacher: 'КузнецоваЕС',
        room: '303',
        note: 'Урок отменён',
        position: 'GPU014.TXT line 2',
      },
      {
        key: '2025-09-12|4|5Б+6А||ФИЗ-РА|СмирновДА',
        date: '2025-09-12',
        period: 4,
        kind: 'room_change',
        classes: ['5Б', '6А'],
        groups: [],
        subject: { name: 'Физическая культура', short: 'ФИЗ-РА' },
        teacher: 'СмирновДА',
        room: 'Спортзал',
        newRoom: '301',
        note: 'Спортзал на ремонте',
        position: 'GPU014.TXT line 3',
      },
      {
        key: '2025-09-09|2|5А||АНГЛ|ПетроваМВ',
        date: '2025-09-09',
        period: 2,
        kind: 'substitution',
        classes: ['5А'],
        groups: [],
        subject: { name: 'Английский язык', short: 'АНГЛ' },
        newSubject: { name: 'Математика', short: 'МАТ' },
        teacher: 'ПетроваМВ',
        newTeacher: 'ИвановаАП',
        room: '301',
        newRoom: '201',
        note: 'Вместо английского — математика',
        position: 'GPU014.TXT line 6',
      },
    ]);
    expect(rejects(events).map((r) => [r.code, r.position])).toEqual([['bad_date', 'GPU014.TXT line 5']]);
  });
});

describe('Untis master data streams', () => {
  it('reads teachers from GPU004: short, last name, first name (field 29), e-mail (field 33)', async () => {
    const teachers = records(await readAll(untis, 'teachers', {}, context(ALL))).map((r) => r.data);
    expect(teachers).toHaveLength(7);
    expect(teachers[3]).toEqual({
      short: 'СидоровИВ',
      name: 'Сидоров Игорь',
      lastName: 'Сидоров',
      firstName: 'Игорь',
      email: 'sidorov.iv@school1.example',
    });
  });

  it('reads classes, rooms and subjects by short code', async () => {
    const short = async (stream: string) =>
      records(await readAll(untis, stream, {}, context(ALL))).map((r) => r.data['short']);
    expect(await short('classes')).toEqual(['5А', '5Б', '6А']);
    expect(await short('rooms')).toEqual(['201', '202', '203', '301', '302', '303', 'Спортзал']);
    expect(await short('subjects')).toEqual(['МАТ', 'РУС', 'АНГЛ', 'НЕМ', 'ФИЗ-РА', 'ИСТ', 'ЛИТ']);
  });
});

describe('Untis separators and quotes are detected or configured', () => {
  const fields = (text: string, format = {}) => {
    const problems: TimetableReject[] = [];
    return readGpuRows('GPU001.TXT', text, format, problems).map((r) => r.raw.slice(0, 7));
  };

  it("detects `;` (Hessen, SVWS), tab and a `'` quote", () => {
    const want = [['4063', '12ZU4A', 'HOO', 'ENG', '3035', '2', '13']];
    expect(fields('4063;"12ZU4A";"HOO";"ENG";"3035";2;13;;\r\n')).toEqual(want);
    expect(fields('4063\t"12ZU4A"\t"HOO"\t"ENG"\t"3035"\t2\t13\t\t\n')).toEqual(want);
    expect(fields("4063,'12ZU4A','HOO','ENG','3035',2,13,,\n")).toEqual(want);
  });

  it('uses the configured separator when given', () => {
    expect(fields('1|"5А"|"ИвановаАП"|"МАТ"|"201"|1|1||\n', { separator: '|' })).toEqual([
      ['1', '5А', 'ИвановаАП', 'МАТ', '201', '1', '1'],
    ]);
  });
});
