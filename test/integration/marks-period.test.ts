/**
 * Issue 6 acceptance, period marks: weighted averages per student, subject and term with weights
 * by work type and the rounding thresholds, stored as proposed period marks; a period mark the
 * teacher set is never overwritten. Marks come from a journal export (fixtures/journal/export).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import periodJob from '../../jobs/period-marks.job.ts';
import type { PeriodResult } from '../../src/domain/marks/period.ts';
import { runNow } from '../../src/pipeline/execute.ts';
import { DIALECTS } from '../helpers/env.ts';
import { fixture, makeHub, type TestHub } from '../helpers/hub.ts';
import { marksInstances, NOW, prepareSchool } from './marks-setup.ts';

let h: TestHub | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const periodMarks = [{ weights: { 'Контрольная работа': 5, 'Ответ на уроке': 3, 'Домашняя работа': 1 } }];
const journalFiles = { name: 'journal-files', connector: 'journal', organization: 'sch-001', dropFolder: fixture('journal', 'export'), config: {} };
const ctx = { signal: new AbortController().signal, worker: 'test', attempt: 1 };

async function periodRows(t: TestHub) {
  const rows = await t.rt.db('period_marks as p')
    .join('external_ids as x', (j) => j.on('x.core_id', 'p.student_id').andOnVal('x.entity', 'person').andOnVal('x.source', 'roster'))
    .join('subjects as s', 's.id', 'p.subject_id').whereNull('p.deleted_at')
    .orderBy(['p.term_code', 'x.external_id', 's.name']).select('x.external_id', 's.name', 'p.term_code', 'p.value', 'p.average', 'p.proposed', 'p.marks_count');
  return rows.map((r: Record<string, unknown>) =>
    `${r.external_id} ${r.name} ${r.term_code}: ${r.value}${r.average === null ? '' : ` (${Number(r.average).toFixed(3)} of ${r.marks_count})`}${Number(r.proposed) ? ' proposed' : ' teacher'}`);
}

describe.each(DIALECTS)('proposed period marks (%s)', (dialect) => {
  it('weighted averages by work type, rounded at 4.65 / 3.65 / 2.65, the teacher\'s mark kept', async () => {
    h = await makeHub({ dialect, instances: marksInstances([journalFiles]), extra: { periodMarks }, now: NOW });
    await prepareSchool(h.rt);
    const load = await runNow(h.rt, { instance: 'journal-files' });
    expect(load.streams.marks).toEqual(expect.objectContaining({ read: 13, created: 13, rejected: 0 }));
    expect(load.streams.period_marks).toEqual(expect.objectContaining({ created: 1 }));

    // No term given: 1 October is in term 1.
    const r = await periodJob.process(h.rt, periodJob.dataSchema.parse({ organization: 'sch-001' }), ctx);
    expect(r).toEqual({ terms: [{ organization: 'sch-001', year: '2026/2027', term: '1' }], studentSubjects: 4, created: 3, updated: 0, unchanged: 0, keptTeacherMarks: 1, removed: 0 });
    expect(await periodRows(h)).toEqual([
      // (5·3 + 5·1 + 4·5) / 9 = 4.444: below 4.65, so 4 (the November test is term 2's).
      '1001 Математика 1: 4 (4.444 of 3) proposed',
      // (5·5 + 5·3 + 4·1) / 9 = 4.889 would propose 5, but the teacher set 4 in the journal.
      '1002 Математика 1: 4 teacher',
      // (3·5 + 4·3 + 2·1) / 9 = 3.222 -> 3; "зач" has no numeric value and does not count.
      '1011 Математика 1: 3 (3.222 of 3) proposed',
      // 4·3 (answer in class: configured weight) + 5·2 (dictation: the mark's own weight) over 5 = 4.4 -> 4.
      '1011 Русский язык 1: 4 (4.400 of 2) proposed',
    ]);

    const again = await periodJob.process(h.rt, { organization: 'sch-001', term: '1' }, ctx);
    expect(again).toEqual(expect.objectContaining({ created: 0, updated: 0, unchanged: 3, keptTeacherMarks: 1 }));

    // The whole municipality, term 2: sch-002 has no marks; 1001's November test alone.
    const term2 = (await periodJob.process(h.rt, { organization: 'obr', term: '2' }, ctx)) as PeriodResult;
    expect(term2).toEqual(expect.objectContaining({ studentSubjects: 1, created: 1 }));
    expect(term2.terms.map((t: { organization: string }) => t.organization)).toEqual(['sch-001', 'sch-002']);
    expect((await periodRows(h)).filter((x) => x.includes(' 2: '))).toEqual(['1001 Математика 2: 2 (2.000 of 1) proposed']);
  });

  it('follows the marks: a deleted mark changes the proposal, none left withdraws it', async () => {
    h = await makeHub({ dialect, instances: marksInstances([journalFiles]), extra: { periodMarks }, now: NOW });
    await prepareSchool(h.rt);
    await runNow(h.rt, { instance: 'journal-files' });
    await periodJob.process(h.rt, { organization: 'sch-001', term: '1' }, ctx);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journal-'));
    const file = path.join(dir, 'marks.csv');
    // The teacher deletes both Russian marks of 1011 and 1001's test.
    fs.writeFileSync(file, 'id;deleted\r\ne-305;1\r\ne-306;1\r\ne-103;1\r\n');
    const del = await runNow(h.rt, { instance: 'journal-files', files: [file] });
    expect(del.streams.marks).toEqual(expect.objectContaining({ deleted: 3 }));
    const r = await periodJob.process(h.rt, { organization: 'sch-001', term: '1' }, ctx);
    expect(r).toEqual(expect.objectContaining({ updated: 1, unchanged: 1, removed: 1, keptTeacherMarks: 1 }));
    expect(await periodRows(h)).toEqual([
      // (5·3 + 5·1) / 4 = 5.
      '1001 Математика 1: 5 (5.000 of 2) proposed',
      '1002 Математика 1: 4 teacher',
      '1011 Математика 1: 3 (3.222 of 3) proposed',
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a term the calendar does not have', async () => {
    h = await makeHub({ dialect, instances: marksInstances([]), now: NOW });
    await expect(periodJob.process(h.rt, { organization: 'sch-001', term: '7' }, ctx)).rejects.toThrow('no term 7');
  });
});
