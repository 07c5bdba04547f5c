import { describe, expect, it } from 'vitest';
import { RecordRejected } from '../../../src/core/errors.ts';
import { compileMapping } from '../../../src/mapping/compile.ts';
import { mappingSpec } from '../../../src/mapping/spec.ts';
import { parseMark, pickScale, scoreToMark, type MarkScale } from '../../../src/mapping/mark.ts';

const compile = (spec: unknown) => compileMapping(mappingSpec.parse(spec));

function rejection(fn: () => unknown): { code: string; field: string | undefined; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof RecordRejected) return { code: e.code, field: e.field, message: e.message };
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('a YAML mapping', () => {
  const m = compile({
    target: 'test.row',
    fields: {
      id: { from: ['Код', 'ID'], required: true },
      status: { from: 'Отметка', map: { Н: 'absent', УП: 'excused', Б: 'ill' } },
      when: { from: 'Время', cast: { type: 'datetime', format: ['DD.MM.YYYY HH:mm:ss', 'DD.MM.YYYY HH:mm'], timeZone: 'organization' } },
      day: { from: 'Дата', cast: { type: 'date', format: 'DD.MM.YYYY' } },
      score: { from: 'Балл', cast: { type: 'decimal' } },
      weight: { from: 'Вес', cast: 'int', default: 1 },
      kind: { value: 'test' },
      teacher: { from: 'Учитель', lookup: 'teacher' },
    },
  });

  it('renames, maps enums, casts with the organization time zone, applies defaults and constants', () => {
    const out = m.map({ ID: ' 17 ', Отметка: 'н', Время: '01.09.2026 08:31:05', Дата: '01.09.2026', Балл: '7,5', Вес: '', Учитель: 'ИвановаАП' }, 'Europe/Samara');
    expect(out).toEqual({ id: '17', status: 'absent', when: '2026-09-01T04:31:05.000Z', day: '2026-09-01', score: 7.5, weight: 1, kind: 'test', teacher: 'ИвановаАП' });
    expect(m.lookups).toEqual({ teacher: 'teacher' });
  });

  it('names the field, the column and the problem when a value does not fit', () => {
    expect(rejection(() => m.map({ Код: '1', Отметка: 'X' }, 'UTC'))).toMatchObject({ code: 'unmapped_value', field: 'status' });
    expect(rejection(() => m.map({ Код: '1', Дата: '31.02.2026' }, 'UTC'))).toMatchObject({ code: 'invalid_date', field: 'day' });
    expect(rejection(() => m.map({ Код: '1', Дата: '2026-09-01' }, 'UTC'))).toMatchObject({ code: 'bad_date_format', field: 'day', message: expect.stringContaining('column "Дата"') });
    expect(rejection(() => m.map({ Код: '', Отметка: 'Н' }, 'UTC'))).toMatchObject({ code: 'required', field: 'id' });
    expect(rejection(() => m.map({ Код: '1', Балл: 'семь' }, 'UTC'))).toMatchObject({ code: 'not_a_number', field: 'score' });
  });

  it('accepts ISO instants with an explicit offset whatever the formats', () => {
    expect(m.map({ Код: '1', Время: '2026-09-01T08:31:05+03:00' }, 'Europe/Samara').when).toBe('2026-09-01T05:31:05.000Z');
  });

  it('is refused at start when it names an unknown key', () => {
    expect(mappingSpec.safeParse({ target: 't', fields: { a: { from: 'x', cats: 'int' } } }).success).toBe(false);
    expect(mappingSpec.safeParse({ target: 't', fields: { a: { required: true } } }).success).toBe(false);
  });
});

describe('the shared mark transform', () => {
  it('keeps the mark as written with its numeric value', () => {
    expect(parseMark('5')).toEqual({ value: '5', numeric: 5 });
    expect(parseMark('4-')).toEqual({ value: '4-', numeric: 3.75 });
    expect(parseMark(' 5+ ')).toEqual({ value: '5+', numeric: 5 });
    expect(parseMark('Зачёт')).toEqual({ value: 'зач', numeric: null });
    expect(parseMark('н/а')).toEqual({ value: 'н/а', numeric: null });
    expect(rejection(() => parseMark('6'))).toMatchObject({ code: 'bad_mark' });
  });

  it('turns scores into marks by percentage thresholds or pass/fail, most specific scale first', () => {
    expect(scoreToMark(7.65, 9)).toEqual({ value: '5', numeric: 5 }); // 85 %
    expect(scoreToMark(5.8, 9)).toEqual({ value: '3', numeric: 3 }); // 64.4 % < 65 %
    expect(scoreToMark(5.85, 9)).toEqual({ value: '4', numeric: 4 }); // 65 %
    expect(scoreToMark(4.05, 9).value).toBe('3'); // 45 %
    expect(scoreToMark(0, 9).value).toBe('2');
    expect(scoreToMark(6, 10, { kind: 'pass_fail', passPercent: 60 }).value).toBe('зач');
    expect(rejection(() => scoreToMark(10, 9))).toMatchObject({ code: 'score_above_max' });
    expect(rejection(() => scoreToMark(-1, 9))).toMatchObject({ code: 'negative_score' });
    const school: MarkScale = { kind: 'pass_fail', passPercent: 50 };
    const control: MarkScale = { kind: 'percent', thresholds: [{ mark: '5', minPercent: 90 }, { mark: '2', minPercent: 0 }] };
    const scales = [{ organization: 'obr', scale: school }, { organization: 'sch-001', workType: 'контрольная', scale: control }];
    expect(pickScale(scales, ['sch-001', 'obr', 'reg'], 'контрольная')).toBe(control);
    expect(pickScale(scales, ['sch-001', 'obr', 'reg'], 'тест')).toBe(school);
    expect(pickScale(scales, ['sch-900', 'other', 'reg'], 'тест').kind).toBe('percent');
  });
});
