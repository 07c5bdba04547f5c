import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordRejected } from '../../../src/core/errors.ts';
import { checkMappingFile } from '../../../src/mapping/load.ts';
import type { CompiledMapping } from '../../../src/mapping/compile.ts';
import { fixture, readStream } from '../../connectors/roster/context.ts';

const TARGETS = new Set(['person.student', 'person.guardian', 'person.staff', 'consent.record']);
const ZONE = 'Europe/Samara';

function mapping(stream: string, variant: string): CompiledMapping {
  const file = path.resolve('mappings/roster', `${stream}.${variant}.yaml`);
  const { problems, spec } = checkMappingFile(file, TARGETS);
  expect(problems).toEqual([]);
  return spec!;
}

async function mapped(stream: string, variant: string, file: string) {
  const m = mapping(stream, variant);
  const { records, rejects } = await readStream(stream, [fixture(file)]);
  expect(rejects).toEqual([]);
  return records.map((r) => m.map(r.data, ZONE));
}

function rejection(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (err instanceof RecordRejected) return { code: err.code, field: err.field };
    throw err;
  }
  return undefined;
}

describe('the roster mappings are valid', () => {
  it.each([
    ['students', 'v1'],
    ['students', 'v2'],
    ['guardians', 'v1'],
    ['guardians', 'v2'],
    ['staff', 'v1'],
    ['staff', 'v2'],
    ['consents', 'v1'],
  ])('%s.%s.yaml', (stream, variant) => {
    expect(TARGETS.has(mapping(stream, variant).target)).toBe(true);
  });
});

describe('v1 students become person.student rows', () => {
  it('normalizes names, dates, СНИЛС, classes, sex and consents', async () => {
    const rows = await mapped('students', 'v1', 'school1/students.cp1251.csv');
    expect(rows).toHaveLength(12);
    expect(rows[0]).toEqual({
      external_id: '1001',
      last_name: 'Фёдоров',
      first_name: 'Пётр',
      middle_name: 'Алексеевич',
      birth_date: '2014-03-14',
      sex: 'male',
      snils: '14538290775',
      esia_id: '1000234561',
      class_name: '5А',
      group_name: 'Группа №1',
      enrolled_on: '2021-09-01',
      consent_diary_portal: 'granted',
      consent_lms: 'granted',
      consent_sms: 'refused',
    });
    const byId = new Map(rows.map((r) => [r['external_id'], r]));
    expect(byId.get('1002')).toMatchObject({ consent_sms: 'unknown', sex: 'female' });
    expect(byId.get('1003')).toMatchObject({ last_name: 'Петрова-Водкина', birth_date: '2012-02-29', esia_id: null });
    expect(byId.get('1004')).toMatchObject({ last_name: 'Гусейн Заде', group_name: 'англ.; группа 2' });
    expect(byId.get('1005')).toMatchObject({ birth_date: '2014-01-05', snils: null, consent_diary_portal: 'unknown' });
    expect(byId.get('1006')).toMatchObject({ birth_date: '2010-05-19', consent_lms: 'refused' });
    expect(byId.get('1007')).toMatchObject({ snils: '18193046274', first_name: 'Артём' });
    expect(byId.get('1009')).toMatchObject({ middle_name: null });
    expect(byId.get('1011')).toMatchObject({ last_name: 'Волков' });
  });
});

describe('a vendor variant is adapted by mapping alone: v2 gives the same rows as v1', () => {
  it.each([
    ['students', 'school1/students.utf8bom.csv', 'v2/students.csv'],
    ['guardians', 'school1/guardians.csv', 'v2/guardians.csv'],
    ['staff', 'school1/staff.csv', 'v2/staff.csv'],
  ])('%s', async (stream, v1File, v2File) => {
    const v1 = await mapped(stream, 'v1', v1File);
    const v2 = await mapped(stream, 'v2', v2File);
    expect(v1.length).toBeGreaterThan(0);
    expect(v2).toEqual(v1);
  });
});

describe('guardians, staff and consents', () => {
  it('guardians: relations, phones and e-mails', async () => {
    const rows = await mapped('guardians', 'v1', 'school1/guardians.csv');
    expect(rows[0]).toEqual({
      external_id: 'Р001',
      student_external_id: '1001',
      last_name: 'Фёдорова',
      first_name: 'Наталья',
      middle_name: 'Викторовна',
      birth_date: null,
      snils: '16830594287',
      relation: 'mother',
      phone: '+79123456789',
      email: 'fedorova.nv@example.ru',
    });
    expect(rows.map((r) => r['relation'])).toContain('grandparent');
    expect(rows.map((r) => r['relation'])).toContain('guardian');
    expect(rows.filter((r) => r['external_id'] === 'Р007').map((r) => r['student_external_id'])).toEqual([
      '1006',
      '1012',
    ]);
  });

  it('staff: the timetable short code', async () => {
    const rows = await mapped('staff', 'v1', 'school1/staff.csv');
    expect(rows.map((r) => r['short_code'])).toEqual([
      'ИвановаАП',
      'БеловГС',
      'Ершова-ЛебедеваОН',
      'ТихоновВА',
      'МорозоваАФ',
    ]);
    expect(rows[2]).toMatchObject({
      last_name: 'Ершова-Лебедева',
      birth_date: '1988-01-28',
      position: 'учитель русского языка и литературы',
    });
  });

  it('consents: purpose, status, date and source', async () => {
    const rows = await mapped('consents', 'v1', 'school1/consents.csv');
    expect(rows.map((r) => [r['person_external_id'], r['purpose'], r['status'], r['decided_on']])).toEqual([
      ['1001', 'diary_portal', 'granted', '2021-09-01'],
      ['Р001', 'sms', 'granted', '2021-09-01'],
      ['1006', 'lms', 'refused', '2023-09-10'],
      ['Р003', 'sms', 'refused', '2022-09-05'],
      ['1008', 'external_reports', 'granted', '2024-09-02'],
      ['1002', 'lms', 'refused', '2024-10-03'],
    ]);
    expect(rows[2]?.['source']).toBe('заявление № 15 от 10.09.2023');
  });
});

describe('the bad rows the connector lets through are rejected by the mapping and domain rules', () => {
  it('bad СНИЛС, impossible date, future birth date, empty surname', async () => {
    const m = mapping('students', 'v1');
    const { records } = await readStream('students', [fixture('bad/students.csv')]);
    const outcome = new Map(records.map((r) => [r.data['Код'], rejection(() => m.map(r.data, ZONE))]));
    expect(Object.fromEntries(outcome)).toEqual({
      '3001': undefined,
      '3002': { code: 'snils_checksum', field: 'snils' },
      '3003': undefined,
      '3004': { code: 'invalid_date', field: 'birth_date' },
      '3005': { code: 'future_date', field: 'birth_date' },
      '3006': { code: 'required', field: 'last_name' },
      '3007': undefined,
      '3011': undefined,
    });
  });
});
