import { describe, expect, it } from 'vitest';
import { weeksOf } from '../../../src/domain/diary/class-weeks.ts';
import { mondayOf } from '../../../src/domain/diary/dates.ts';

describe('the weeks a diary window touches', () => {
  it('starts weeks on Monday, Sunday included in the week before', () => {
    expect(['2026-10-05', '2026-10-08', '2026-10-11', '2026-10-12'].map(mondayOf)).toEqual(['2026-10-05', '2026-10-05', '2026-10-05', '2026-10-12']);
  });

  it('lists every Monday from the window start to its end, across a month and a year', () => {
    expect(weeksOf('2026-10-07', '2026-10-13')).toEqual(['2026-10-05', '2026-10-12']);
    expect(weeksOf('2026-10-05', '2026-10-11')).toEqual(['2026-10-05']);
    expect(weeksOf('2026-12-28', '2027-01-13')).toEqual(['2026-12-28', '2027-01-04', '2027-01-11']);
  });
});
