import { describe, expect, it } from 'vitest';
import { isFormulaInjection } from '../../../src/io/injection.ts';

describe('cells a spreadsheet would run as formulas are caught', () => {
  it.each([
    '=HYPERLINK("http://example.com/x";"Нажмите")',
    '=1+2',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    '@SUM(A1:A9)',
    '\t=1+2',
    '\r=1+2',
    ' =1+2',
    '＝1+2',
    '-1+1',
    '+7 912 345-67-89 =A1',
  ])('%j is refused', (value) => {
    expect(isFormulaInjection(value)).toBe(true);
  });
});

describe('data that merely starts with a sign still loads', () => {
  it.each([
    '+7 912 345-67-89',
    '+7(912)345-67-89',
    '+79121234567',
    '-5',
    '+3',
    '-2,5',
    '-0.75',
    '-',
    '--',
    '+',
    'Иванов',
    '',
    'a=b',
    'e-mail: x@example.ru',
  ])('%j is data', (value) => {
    expect(isFormulaInjection(value)).toBe(false);
  });
});
