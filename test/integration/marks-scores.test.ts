/**
 * Issue 6 acceptance, scores: QTI results, quiz exports and voting sessions become diary marks
 * through the assessment register and the shared mark transform; the same files twice change
 * nothing; a corrected score updates exactly one mark; bad input is rejected clearly while the
 * good rows load. Expectations are worked out by hand from the fixtures (default scale 85/65/45 %).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRunFor, executeRun, runNow } from '../../src/pipeline/execute.ts';
import { listRejects } from '../../src/pipeline/runs-store.ts';
import { DIALECTS } from '../helpers/env.ts';
import { fixture, makeHub, type TestHub } from '../helpers/hub.ts';
import { addLessons, brief, markRows, markScales, marksInstances, NOW, prepareSchool } from './marks-setup.ts';

let h: TestHub | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const inst = (name: string, connector: string, folder: string, extra: Record<string, unknown> = {}) =>
  ({ name, connector, organization: 'sch-001', dropFolder: folder, maxRejectRatio: 1, config: {}, ...extra });

const instances = marksInstances([
  inst('qti', 'qti-results', fixture('qti-results', 'school1')),
  inst('qti-bad', 'qti-results', fixture('qti-results', 'bad')),
  inst('quiz', 'quiz-export', fixture('quiz-export', 'school1')),
  inst('quiz-1251', 'quiz-export', fixture('quiz-export', 'cp1251')),
  inst('quiz-bad', 'quiz-export', fixture('quiz-export', 'bad')),
  inst('quiz-small', 'quiz-export', fixture('quiz-export', 'school1'), { limits: { maxFileBytes: 1000 } }),
  inst('voting', 'voting', fixture('voting', 'school1')),
  inst('voting-anon', 'voting', fixture('voting', 'anonymous')),
]);

const rejectsOf = async (t: TestHub, runId: string) =>
  (await listRejects(t.rt.db, runId)).map((r: { position: string; code: string; message: string }) => [r.position, r.code, r.message]);

async function school(dialect: 'sqlite' | 'mysql'): Promise<TestHub> {
  const t = await makeHub({ dialect, instances, extra: { markScales }, now: NOW });
  await prepareSchool(t.rt);
  // 5А on Tuesday 15 September: mathematics in periods 2 and 5, Russian in period 1.
  await addLessons(t.rt, [
    { className: '5А', date: '2026-09-15', period: 1, subject: 'Русский язык' },
    { className: '5А', date: '2026-09-15', period: 2, subject: 'Математика' },
    { className: '5А', date: '2026-09-15', period: 5, subject: 'Математика' },
  ]);
  return t;
}

describe.each(DIALECTS)('marks from scores (%s)', (dialect) => {
  it('QTI 2.1, 2.2 and 3.0 results: score to mark, time zones, the nearest lesson, pass/fail', async () => {
    h = await school(dialect);
    const s = await runNow(h.rt, { instance: 'qti' });
    expect(s.status).toBe('succeeded');
    expect(s.streams.results).toEqual(expect.objectContaining({ read: 5, created: 4, rejected: 0 }));
    expect(s.streams.results?.notes).toEqual({ skipped_pending: 1, attached_to_lessons: 3 });
    expect((await markRows(h.rt)).map(brief)).toEqual([
      // 8/10 = 80 % -> 4, written at 12:40+04:00: inside period 5 (12:30-13:15).
      '1001 Математика 2026-09-15 4 (8/10) p5',
      // 9.5/10 -> 5; "09:41:45.529" without a zone is Samara time: inside period 2.
      '1002 Математика 2026-09-15 5 (9.5/10) p2',
      // 4/10 -> 2; 01:20+09:00 on the 16th is 20:20 on the 15th in Samara: the nearest lesson is period 5.
      '1011 Математика 2026-09-15 2 (4/10) p5',
      // 12 of the register's 20 = 60 %: "зачёт" (pass mark 50 %); no PE lesson that day.
      '1001 Физическая культура 2026-09-18 зач (12/20)',
    ]);
    const qti3 = await h.rt.db('marks').where({ assessment: 'MATH-5A-FRACTIONS' }).orderBy('taken_at').select('taken_at', 'weight', 'work_type');
    expect(qti3.map((m: { taken_at: string }) => m.taken_at)).toEqual(['2026-09-15T05:41:45.000Z', '2026-09-15T08:40:00.000Z', '2026-09-15T16:20:00.000Z']);
    expect(qti3.every((m: { weight: unknown; work_type: string }) => Number(m.weight) === 2 && m.work_type === 'Тест')).toBe(true);
    const pe = await h.rt.db('marks').where({ assessment: 'PE-5A-NORMS' }).first('numeric_value');
    expect(pe.numeric_value).toBeNull();
  });

  it('Moodle and Google quiz exports: attempts, skipped attempts, accounts, per-school scales', async () => {
    h = await school(dialect);
    const s = await runNow(h.rt, { instance: 'quiz' });
    expect(s.streams.results).toEqual(expect.objectContaining({ read: 9, created: 5, rejected: 2 }));
    expect(s.streams.results?.notes).toEqual({ skipped_in_progress: 1, skipped_pending: 1, attached_to_lessons: 1 });
    expect((await markRows(h.rt)).map(brief)).toEqual([
      // Google: 26/30 = 86.7 % is "4" on sch-001's scale for "Самостоятельная работа" (90/70/50).
      '1001 Математика 2026-09-21 4 (26/30)',
      '1002 Математика 2026-09-21 5 (30/30)',
      // Two responses: the higher, 18/30 = 60 % -> 3.
      '1011 Математика 2026-09-21 3 (18/30)',
      // Moodle, highest of three finished attempts: 8/9 = 88.9 % -> 5 (taken 16 September).
      '1001 Математика 2026-09-16 5 (8/9)',
      '1002 Математика 2026-09-15 5 (9/9) p2',
    ]);
    expect(await rejectsOf(h, s.runId)).toEqual([
      ['5A-math-google.csv line 6', 'unknown_participant', 'participant "unknown.kid@gmail.example" is not a student known to the hub (public id, roster code or registered account) (test "5A-math-google")'],
      ['5A-math-quiz-2.csv line 9', 'unknown_participant', 'participant "1099" is not a student known to the hub (public id, roster code or registered account) (test "5A-math-quiz-2")'],
    ]);
  });

  it('the attempt policy of the instance decides which Moodle attempt counts', async () => {
    const last = inst('quiz-last', 'quiz-export', fixture('quiz-export', 'school1'), { config: { attempts: 'last', files: '*quiz*.csv' } });
    const first = inst('quiz-first', 'quiz-export', fixture('quiz-export', 'school1'), { config: { attempts: 'first', files: '*quiz*.csv' } });
    h = await makeHub({ dialect, instances: marksInstances([last, first]), now: NOW });
    await prepareSchool(h.rt);
    await runNow(h.rt, { instance: 'quiz-last' });
    // 5/9 = 55.6 % -> 3, the last finished attempt on 17 September.
    expect((await markRows(h.rt, { 'x.external_id': '1001' })).map(brief)).toEqual(['1001 Математика 2026-09-17 3 (5/9)']);
    const s = await runNow(h.rt, { instance: 'quiz-first' });
    // Same quiz, same student: the first attempt (6/9 = 66.7 % -> 4) replaces that one mark.
    expect(s.streams.results).toEqual(expect.objectContaining({ created: 0, updated: 1, unchanged: 1 }));
    expect((await markRows(h.rt, { 'x.external_id': '1001' })).map(brief)).toEqual(['1001 Математика 2026-09-15 4 (6/9)']);
  });

  it('a Windows-1251 export re-saved by Excel loads like any other', async () => {
    h = await school(dialect);
    const s = await runNow(h.rt, { instance: 'quiz-1251' });
    expect(s.streams.results).toEqual(expect.objectContaining({ read: 2, created: 1, rejected: 0 }));
    // 9,00 of 10,00 = 90 % -> 5: a dictation of weight 3.
    const [m] = await markRows(h.rt);
    expect(m).toEqual({ student: '1005', subject: 'Русский язык', date: '2026-09-17', value: '5', numeric: 5, weight: 3, workType: 'Контрольная работа', score: 9, max: 10, period: null, test: '5B-russian-dictation' });
  });

  it('voting sessions, long CSV and wide xlsx: remotes mapped to students through the class register', async () => {
    h = await school(dialect);
    const s = await runNow(h.rt, { instance: 'voting' });
    expect(s.streams.results).toEqual(expect.objectContaining({ read: 8, created: 6, rejected: 2 }));
    expect((await markRows(h.rt)).map(brief)).toEqual([
      '1001 Математика 2026-09-24 5 (5/5)',
      '1002 Математика 2026-09-24 2 (2/5)',
      '1011 Математика 2026-09-24 4 (4/5)',
      '1001 Математика 2026-09-17 5 (4/4)',
      '1002 Математика 2026-09-17 4 (3/4)',
      '1011 Математика 2026-09-17 3 (2/4)',
    ]);
    const rejects = await rejectsOf(h, s.runId);
    expect(rejects.map(([p, c]) => [p, c])).toEqual([
      ['5A-math-2026-09-17.csv line 18', 'anonymous_participant'],
      ['5A-math-2026-09-17.csv line 5', 'unknown_participant'],
    ]);
    expect(rejects[1]?.[2]).toContain('device "DEAD01" is not assigned to a student');
  });

  it('an anonymous session is skipped and counted', async () => {
    h = await school(dialect);
    const s = await runNow(h.rt, { instance: 'voting-anon' });
    expect(s.streams.results).toEqual(expect.objectContaining({ read: 1, created: 0, rejected: 0 }));
    expect(s.streams.results?.notes).toEqual({ skipped_anonymous: 1 });
  });

  it('re-importing the same files changes nothing; a corrected score updates exactly one mark', async () => {
    h = await school(dialect);
    for (const i of ['qti', 'quiz', 'voting']) await runNow(h.rt, { instance: i });
    const before = await h.rt.db('marks').orderBy('id').select('id', 'uid', 'change_version', 'value');
    const top = await h.rt.db('cv_sequence').first('value');
    for (const i of ['qti', 'quiz', 'voting']) {
      const again = await runNow(h.rt, { instance: i });
      expect(again.totals, i).toEqual(expect.objectContaining({ created: 0, updated: 0, deleted: 0 }));
    }
    expect(await h.rt.db('marks').orderBy('id').select('id', 'uid', 'change_version', 'value')).toEqual(before);
    expect(await h.rt.db('cv_sequence').first('value')).toEqual(top);

    // The testing system re-scores 1001's fractions test: 8 becomes 9 (90 % -> 5).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qti-fix-'));
    for (const f of fs.readdirSync(fixture('qti-results', 'school1'))) fs.copyFileSync(fixture('qti-results', 'school1', f), path.join(dir, f));
    const file = path.join(dir, '1001-fractions.v2p1.xml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('<value>8</value>', '<value>9</value>'));
    const fixed = await runNow(h.rt, { instance: 'qti', files: fs.readdirSync(dir).map((f) => path.join(dir, f)) });
    expect(fixed.streams.results).toEqual(expect.objectContaining({ created: 0, updated: 1, unchanged: 3 }));
    const after = await h.rt.db('marks').orderBy('id').select('id', 'uid', 'change_version', 'value');
    expect(after).toHaveLength(before.length);
    const changed = after.filter((m: { id: number; change_version: number }, i: number) => m.change_version !== before[i].change_version);
    expect(changed.map((m: { uid: string; value: string }) => m.value)).toEqual(['5']);
    expect(changed[0].uid).toBe(before.find((b: { id: number }) => b.id === changed[0].id).uid);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('bad results: each rejected with a clear reason, the good one loads', async () => {
    h = await school(dialect);
    const s = await runNow(h.rt, { instance: 'qti-bad' });
    expect(s.status).toBe('succeeded');
    expect(s.streams.results).toEqual(expect.objectContaining({ read: 8, created: 1, rejected: 7 }));
    expect((await markRows(h.rt)).map(brief)).toEqual(['1005 Математика 2026-09-22 4 (7/10)']);
    const rejects = await rejectsOf(h, s.runId);
    expect(rejects.map(([p, c]) => [p, c])).toEqual([
      ['bomb.xml', 'xml_entities_forbidden'],
      ['malformed.xml', 'malformed_xml'],
      ['unknown-outcome.xml', 'unknown_outcome'],
      ['unregistered.xml', 'unregistered_test'],
      ['above-max.xml', 'score_above_max'],
      ['negative.xml', 'negative_score'],
      ['unknown-learner.xml', 'unknown_participant'],
    ]);
    const message = (code: string) => rejects.find(([, c]) => c === code)?.[2];
    expect(message('score_above_max')).toBe('participant "1001", test "MATH-5B-QUIZ": score 12 is above the maximum 10');
    expect(message('negative_score')).toBe('participant "1002", test "MATH-5B-QUIZ": score -1 is negative');
    expect(message('unknown_participant')).toContain('participant "9999"');
    expect(message('unregistered_test')).toContain('test "PHYS-9-UNKNOWN" is not in the assessment register of sch-001');
  });

  it('a learner named by the hub\'s public id is found; an unregistered test loads after registering it and replaying', async () => {
    h = await school(dialect);
    const ivanov = await h.rt.db('persons').where({ last_name: 'Иванов' }).first('uid');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qti-uid-'));
    const result = (learner: string, test: string) => fs.readFileSync(fixture('qti-results', 'bad', 'good.xml'), 'utf8').replace('sourcedId="1005"', `sourcedId="${learner}"`).replace('MATH-5B-QUIZ', test);
    fs.writeFileSync(path.join(dir, 'by-uid.xml'), result(ivanov.uid, 'MATH-5B-QUIZ'));
    fs.writeFileSync(path.join(dir, 'new-test.xml'), result('1005', 'MATH-5B-NEW'));
    const first = await runNow(h.rt, { instance: 'qti', files: fs.readdirSync(dir).map((f) => path.join(dir, f)) });
    expect(first.streams.results).toEqual(expect.objectContaining({ created: 1, rejected: 1 }));
    expect((await rejectsOf(h, first.runId)).map(([p, c]) => [p, c])).toEqual([['new-test.xml', 'unregistered_test']]);
    // The school registers the test; the rejected result is replayed from the run's rejections.
    const reg = path.join(dir, 'register.csv');
    fs.writeFileSync(reg, 'Тест;Предмет;Класс;Вид работы;Вес\r\nMATH-5B-NEW;Математика;5Б;Тест;2\r\n');
    expect((await runNow(h.rt, { instance: 'register', files: [reg] })).streams.assessments?.created).toBe(1);
    const replay = await executeRun(h.rt, await createRunFor(h.rt, { instance: 'qti', files: [], replayOf: first.runId }));
    expect(replay.streams.results).toEqual(expect.objectContaining({ read: 1, created: 1, rejected: 0 }));
    expect((await markRows(h.rt)).map((m) => `${m.student} ${m.test} ${m.value}`)).toEqual(['1005 MATH-5B-NEW 4', '1005 MATH-5B-QUIZ 4']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a formula cell rejects its row; a file over the size limit is rejected by name; the rest loads', async () => {
    h = await school(dialect);
    const bad = await runNow(h.rt, { instance: 'quiz-bad' });
    expect(bad.streams.results).toEqual(expect.objectContaining({ created: 2, rejected: 1 }));
    expect((await rejectsOf(h, bad.runId)).map(([p, c]) => [p, c])).toEqual([['5A-math-quiz-2.csv line 3', 'formula_injection']]);
    const small = await runNow(h.rt, { instance: 'quiz-small' });
    expect(small.status).toBe('succeeded');
    expect((await rejectsOf(h, small.runId)).map(([p, c, m]) => [p, c, c === 'file_too_large' ? m : ''])).toEqual([
      ['5A-math-quiz-2.csv', 'file_too_large', '5A-math-quiz-2.csv: 1517 bytes, the limit is 1000 bytes'],
      ['5A-math-google.csv line 6', 'unknown_participant', ''],
    ]);
    // The Google sheet (640 bytes) loaded: three students.
    expect((await markRows(h.rt, { 'm.assessment': '5A-math-google' })).map((m) => m.student)).toEqual(['1001', '1002', '1011']);
  });
});
