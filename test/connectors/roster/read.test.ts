import { describe, expect, it } from 'vitest';
import roster from '../../../connectors/roster/index.ts';
import { parseSnils } from '../../../src/domain/person/snils.ts';
import { nameKey } from '../../../src/domain/person/names.ts';
import { dropFolder, fixture, readStream, scratchFolder } from './context.ts';

const school1 = (name: string) => fixture(`school1/${name}`);
const codes = (records: { data: Record<string, unknown> }[]) => records.map((r) => r.data['Код']);

describe('a students file reads the same whatever encoding Excel saved it in', () => {
  const encodings = ['students.cp1251.csv', 'students.utf8bom.csv', 'students.utf16.txt'];

  it('cp1251, UTF-8 with BOM and UTF-16 tab-separated yield identical raw records', async () => {
    const runs = await Promise.all(encodings.map((f) => readStream('students', [school1(f)])));
    const strip = (p: string) => p.replace(/^\S+ /, '');
    const [cp1251, utf8, utf16] = runs.map((r) => r.records.map((e) => ({ data: e.data, at: strip(e.position) })));
    expect(cp1251).toHaveLength(12);
    expect(utf8).toEqual(cp1251);
    expect(utf16).toEqual(cp1251);
    for (const r of runs) expect(r.rejects).toEqual([]);
  });

  it.each(encodings)('%s: rows come out as written, with their line', async (file) => {
    const { records } = await readStream('students', [school1(file)]);
    expect(records[0]).toEqual({
      kind: 'record',
      stream: 'students',
      position: `${file} line 2`,
      data: {
        Код: '1001',
        Фамилия: 'Фёдоров',
        Имя: 'Пётр',
        Отчество: 'Алексеевич',
        'Дата рождения': '14.03.2014',
        Пол: 'М',
        СНИЛС: '145-382-907 75',
        'ID ЕСИА': '1000234561',
        Класс: '5А',
        Подгруппа: 'Группа №1',
        'Дата зачисления': '01.09.2021',
        'Согласие ЭД': 'да',
        'Согласие LMS': 'да',
        'Согласие SMS': 'нет',
      },
    });
    expect(records[2]?.data).toMatchObject({ Фамилия: 'Петрова-Водкина', 'Дата рождения': '29.02.2012' });
    expect(records[3]).toMatchObject({
      position: `${file} line 5`,
      data: { Фамилия: 'Гусейн Заде', Подгруппа: 'англ.; группа 2' },
    });
    expect(records[4]?.data).toMatchObject({ Фамилия: 'Иванов', 'Дата рождения': '5.1.2014', СНИЛС: '' });
    expect(records[7]?.data).toMatchObject({ Подгруппа: 'профиль "физмат"' });
    expect(records[8]?.data).toMatchObject({ Фамилия: 'Ли', Отчество: '' });
    expect(records[10]?.data).toMatchObject({ Фамилия: 'ВОЛКОВ', СНИЛС: '175-392-018 80' });
  });
});

describe('bad rows are rejected one by one and the good rows all arrive', () => {
  it('students.csv: duplicate, over-long field, column count and formula injection', async () => {
    const { records, rejects } = await readStream('students', [fixture('bad/students.csv')]);
    expect(rejects.map(({ position, code, field }) => ({ position, code, field }))).toEqual([
      { position: 'students.csv line 9', code: 'duplicate_row', field: undefined },
      { position: 'students.csv line 10', code: 'field_too_long', field: 'Подгруппа' },
      { position: 'students.csv line 11', code: 'column_count', field: undefined },
      { position: 'students.csv line 12', code: 'formula_injection', field: 'Имя' },
    ]);
    expect(rejects[0]?.message).toBe('the same row as line 8');
    expect(rejects[2]?.message).toBe('expected 14 columns, got 6');
    expect(rejects[2]?.data).toBe('3009;Исаев;Кирилл;Маркович;01.02.2013;М');
    expect(rejects[3]?.data).toMatchObject({ Код: '3010', Фамилия: 'Карпова' });
    // The rows only the mapping can judge (СНИЛС, dates, empty surname) reach it as records:
    // test/mappings/roster/mappings.test.ts follows them to their rejections.
    expect(codes(records)).toEqual(['3001', '3002', '3003', '3004', '3005', '3006', '3007', '3011']);
  });

  it('students.xlsx: a formula cell is rejected naming the column and cell', async () => {
    const { records, rejects } = await readStream('students', [fixture('bad/students.xlsx')]);
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatchObject({
      position: 'students.xlsx sheet "Лист1" row 3',
      code: 'formula_cell',
      field: 'Дата рождения',
      message: expect.stringContaining('E3'),
    });
    expect(records.map((r) => [r.position, r.data['Код'], r.data['Фамилия'], r.data['Дата рождения']])).toEqual([
      ['students.xlsx sheet "Лист1" row 2', '4001', 'Миронова', '05.03.2013'],
      ['students.xlsx sheet "Лист1" row 4', '4003', 'Осипова', '15.07.2012'],
      ['students.xlsx sheet "Лист1" row 6', '4004', 'Павлов', '28.12.2012'],
    ]);
  });

  it('a phone number starting with + is data, not a formula', async () => {
    const { records, rejects } = await readStream('guardians', [school1('guardians.csv')]);
    expect(rejects).toEqual([]);
    expect(records).toHaveLength(13);
    expect(records[0]?.data).toMatchObject({ Код: 'Р001', Телефон: '+7 912 345-67-89', 'Степень родства': 'мать' });
  });
});

describe('each stream finds its own files in the drop folder', () => {
  const folder = [
    school1('students.cp1251.csv'),
    school1('guardians.csv'),
    school1('staff.csv'),
    school1('consents.csv'),
  ];

  it.each([
    ['students', 12, '1001'],
    ['guardians', 13, 'Р001'],
    ['staff', 5, 'С01'],
    ['consents', 6, '1001'],
  ])('%s', async (stream, count, first) => {
    const { records } = await readStream(stream, folder);
    expect(records).toHaveLength(count);
    expect(records[0]?.data['Код']).toBe(first);
  });

  it('recognises Russian file names', async () => {
    const files = dropFolder({
      'Учащиеся 5-11.csv': school1('students.utf8bom.csv'),
      'родители.csv': school1('guardians.csv'),
      'Сотрудники.csv': school1('staff.csv'),
      'согласия.csv': school1('consents.csv'),
    });
    const counts = await Promise.all(
      ['students', 'guardians', 'staff', 'consents'].map(async (s) => (await readStream(s, files)).records.length),
    );
    expect(counts).toEqual([12, 13, 5, 6]);
  });

  it('takes configured patterns instead of the default words', async () => {
    const files = dropFolder({
      'export_ученики_2025.csv': school1('students.cp1251.csv'),
      'students.csv': school1('guardians.csv'),
    });
    const { records } = await readStream('students', files, { config: { files: { students: 'export_*.CSV' } } });
    expect(records).toHaveLength(12);
    expect(records[0]?.position).toBe('export_ученики_2025.csv line 2');
  });

  it('reads each stream from its sheet of one workbook', async () => {
    const book = [school1('roster.xlsx')];
    const students = await readStream('students', book);
    expect(students.records).toHaveLength(12);
    expect(students.records[4]).toMatchObject({
      position: 'roster.xlsx sheet "Учащиеся" row 6',
      // A real date cell reads as DD.MM.YYYY whatever was typed; the code cell is a number.
      data: { Код: '1005', Фамилия: 'Иванов', 'Дата рождения': '05.01.2014' },
    });
    expect((await readStream('guardians', book)).records).toHaveLength(13);
    expect((await readStream('staff', book)).records[4]?.data).toMatchObject({
      Фамилия: 'Морозова',
      'Краткое имя': 'МорозоваАФ',
    });
    expect((await readStream('consents', book)).records).toEqual([]);
  });

  it('refuses an old binary .xls with a hint', async () => {
    const files = dropFolder({ 'students.xls': school1('students.cp1251.csv') });
    await expect(readStream('students', files)).rejects.toMatchObject({ code: 'unsupported_file' });
  });

  it('refuses an unknown stream', async () => {
    await expect(readStream('marks', folder)).rejects.toMatchObject({ code: 'unknown_stream' });
  });
});

describe('a long file checkpoints and resumes where it stopped', () => {
  const header =
    'Код;Фамилия;Имя;Отчество;Дата рождения;Пол;СНИЛС;ID ЕСИА;Класс;Подгруппа;Дата зачисления;Согласие ЭД;Согласие LMS;Согласие SMS';
  const row = (i: number) => `${5000 + i};Тестов;Ученик;Номер${i};01.09.2014;М;;;5А;;01.09.2021;да;да;да`;
  const lines = [header, ...Array.from({ length: 2500 }, (_, i) => row(i + 1)), row(10)];
  const [file] = scratchFolder({ 'students.csv': lines.join('\r\n') + '\r\n' });

  it('yields a checkpoint every 1000 rows and at the end of the file', async () => {
    const { records, rejects, checkpoints } = await readStream('students', [file!]);
    expect(records).toHaveLength(2500);
    expect(checkpoints).toEqual([
      { file: 'students.csv', line: 1001 },
      { file: 'students.csv', line: 2001 },
      { file: 'students.csv', line: 2502 },
    ]);
    expect(rejects).toMatchObject([
      { code: 'duplicate_row', position: 'students.csv line 2502', message: 'the same row as line 11' },
    ]);
  });

  it('skips rows up to the checkpoint and still catches duplicates of them', async () => {
    const { records, rejects, checkpoints } = await readStream('students', [file!], {
      state: { file: 'students.csv', line: 2001 },
    });
    expect(records).toHaveLength(500);
    expect(records[0]?.position).toBe('students.csv line 2002');
    expect(rejects).toMatchObject([{ code: 'duplicate_row' }]);
    expect(checkpoints).toEqual([{ file: 'students.csv', line: 2502 }]);
  });

  it('reads everything again when the checkpoint names a file not in this run', async () => {
    const run = await readStream('students', [file!], { state: { file: 'other.csv', line: 2001 } });
    expect(run.records).toHaveLength(2500);
    expect(run.warnings).toHaveLength(1);
  });
});

describe('school 2 holds a transfer and a namesake of school 1 children', () => {
  it('the transfer shares a СНИЛС; the namesake shares name and birth date but has none', async () => {
    const one = (await readStream('students', [school1('students.utf8bom.csv')])).records.map((r) => r.data);
    const two = (await readStream('students', [fixture('school2/students.csv')])).records.map((r) => r.data);
    const snils = (d: Record<string, unknown>) => (d['СНИЛС'] ? parseSnils(String(d['СНИЛС'])).snils : undefined);
    const person = (d: Record<string, unknown>) =>
      ['Фамилия', 'Имя', 'Отчество'].map((c) => nameKey(String(d[c]))).join(' ');
    const transfer = two.find((d) => d['Код'] === '2001')!;
    expect(one.filter((d) => snils(d) === snils(transfer)).map((d) => d['Код'])).toEqual(['1011']);
    const namesake = two.find((d) => d['Код'] === '2002')!;
    const twin = one.find((d) => person(d) === person(namesake))!;
    expect(twin['Код']).toBe('1005');
    expect([twin['СНИЛС'], namesake['СНИЛС']]).toEqual(['', '']);
    expect([twin['Дата рождения'], namesake['Дата рождения']]).toEqual(['5.1.2014', '05.01.2014']);
  });
});

describe('the connector declares its streams', () => {
  it('students, guardians, staff and consents, in dependency order', () => {
    expect(roster.streams.map((s) => [s.name, s.kind, s.onMissing ?? null, s.dependsOn ?? []])).toEqual([
      ['students', 'snapshot', 'close_enrollment', []],
      ['guardians', 'snapshot', 'soft_delete', ['students']],
      ['staff', 'snapshot', 'soft_delete', []],
      ['consents', 'events', null, ['students', 'guardians']],
    ]);
  });
});
