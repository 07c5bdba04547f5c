import { describe, expect, it } from 'vitest';
import { RecordRejected } from '../../../src/core/errors.ts';
import { parseBirthDate } from '../../../src/domain/person/dates.ts';

const today = new Date('2025-03-10T08:00:00Z');

const rejection = (raw: string, at = today, zone?: string) => {
  try {
    parseBirthDate(raw, at, zone);
  } catch (err) {
    if (err instanceof RecordRejected) return { code: err.code, field: err.field };
  }
  return undefined;
};

describe('birth dates are read as Russian users type them', () => {
  it.each([
    ['14.03.2014', '2014-03-14'],
    ['5.1.2014', '2014-01-05'],
    ['2010-05-19', '2010-05-19'],
    [' 29.02.2012 ', '2012-02-29'],
    ['05.03.2014 0:00:00', '2014-03-05'],
    ['01.01.1900', '1900-01-01'],
    ['10.03.2025', '2025-03-10'],
  ])('%j -> %s', (raw, iso) => {
    expect(parseBirthDate(raw, today)).toBe(iso);
  });
});

describe('impossible birth dates are rejected with field birth_date', () => {
  it.each([
    ['31.02.2015', 'invalid_date'],
    ['29.02.2015', 'invalid_date'],
    ['2015-13-01', 'invalid_date'],
    ['14/03/2014', 'invalid_date'],
    ['вчера', 'invalid_date'],
    ['12.05.2098', 'future_date'],
    ['11.03.2025', 'future_date'],
    ['31.12.1899', 'implausible_date'],
  ])('%j -> %s', (raw, code) => {
    expect(rejection(raw)).toEqual({ code, field: 'birth_date' });
  });

  it('judges "future" by the calendar date in the organization\'s zone', () => {
    // 22:30 UTC on 10 March is already 11 March in Samara (UTC+4).
    const lateEvening = new Date('2025-03-10T22:30:00Z');
    expect(rejection('11.03.2025', lateEvening)).toEqual({ code: 'future_date', field: 'birth_date' });
    expect(parseBirthDate('11.03.2025', lateEvening, 'Europe/Samara')).toBe('2025-03-11');
  });
});
