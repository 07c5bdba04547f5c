import { describe, expect, it } from 'vitest';
import { RecordRejected } from '../../../src/core/errors.ts';
import { normalizeCard } from '../../../src/domain/access/card-number.ts';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof RecordRejected) return err.code;
    throw err;
  }
  return undefined;
};

describe('a card number written any way finds the same card', () => {
  it.each([
    ['10587713'],
    ['0010587713'],
    ['161.36417'], // PERCo's UI: series = id >> 16, number = id & 0xFFFF (formats.md §6)
    ['161,36417'],
    ['A18E41'],
    ['a18e41'],
    ['0xA18E41'],
    ['0x00A18E41'], // leading zeros, the pitfall of one hex-string conversion
    [' 161.36417 '],
  ])('%s -> 10587713', (raw) => {
    expect(normalizeCard(raw)).toBe('10587713');
  });

  it('reads a hex column as hex even without A–F digits (Sigur CODEKEY)', () => {
    expect(normalizeCard('00100000', 'hex')).toBe('1048576');
    expect(normalizeCard('00A18E41', 'hex')).toBe('10587713');
  });

  it('keeps 7-byte Mifare UIDs exact (beyond 2^53)', () => {
    expect(normalizeCard('F4A2B3C4D5E681')).toBe('68858787302598273');
  });

  it('rejects what is no card number', () => {
    expect(code(() => normalizeCard(''))).toBe('card_format');
    expect(code(() => normalizeCard('256.1'))).toBe('card_format');
    expect(code(() => normalizeCard('12.70000'))).toBe('card_format');
    expect(code(() => normalizeCard('карта 5'))).toBe('card_format');
    expect(code(() => normalizeCard('G123', 'hex'))).toBe('card_format');
  });
});
