import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../../src/core/errors.ts';
import { readDelimited } from '../../../src/io/delimited.ts';
import { collect, limits, roster, scratchFile, valuesOf } from './helpers.ts';

const read = (file: string, opts: Partial<Parameters<typeof readDelimited>[1]> = {}) =>
  collect(readDelimited(file, { limits, ...opts }));

describe('a roster saved by Excel in any encoding reads as the same rows', () => {
  it('cp1251, UTF-8 with BOM and UTF-16 "Unicode text" give identical rows and lines', async () => {
    const cp1251 = await read(roster('school1/students.cp1251.csv'));
    const utf8 = await read(roster('school1/students.utf8bom.csv'));
    const utf16 = await read(roster('school1/students.utf16.txt'));
    expect(cp1251).toHaveLength(12);
    expect(utf8).toEqual(cp1251);
    expect(utf16).toEqual(cp1251);
  });

  it('keys rows by the header and keeps quoted delimiters, quotes, ё and №', async () => {
    const rows = await read(roster('school1/students.cp1251.csv'));
    expect(rows[0]).toEqual({
      line: 2,
      values: {
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
    expect(rows[3]).toMatchObject({ line: 5, values: { Фамилия: 'Гусейн Заде', Подгруппа: 'англ.; группа 2' } });
    expect(rows[7]).toMatchObject({ line: 9, values: { Подгруппа: 'профиль "физмат"' } });
    expect(rows[8]).toMatchObject({ line: 10, values: { Фамилия: 'Ли', Отчество: '' } });
  });

  it('detects the delimiter, and takes one when told', async () => {
    expect(valuesOf(await read(roster('school1/students.utf16.txt')))[0]?.['Фамилия']).toBe('Фёдоров');
    const forced = await read(roster('school1/students.utf8bom.csv'), { delimiter: ',' });
    expect(Object.keys(valuesOf(forced)[0] ?? {})).toHaveLength(1);
  });

  it('reads comma files and files without a header', async () => {
    const file = scratchFile('marks.csv', 'Иванов,5\nПетров,"4,5"\n');
    expect(await read(file, { header: false })).toEqual([
      { line: 1, values: { '1': 'Иванов', '2': '5' } },
      { line: 2, values: { '1': 'Петров', '2': '4,5' } },
    ]);
  });
});

describe('one bad row does not stop the file', () => {
  it('reports wrong column counts and over-long fields, and reads on', async () => {
    const rows = await read(roster('bad/students.csv'));
    const errors = rows.flatMap((r) => ('error' in r ? [{ line: r.line, ...r.error }] : []));
    expect(errors.map(({ line, code, field }) => ({ line, code, field }))).toEqual([
      { line: 10, code: 'field_too_long', field: 'Подгруппа' },
      { line: 11, code: 'column_count', field: undefined },
    ]);
    expect(errors[1]?.message).toBe('expected 14 columns, got 6');
    expect(errors[1]?.raw).toBe('3009;Исаев;Кирилл;Маркович;01.02.2013;М');
    expect(errors[0]?.raw.length).toBeLessThan(2100);
    expect(valuesOf(rows).map((v) => v['Код'])).toEqual([
      '3001',
      '3002',
      '3003',
      '3004',
      '3005',
      '3006',
      '3007',
      '3007',
      '3010',
      '3011',
    ]);
  });

  it('reports a row larger than maxRecordBytes', async () => {
    const rows = await read(roster('bad/students.csv'), {
      limits: { ...limits, maxRecordBytes: 100, maxFieldChars: 20_000 },
    });
    expect(rows.find((r) => r.line === 10)).toMatchObject({ error: { code: 'record_too_large' } });
  });

  it('reports an unclosed quote after the rows before it', async () => {
    const file = scratchFile('s.csv', 'Код;Фамилия\n1;Иванов\n2;"Петров\n3;Сидоров\n');
    const rows = await read(file);
    expect(rows[0]).toEqual({ line: 2, values: { Код: '1', Фамилия: 'Иванов' } });
    expect(rows[1]).toMatchObject({ line: 3, error: { code: 'malformed_row' } });
  });

  it('skips blank lines and rows of bare separators, and counts lines as the file has them', async () => {
    const file = scratchFile(
      's.csv',
      '\r\nКод;Фамилия\r\n\r\n1;Иванов\r\n;\r\n2;"Петрова\r\nВодкина"\r\n3;Сидоров\r\n',
    );
    expect(await read(file)).toEqual([
      { line: 4, values: { Код: '1', Фамилия: 'Иванов' } },
      { line: 6, values: { Код: '2', Фамилия: 'Петрова\r\nВодкина' } },
      { line: 8, values: { Код: '3', Фамилия: 'Сидоров' } },
    ]);
  });

  it('tolerates the empty trailing columns Excel writes', async () => {
    const file = scratchFile('s.csv', 'Код;Фамилия;;\n1;Иванов;;\n2;Петров\n3;Сидоров;;лишнее\n');
    const rows = await read(file);
    expect(valuesOf(rows)).toEqual([
      { Код: '1', Фамилия: 'Иванов' },
      { Код: '2', Фамилия: 'Петров' },
    ]);
    expect(rows[2]).toMatchObject({ line: 4, error: { code: 'column_count', message: 'expected 2 columns, got 4' } });
  });
});

describe('header names are clean and unambiguous', () => {
  it('trims names and drops a stray BOM', async () => {
    const file = scratchFile('s.csv', '\uFEFF\uFEFF Код ; Фамилия\n1;Иванов\n');
    expect(valuesOf(await read(file))).toEqual([{ Код: '1', Фамилия: 'Иванов' }]);
  });

  it('refuses a header that names a column twice', async () => {
    const file = scratchFile('s.csv', 'Код;Фамилия;Фамилия\n1;Иванов;Петров\n');
    await expect(read(file)).rejects.toMatchObject({ code: 'duplicate_header' });
    await expect(read(file)).rejects.toBeInstanceOf(PermanentError);
  });
});

describe('unusable files fail the run at once', () => {
  it('refuses a file above maxFileBytes before reading it', async () => {
    const err = await read(roster('school1/students.cp1251.csv'), { limits: { ...limits, maxFileBytes: 100 } }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PermanentError);
    expect(err).toMatchObject({ code: 'file_too_large' });
  });

  it.each([
    ['empty', ''],
    ['blank lines', '\r\n\r\n'],
    ['only a BOM', '\uFEFF'],
    ['separators', ';;;\n;;;\n'],
  ])('refuses an empty file (%s)', async (_, content) => {
    await expect(read(scratchFile('s.csv', content))).rejects.toMatchObject({ code: 'empty_file' });
  });
});
