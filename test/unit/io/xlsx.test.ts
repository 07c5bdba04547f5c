import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../../src/core/errors.ts';
import { listXlsxSheets, readXlsx } from '../../../src/io/xlsx.ts';
import { collect, limits, roster, scratchFile } from './helpers.ts';

const read = (file: string, opts: Partial<Parameters<typeof readXlsx>[1]> = {}) =>
  collect(readXlsx(file, { limits, ...opts }));

describe('an Excel sheet reads as the text a user typed into it', () => {
  it('turns numbers, dates and rich text into text, row numbers as in the sheet', async () => {
    const rows = await read(roster('bad/students.xlsx'));
    expect(rows[0]).toEqual({
      line: 2,
      values: {
        Код: '4001',
        Фамилия: 'Миронова',
        Имя: 'Софья',
        Отчество: 'Денисовна',
        'Дата рождения': '05.03.2013',
        Пол: 'Ж',
        СНИЛС: '',
        'ID ЕСИА': '',
        Класс: '6А',
        Подгруппа: '',
        'Дата зачисления': '01.09.2020',
        'Согласие ЭД': 'да',
        'Согласие LMS': 'да',
        'Согласие SMS': 'да',
      },
    });
    expect(rows[2]).toMatchObject({ line: 4, values: { Код: '4003', 'Дата рождения': '15.07.2012' } });
    // Row 5 is blank and skipped; row 6 keeps its sheet number.
    expect(rows[3]).toMatchObject({
      line: 6,
      values: { Код: '4004', Фамилия: 'Павлов', 'Дата рождения': '28.12.2012' },
    });
    expect(rows).toHaveLength(4);
  });

  it('refuses a formula cell, naming the column, and never uses its cached result', async () => {
    const rows = await read(roster('bad/students.xlsx'));
    expect(rows[1]).toMatchObject({ line: 3, error: { code: 'formula_cell', field: 'Дата рождения' } });
    const error = 'error' in rows[1]! ? rows[1].error : undefined;
    expect(error?.message).toContain('E3');
    expect(error?.raw).toContain('=DATE(2013,6,1)');
    expect(error?.raw).not.toContain('01.06.2013');
  });
});

describe('a workbook may hold several sheets', () => {
  it('lists sheets in tab order', async () => {
    expect(await listXlsxSheets(roster('school1/roster.xlsx'), limits)).toEqual([
      'Учащиеся',
      'Родители',
      'Сотрудники',
      'Справка',
    ]);
  });

  it('reads the first sheet by default, or one chosen by name or position', async () => {
    const first = await read(roster('school1/roster.xlsx'));
    expect(first[0]).toMatchObject({
      line: 2,
      values: { Код: '1001', Фамилия: 'Фёдоров', 'Дата рождения': '14.03.2014' },
    });
    expect(first).toHaveLength(12);
    const byName = await read(roster('school1/roster.xlsx'), { sheet: 'Сотрудники' });
    expect(await read(roster('school1/roster.xlsx'), { sheet: 3 })).toEqual(byName);
    expect(byName[2]).toMatchObject({
      values: { Фамилия: 'Ершова-Лебедева', 'Краткое имя': 'Ершова-ЛебедеваОН', 'Дата рождения': '28.01.1988' },
    });
  });

  it('names the sheets there are when the wanted one is missing', async () => {
    await expect(read(roster('school1/roster.xlsx'), { sheet: 'Лист1' })).rejects.toMatchObject({
      code: 'sheet_not_found',
      message: expect.stringContaining('Учащиеся, Родители, Сотрудники, Справка'),
    });
  });
});

describe('unusable workbooks fail the run at once', () => {
  it('refuses a file above maxFileBytes', async () => {
    await expect(
      read(roster('bad/students.xlsx'), { limits: { ...limits, maxFileBytes: 1000 } }),
    ).rejects.toMatchObject({
      code: 'file_too_large',
    });
  });

  it('refuses a CSV renamed to .xlsx', async () => {
    const file = scratchFile('students.xlsx', readFileSync(roster('school1/students.utf8bom.csv')));
    const err = await read(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect(err).toMatchObject({ code: 'unreadable_xlsx' });
  });
});
