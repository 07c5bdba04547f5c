import { describe, expect, it } from 'vitest';
import { RecordRejected } from '../../../src/core/errors.ts';
import { formatSnils, parseSnils, snilsCheckNumber } from '../../../src/domain/person/snils.ts';

const rejection = (raw: string) => {
  try {
    parseSnils(raw);
  } catch (err) {
    if (err instanceof RecordRejected) return { code: err.code, field: err.field };
  }
  return undefined;
};

describe('СНИЛС check numbers follow the official rule', () => {
  it.each([
    ['112233445', '95'], // the ПФР example
    ['987654321', '83'],
    ['216471647', '63'],
    ['999999999', '01'], // 9*9+...+9*1 = 405, 405 mod 101 = 1 (not 45)
    ['145382907', '75'], // 9+32+35+18+40+8+27+0+7 = 176, 176 mod 101 = 75
    ['001326678', '99'], // sum 99: the sum itself
    ['001508815', '00'], // sum 100
    ['001437544', '00'], // sum 101
    ['006996682', '00'], // sum 201, 201 mod 101 = 100
  ])('%s -> %s', (number, check) => {
    expect(snilsCheckNumber(number)).toBe(check);
  });
});

describe('a СНИЛС is accepted as people write it', () => {
  it.each(['112-233-445 95', '11223344595', ' 112 233 445 95 ', '112-233-445\u00A095', '112–233–445 95'])(
    '%j',
    (raw) => {
      expect(parseSnils(raw)).toEqual({ snils: '11223344595', checked: true });
    },
  );

  it('accepts numbers up to 001-001-998 without a check, and flags them', () => {
    expect(parseSnils('001-001-998 00')).toEqual({ snils: '00100199800', checked: false });
    expect(parseSnils('001-001-997 42')).toEqual({ snils: '00100199742', checked: false });
    expect(rejection('001-001-999 00')).toEqual({ code: 'snils_checksum', field: 'snils' });
  });

  it('prints the card form', () => {
    expect(formatSnils('11223344595')).toBe('112-233-445 95');
    expect(formatSnils('112-233-445 95')).toBe('112-233-445 95');
  });
});

describe('a mistyped СНИЛС is rejected with a reason', () => {
  it('wrong check number', () => {
    expect(rejection('112-233-445 96')).toEqual({ code: 'snils_checksum', field: 'snils' });
    expect(rejection('112-233-454 95')).toEqual({ code: 'snils_checksum', field: 'snils' });
  });

  it.each(['1122334459', '112233445951', '112-233-445', 'нет', '', '000-000-000 00'])('not a СНИЛС: %j', (raw) => {
    expect(rejection(raw)).toEqual({ code: 'snils_format', field: 'snils' });
  });

  it('hints at a leading zero lost by a spreadsheet', () => {
    expect(() => parseSnils('1326678 99')).toThrow(/leading zero/);
  });
});
