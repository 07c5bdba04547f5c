/** Classroom response exports (formats.md §5): long and wide layouts, anonymous sessions. */
import { describe, expect, it } from 'vitest';
import voting from '../../../connectors/voting/index.ts';
import { fixturePath, readAll } from '../../helpers/connector-read.ts';

const byDevice = (records: { data: Record<string, unknown> }[]) => Object.fromEntries(records.map((r) => [r.data.participant, r.data]));

describe('a long export (one row per remote and question, CSV)', () => {
  it('sums each remote\'s points over the session\'s questions', async () => {
    const { records, rejects } = await readAll(voting, 'results', {}, [fixturePath('voting', 'school1', '5A-math-2026-09-17.csv')]);
    const base = { layout: 'long', test_id: 'VOTE-5A-0917', taken_at: '17.09.2026 10:40', questions: 4, max_score: '4', status: 'final' };
    expect(byDevice(records)).toEqual({
      A1B2C3: { ...base, participant: 'A1B2C3', score: '4' },
      '0F0F01': { ...base, participant: '0F0F01', score: '3' },
      '7E7E7E': { ...base, participant: '7E7E7E', score: '2' },
      DEAD01: { ...base, participant: 'DEAD01', score: '1' },
    });
    // The unlicensed remote ("*") answered, but to whom do the answers belong?
    expect(rejects.map((r) => [r.code, r.position])).toEqual([['anonymous_participant', '5A-math-2026-09-17.csv line 18']]);
    expect(rejects[0]?.message).toContain('2 answer row(s)');
  });
});

describe('a wide export (one column per question, .xlsx)', () => {
  it('reads the same kind of result, the session named by the file', async () => {
    const { records, rejects } = await readAll(voting, 'results', {}, [fixturePath('voting', 'school1', '5A-math-2026-09-24.xlsx')]);
    expect(rejects).toEqual([]);
    const base = { layout: 'wide', test_id: '5A-math-2026-09-24', taken_at: '24.09.2026 09:30', questions: 5, max_score: '5', status: 'final' };
    expect(byDevice(records)).toEqual({
      A1B2C3: { ...base, participant: 'A1B2C3', score: '5' },
      '0F0F01': { ...base, participant: '0F0F01', score: '2' },
      '7E7E7E': { ...base, participant: '7E7E7E', score: '4' },
    });
  });

  it('counts points, not just right answers, when a question is worth more', async () => {
    const { records } = await readAll(voting, 'results', { pointsPerQuestion: 2 }, [fixturePath('voting', 'school1', '5A-math-2026-09-24.xlsx')]);
    // Numbers in a wide sheet are points: 1 of 2 on each question answered.
    expect(byDevice(records).A1B2C3).toEqual(expect.objectContaining({ score: '5', max_score: '10' }));
  });
});

describe('an anonymous session', () => {
  it('is one record marked anonymous, for the pipeline to skip and count', async () => {
    const { records, rejects } = await readAll(voting, 'results', {}, [fixturePath('voting', 'anonymous', 'POLL-5A-0918.csv')]);
    expect(rejects).toEqual([]);
    expect(records.map((r) => r.data)).toEqual([{ layout: 'wide', test_id: 'POLL-5A-0918', taken_at: null, questions: 3, max_score: '3', participant: null, status: 'anonymous', score: null }]);
  });
});

describe('files the connector cannot read', () => {
  it('name the missing column or the size limit', async () => {
    const files = [fixturePath('quiz-export', 'school1', '5A-math-google.csv'), fixturePath('voting', 'school1', '5A-math-2026-09-24.xlsx')];
    const { rejects } = await readAll(voting, 'results', {}, files, { maxFileBytes: 2000 });
    expect(rejects.map((r) => [r.position, r.code])).toEqual([
      ['5A-math-google.csv', 'unknown_layout'],
      ['5A-math-2026-09-24.xlsx', 'file_too_large'],
    ]);
  });
});
