import { describe, expect, it } from 'vitest';
import { scheduleXlsx } from '../../../connectors/schedule-xlsx/index.ts';
import { parseScheduleWorkbook } from '../../../connectors/schedule-xlsx/parse-timetable.ts';
import { PermanentError } from '../../../src/core/errors.ts';
import { expandLessons } from '../../../src/domain/timetable/expand.ts';
import { context, fixture, limits, line, readAll, records, rejects, scratchFile, TWO_WEEKS } from './helpers.ts';
import { SCHOOL1_TWO_WEEKS } from './school1.expected.ts';

const xlsx = (name: string): string => fixture('schedule-xlsx', name);

describe('Excel template: the filled sample becomes dated lessons', () => {
  it('gives the same hand-checked lessons as the aSc export, with times from the Звонки sheet', async () => {
    const tt = await parseScheduleWorkbook(xlsx('sample.xlsx'), limits);
    expect(tt.rejects).toEqual([]);
    expect(expandLessons(tt, TWO_WEEKS).map(line)).toEqual(SCHOOL1_TWO_WEEKS);
  });

  it('reads Excel times and times typed as text', async () => {
    const events = await readAll(scheduleXlsx, 'periods', {}, context([xlsx('sample.xlsx')]));
    expect(records(events).map((r) => r.data)).toEqual([
      { period: 1, start: '08:30', end: '09:15' },
      { period: 2, start: '09:25', end: '10:10' },
      { period: 3, start: '10:30', end: '11:15' },
      { period: 4, start: '11:35', end: '12:20' },
      { period: 5, start: '12:30', end: '13:15' },
    ]);
  });

  it('merges one row per class or group into a joint lesson', async () => {
    const tt = await parseScheduleWorkbook(xlsx('sample.xlsx'), limits);
    const pe = tt.lessons.find((l) => l.subject.name === 'Физическая культура');
    expect([pe?.classes, pe?.position]).toEqual([['5Б', '6А'], 'Уроки!A16, A17']);
    const english6A = tt.lessons.find((l) => l.weekday === 4 && l.subject.name === 'Английский язык');
    expect(english6A?.groups).toEqual([
      { class: '6А', group: '1 группа' },
      { class: '6А', group: '2 группа' },
    ]);
  });
});

describe('Excel template: bad rows are rejected one by one', () => {
  it('names the row, the column and the problem', async () => {
    const events = await readAll(scheduleXlsx, 'lessons', {}, context([xlsx('bad-rows.xlsx')]));
    expect(records(events)).toHaveLength(1);
    expect(rejects(events).map((r) => [r.position, r.field, r.code])).toEqual([
      ['Уроки!A3', 'Класс', 'missing_class'],
      ['Уроки!A4', 'День', 'bad_weekday'],
      ['Уроки!A5', 'Урок', 'unknown_period'],
      ['Уроки!A6', 'Недели', 'bad_weeks'],
      ['Уроки!A7', 'Группа', 'group_with_several_classes'],
      ['Уроки!A8', 'Предмет', 'missing_subject'],
    ]);
  });

  it('refuses the empty template as a timetable: it would wipe the school’s lessons', async () => {
    await expect(parseScheduleWorkbook(xlsx('template.xlsx'), limits)).rejects.toMatchObject({ code: 'no_lessons' });
  });

  it('refuses a workbook without the Уроки sheet', async () => {
    await expect(parseScheduleWorkbook(xlsx('changes.xlsx'), limits)).rejects.toMatchObject({ code: 'sheet_missing' });
  });

  it('refuses a file over limits.maxFileBytes', async () => {
    const run = readAll(scheduleXlsx, 'lessons', {}, context([xlsx('sample.xlsx')], { maxFileBytes: 1000 }));
    await expect(run).rejects.toSatisfy((e) => e instanceof PermanentError && e.code === 'file_too_large');
  });
});

describe('Daily changes from a CSV or the Замены sheet', () => {
  const EXPECTED_FIRST_THREE = [
    ['2025-09-10', 1, 'substitution', '5А', '', 'Русский язык', 'ВолковаНН', 'ПетроваМВ', '202', ''],
    ['2025-09-11', 3, 'cancellation', '6А', '6А:3 группа', 'Немецкий язык', 'КузнецоваЕС', '', '303', ''],
    ['2025-09-12', 4, 'room_change', '5Б+6А', '', 'Физическая культура', 'СмирновДА', '', 'Спортзал', '301'],
  ];
  const flat = (d: Record<string, unknown>) => [
    d['date'],
    d['period'],
    d['kind'],
    (d['classes'] as string[]).join('+'),
    (d['groups'] as { class: string; group: string }[]).map((g) => `${g.class}:${g.group}`).join('+'),
    (d['subject'] as { name: string } | undefined)?.name ?? '',
    d['teacher'] ?? '',
    d['newTeacher'] ?? '',
    d['room'] ?? '',
    d['newRoom'] ?? '',
  ];

  it('reads a `;` CSV with a BOM, Russian dates and words for the kind of change', async () => {
    const events = await readAll(scheduleXlsx, 'changes', {}, context([xlsx('changes.csv')]));
    const changes = records(events).map((r) => r.data);
    expect(changes.slice(0, 3).map(flat)).toEqual(EXPECTED_FIRST_THREE);
    expect(changes[3]).toMatchObject({
      date: '2025-09-09',
      kind: 'substitution',
      newSubject: { name: 'Математика' },
      note: 'Вместо английского — математика; тетради не нужны',
    });
    expect(rejects(events).map((r) => [r.position, r.code])).toEqual([
      ['changes.csv line 6', 'bad_date'],
      ['changes.csv line 7', 'unknown_kind'],
      ['changes.csv line 8', 'missing_new_teacher'],
    ]);
  });

  it('reads the same list from an .xlsx with Excel date cells', async () => {
    const events = await readAll(scheduleXlsx, 'changes', {}, context([xlsx('changes.xlsx')]));
    expect(records(events).map((r) => flat(r.data))).toEqual(EXPECTED_FIRST_THREE);
    expect(records(events).map((r) => r.position)).toEqual(['Замены!A2', 'Замены!A3', 'Замены!A4']);
  });

  it('names every missing required column at once', async () => {
    const csv = scratchFile('bad.csv', 'Дата;Класс;Учитель\n10.09.2025;5А;ИвановаАП\n');
    await expect(readAll(scheduleXlsx, 'changes', {}, context([csv]))).rejects.toThrow(/"Урок", "Вид"/);
  });
});
