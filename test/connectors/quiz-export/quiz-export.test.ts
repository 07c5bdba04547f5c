/** Moodle quiz "Grades" reports and Google Forms quiz sheets (formats.md §4). */
import { describe, expect, it } from 'vitest';
import quiz from '../../../connectors/quiz-export/index.ts';
import { parseGoogleTimestamp, parseMoodleDate } from '../../../connectors/quiz-export/dates.ts';
import { fixturePath, readAll } from '../../helpers/connector-read.ts';

const moodle = fixturePath('quiz-export', 'school1', '5A-math-quiz-2.csv');
const google = fixturePath('quiz-export', 'school1', '5A-math-google.csv');
const cp1251 = fixturePath('quiz-export', 'cp1251', '5B-russian-dictation.csv');

const byParticipant = (records: { data: Record<string, unknown> }[]) => Object.fromEntries(records.map((r) => [r.data.participant, r.data]));

describe('a Moodle "Grades" report (UTF-8 with BOM, one row per attempt)', () => {
  it('gives one result per student with the maximum from the "Grade/9.00" header', async () => {
    const { records, rejects } = await readAll(quiz, 'results', {}, [moodle]);
    expect(rejects).toEqual([]);
    const r = byParticipant(records);
    expect(Object.keys(r).sort()).toEqual(['1001', '1002', '1005', '1011', '1099']);
    expect(r['1002']).toEqual({
      format: 'moodle', test_id: '5A-math-quiz-2', participant: '1002', participant_name: 'Семёнова Алёна', status: 'final',
      taken_at: '2026-09-15T09:58:00', score: '9.00', max_score: '9.00', attempt: '1/1',
    });
    // "In progress" only: not a result; "Finished" with "-": waits for grading.
    expect(r['1011']).toEqual(expect.objectContaining({ status: 'in_progress', score: null }));
    expect(r['1005']).toEqual(expect.objectContaining({ status: 'pending', score: null }));
    // The "Overall average" footer is not a student.
    expect(records).toHaveLength(5);
  });

  it.each([
    ['highest', '8.00', '2/4', '2026-09-16T18:31:00'],
    ['first', '6.00', '1/4', '2026-09-15T09:52:00'],
    ['last', '5.00', '3/4', '2026-09-17T19:15:00'],
  ])('takes the %s finished attempt (in-progress attempts never count)', async (attempts, score, attempt, takenAt) => {
    const { records } = await readAll(quiz, 'results', { attempts }, [moodle]);
    expect(byParticipant(records)['1001']).toEqual(expect.objectContaining({ score, attempt, taken_at: takenAt, status: 'final' }));
  });
});

describe('a Russian Moodle report saved again by Excel in Windows-1251', () => {
  it('reads ";", Russian headers and dates, and the decimal comma', async () => {
    const { records, rejects } = await readAll(quiz, 'results', {}, [cp1251]);
    expect(rejects).toEqual([]);
    const r = byParticipant(records);
    expect(r['1005']).toEqual({
      format: 'moodle', test_id: '5B-russian-dictation', participant: '1005', participant_name: 'Иванов Иван', status: 'final',
      taken_at: '2026-09-17T15:20:00', score: '9,00', max_score: '10,00', attempt: '2/2',
    });
    expect(r['1004']).toEqual(expect.objectContaining({ participant_name: 'Гусейн Заде Эльдар', status: 'in_progress' }));
  });
});

describe('a Google Forms quiz sheet', () => {
  it('splits "x / y" scores and keeps the GMT offset of the timestamp', async () => {
    const { records, rejects } = await readAll(quiz, 'results', {}, [google]);
    expect(rejects).toEqual([]);
    const r = byParticipant(records);
    expect(r['fedorov.p@school1.example']).toEqual(expect.objectContaining({ format: 'google', test_id: '5A-math-google', taken_at: '2026-09-21T10:05:12+04:00', score: '26.00', max_score: '30', status: 'final' }));
    // Two responses of one student: the highest counts by default.
    expect(r['volkov.n@school1.example']).toEqual(expect.objectContaining({ score: '18.00', attempt: '2/2' }));
    expect(records).toHaveLength(4);
  });
});

describe('bad quiz rows', () => {
  it('a formula cell rejects its row only', async () => {
    const { records, rejects } = await readAll(quiz, 'results', {}, [fixturePath('quiz-export', 'bad', '5A-math-quiz-2.csv')]);
    expect(rejects.map((r) => [r.position, r.code, r.field])).toEqual([['5A-math-quiz-2.csv line 3', 'formula_injection', 'Surname']]);
    expect(records.map((r) => r.data.participant)).toEqual(['1001', '1011']);
  });

  it('a file over the size limit is one rejection naming it', async () => {
    const { records, rejects } = await readAll(quiz, 'results', {}, [moodle], { maxFileBytes: 100 });
    expect(records).toEqual([]);
    expect(rejects.map((r) => [r.position, r.code])).toEqual([['5A-math-quiz-2.csv', 'file_too_large']]);
  });
});

describe('localized dates', () => {
  it.each([
    ['23 February 2021  9:57 PM', '2021-02-23T21:57:00'],
    ['Tuesday, 23 February 2021, 12:05 AM', '2021-02-23T00:05:00'],
    ['16 сентября 2026, 11:40', '2026-09-16T11:40:00'],
    ['1 мая 2026 8:05', '2026-05-01T08:05:00'],
  ])('Moodle "%s"', (text, iso) => expect(parseMoodleDate(text)).toBe(iso));

  it.each([
    ['2026/09/27 3:00:00 PM GMT+3', '2026-09-27T15:00:00+03:00'],
    ['2026/09/27 12:10:00 AM GMT-5', '2026-09-27T00:10:00-05:00'],
    ['27.09.2026 15:00:00', '2026-09-27T15:00:00'],
  ])('Google "%s"', (text, iso) => expect(parseGoogleTimestamp(text)).toBe(iso));

  it('refuse impossible dates', () => {
    expect(parseMoodleDate('31 February 2026  9:57 AM')).toBeUndefined();
    expect(parseGoogleTimestamp('2026/09/27 13:00:00 PM')).toBeUndefined();
  });
});
