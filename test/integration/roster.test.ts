/** Issue 3 acceptance: encodings, bad rows, transfer and namesakes, truncated snapshots, consent. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineConnector, type ExportRow } from '../../src/core/contract.ts';
import { runNow } from '../../src/pipeline/execute.ts';
import { listRejects } from '../../src/pipeline/runs-store.ts';
import { reviewItems } from '../../src/domain/persons/merge.ts';
import { registerConnector } from '../../src/registry.ts';
import { fixture, makeHub, rosterInstance, type TestHub } from '../helpers/hub.ts';

let h: TestHub | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const S1 = fixture('roster', 'school1');
const only = (students: string, extra: Record<string, string> = {}) => ({ config: { files: { students, guardians: 'none', staff: 'none', consents: 'none', ...extra } } });

async function coreRows(t: TestHub) {
  const persons = await t.rt.db('persons').orderBy(['last_name', 'first_name']).select('last_name', 'first_name', 'middle_name', 'birth_date', 'sex', 'snils', 'esia_id');
  const placed = await t.rt.db('enrollments as e').join('persons as p', 'p.id', 'e.person_id').join('classes as c', 'c.id', 'e.class_id').leftJoin('class_groups as g', 'g.id', 'e.group_id')
    .orderBy(['p.last_name', 'p.first_name']).select('p.last_name', 'c.name as class', 'g.name as grp', 'e.from_date', 'e.reason_in');
  return { persons, placed };
}

describe('a roster in Windows-1251, UTF-8 with BOM and UTF-16 "Unicode text"', () => {
  it('gives identical core rows, with ё, №, hyphenated and double surnames', async () => {
    const results = [];
    for (const file of ['students.cp1251.csv', 'students.utf8bom.csv', 'students.utf16.txt']) {
      h = await makeHub({ instances: [rosterInstance('r', 'sch-001', S1, only(file))] });
      const s = await runNow(h.rt, { instance: 'r' });
      expect(s.status, file).toBe('succeeded');
      expect(s.streams.students?.rejected, file).toBe(0);
      results.push(await coreRows(h));
      await h.close();
      h = undefined;
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
    const { persons, placed } = results[0]!;
    expect(persons).toHaveLength(12);
    expect(persons).toContainEqual({ last_name: 'Фёдоров', first_name: 'Пётр', middle_name: 'Алексеевич', birth_date: '2014-03-14', sex: 'male', snils: '14538290775', esia_id: '1000234561' });
    expect(persons).toContainEqual(expect.objectContaining({ last_name: 'Петрова-Водкина', first_name: 'Мария', birth_date: '2012-02-29' }));
    expect(persons).toContainEqual(expect.objectContaining({ last_name: 'Гусейн Заде', first_name: 'Эльдар' }));
    // "ВОЛКОВ" in capitals is normalized; a date typed "5.1.2014" is the 5th of January.
    expect(persons).toContainEqual(expect.objectContaining({ last_name: 'Волков', first_name: 'Никита', snils: '17539201880' }));
    expect(persons).toContainEqual(expect.objectContaining({ last_name: 'Иванов', birth_date: '2014-01-05', snils: null }));
    expect(placed).toContainEqual({ last_name: 'Фёдоров', class: '5А', grp: 'Группа №1', from_date: '2021-09-01', reason_in: 'admission' });
  });
});

describe('bad rows', () => {
  it('are rejected one by one with field and reason; every good row loads', async () => {
    h = await makeHub({ instances: [
      rosterInstance('csv', 'sch-001', fixture('roster', 'bad'), { maxRejectRatio: 1, ...only('students.csv') }),
      rosterInstance('xlsx', 'sch-002', fixture('roster', 'bad'), { maxRejectRatio: 1, ...only('students.xlsx') }),
    ] });
    const csv = await runNow(h.rt, { instance: 'csv' });
    const rejects = (await listRejects(h.rt.db, csv.runId)).map((r: { position: string; field: string | null; code: string }) => [r.position, r.field, r.code]);
    expect(rejects).toEqual([
      ['students.csv line 3', 'snils', 'snils_checksum'],
      ['students.csv line 5', 'birth_date', 'invalid_date'],
      ['students.csv line 6', 'birth_date', 'future_date'],
      ['students.csv line 7', 'last_name', 'required'],
      ['students.csv line 9', null, 'duplicate_row'],
      ['students.csv line 10', 'Подгруппа', 'field_too_long'],
      ['students.csv line 11', null, 'column_count'],
      ['students.csv line 12', 'Имя', 'formula_injection'],
    ]);
    const xlsx = await runNow(h.rt, { instance: 'xlsx' });
    const xr = await listRejects(h.rt.db, xlsx.runId);
    expect(xr.map((r: { code: string; field: string }) => [r.code, r.field])).toEqual([['formula_cell', 'Дата рождения']]);
    const names = (await h.rt.db('persons').orderBy('last_name').select('last_name')).map((r: { last_name: string }) => r.last_name);
    expect(names).toEqual(expect.arrayContaining(['Андреев', 'Гришин', 'Жуков', 'Лебедев']));
    expect(names).not.toContain('Белова');
    expect(names).not.toContain('Ефимов');
    expect(csv.streams.students?.read).toBe(12);
    expect(csv.streams.students?.rejected).toBe(8);
  });
});

describe('the same child in a second school', () => {
  it('links by SNILS and records a transfer; a namesake with the same birth date stays a different person for review', async () => {
    h = await makeHub({ instances: [
      rosterInstance('r1', 'sch-001', S1, only('students.utf8bom.csv')),
      rosterInstance('r2', 'sch-002', fixture('roster', 'school2'), only('students.csv')),
    ] });
    await runNow(h.rt, { instance: 'r1' });
    const s2 = await runNow(h.rt, { instance: 'r2' });
    expect(s2.streams.students?.notes).toMatchObject({ transfer: 1, review_items: 1 });
    const volkov = await h.rt.db('persons').where({ snils: '17539201880' }).select('id');
    expect(volkov).toHaveLength(1);
    const moves = await h.rt.db('enrollments as e').join('organizations as o', 'o.id', 'e.organization_id').where('e.person_id', volkov[0].id).orderBy('e.id')
      .select('o.code', 'e.to_date', 'e.reason_in', 'e.reason_out');
    expect(moves).toEqual([
      { code: 'sch-001', to_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), reason_in: 'admission', reason_out: 'transfer_out' },
      { code: 'sch-002', to_date: null, reason_in: 'transfer_in', reason_out: null },
    ]);
    const ivanovs = await h.rt.db('persons').where({ last_name: 'Иванов', first_name: 'Иван', birth_date: '2014-01-05' }).select('id');
    expect(ivanovs).toHaveLength(2);
    const review = await reviewItems(h.rt.db);
    expect(review).toHaveLength(1);
    expect(review[0]).toMatchObject({ kind: 'possible_duplicate', last_name: 'Иванов', birth_date: '2014-01-05' });
  });
});

describe('a truncated roster', () => {
  it('stops without closing enrollments until confirmed', async () => {
    h = await makeHub({ instances: [rosterInstance('r', 'sch-001', S1, only('students.utf8bom.csv'))] });
    await runNow(h.rt, { instance: 'r' });
    fs.mkdirSync(path.join(h.dir, 'half'));
    const half = path.join(h.dir, 'half', 'students.utf8bom.csv');
    const lines = fs.readFileSync(path.join(S1, 'students.utf8bom.csv'), 'utf8').split('\n');
    fs.writeFileSync(half, lines.slice(0, 7).join('\n'));
    const stopped = await runNow(h.rt, { instance: 'r', files: [half] });
    expect(stopped.status).toBe('failed');
    expect(stopped.error?.code).toBe('snapshot_too_small');
    expect(stopped.error?.message).toContain('6 of 12');
    expect(await h.rt.db('enrollments').whereNull('to_date').count({ n: '*' }).first()).toEqual({ n: 12 });

    const confirmed = await runNow(h.rt, { instance: 'r', files: [half], confirm: true });
    expect(confirmed.status).toBe('succeeded');
    expect(confirmed.streams.students?.notes.left).toBe(6);
    const left = await h.rt.db('enrollments').whereNotNull('to_date').select('reason_out');
    expect(left).toHaveLength(6);
    expect(new Set(left.map((l: { reason_out: string }) => l.reason_out))).toEqual(new Set(['leaving']));
  });
});

describe('a refusal recorded for purpose lms', () => {
  const sent: ExportRow[] = [];
  registerConnector(defineConnector<Record<string, unknown>>({
    id: 'stub-lms', version: '0', description: 'test outbound instance', configSchema: z.object({}).passthrough(),
    streams: [{ name: 'users', primaryKey: ['publicId'], kind: 'events', direction: 'export', exportSource: 'roster.students' }],
    check: async () => {},
    async *write(_stream, _config, rows) {
      let n = 100;
      for await (const r of rows) {
        sent.push(r);
        yield { publicId: r.publicId, status: 'sent', externalId: String(n++) };
      }
    },
  }));

  it('is in the consent history and makes the export count the person as withheld', async () => {
    h = await makeHub({
      instances: [
        rosterInstance('r', 'sch-001', S1, { config: { files: { students: 'students.utf8bom.csv', guardians: 'guardians.csv', staff: 'staff.csv', consents: 'consents.csv' } } }),
        { name: 'lms', connector: 'stub-lms', organization: 'sch-001', purpose: 'lms', config: {} },
      ],
      extra: { consent: { unknownMeans: { lms: 'granted' } } },
    });
    await runNow(h.rt, { instance: 'r' });
    const history = await h.rt.db('consent_history as c').join('persons as p', 'p.id', 'c.person_id').where({ 'p.last_name': 'Кузнецова', 'p.first_name': 'Дарья', 'c.purpose': 'lms' })
      .orderBy('c.id').select('c.status', 'c.decided_on', 'c.origin', 'c.recorded_by');
    expect(history.at(-1)).toMatchObject({ status: 'refused', decided_on: '2023-09-10', origin: 'заявление № 15 от 10.09.2023', recorded_by: expect.stringMatching(/^run /) });

    const exp = await runNow(h.rt, { instance: 'lms' });
    expect(exp.streams.users).toMatchObject({ read: 12, sent: 10, withheld: 2, failed: 0 });
    expect(sent.map((r) => r.data.last_name)).not.toContain('Семёнова');
    expect(sent.map((r) => r.data.last_name)).not.toContain('Кузнецова Дарья');
    const again = await runNow(h.rt, { instance: 'lms' });
    expect(again.streams.users).toMatchObject({ read: 0, sent: 0 });
  });
});
