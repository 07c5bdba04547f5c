import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { generateCity } from '../../bench/city/generate.ts';
import { cityHubYaml } from '../../bench/city/write-config.ts';
import {
  GUARDIAN_HEADER,
  STAFF_HEADER,
  STUDENT_HEADER,
  writeRosterFiles,
  type RosterCounts,
} from '../../bench/city/write-roster.ts';
import { hubSchema } from '../../src/config/schema.ts';

const SMALL = { seed: 7, schools: 3, students: 500 } as const;

/** SNILS check straight from reference/russia.md §4, independent of the generator's code. */
function snilsValid(text: string): boolean {
  const digits = text.replace(/[- ]/g, '');
  if (!/^\d{11}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (9 - i);
  const check = sum < 100 ? sum : sum <= 101 ? 0 : (sum % 101) % 100;
  return Number(digits.slice(9)) === check;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

async function digests(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await listFiles(dir)) {
    out[f] = createHash('sha256')
      .update(await readFile(join(dir, f)))
      .digest('hex');
  }
  return out;
}

type Rows = Record<string, string>[];

async function readCsv(path: string, header: readonly string[]): Promise<Rows> {
  const text = await readFile(path, 'utf8');
  expect(text.charCodeAt(0)).not.toBe(0xfeff);
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  const records = parse(text, { delimiter: ';', record_delimiter: '\r\n' }) as string[][];
  expect(records[0]).toEqual(header);
  for (const r of records) expect(r).toHaveLength(header.length);
  return records.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

let root: string;
let counts: RosterCounts;
const students: Rows = [];
const guardians: Rows = [];
const staff: Rows = [];
const staffBySchool = new Map<string, Rows>();
const classSizes: number[] = [];

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rso-city-'));
  counts = await writeRosterFiles(generateCity(SMALL), join(root, 'a'));
  for (const school of ['sch-001', 'sch-002', 'sch-003']) {
    const rows = await readCsv(join(root, 'a', school, 'students.csv'), STUDENT_HEADER);
    classSizes.push(...countBy(rows, (r) => r['Класс'] ?? '').values());
    students.push(...rows);
    guardians.push(...(await readCsv(join(root, 'a', school, 'guardians.csv'), GUARDIAN_HEADER)));
    staffBySchool.set(school, await readCsv(join(root, 'a', school, 'staff.csv'), STAFF_HEADER));
    staff.push(...(staffBySchool.get(school) ?? []));
  }
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the city roster is reproducible from its seed', () => {
  it('writes byte-identical files for the same seed and different ones for another seed', async () => {
    await writeRosterFiles(generateCity(SMALL), join(root, 'b'));
    await writeRosterFiles(generateCity({ ...SMALL, seed: 8 }), join(root, 'c'));
    const a = await digests(join(root, 'a'));
    expect(Object.keys(a)).toHaveLength(9);
    expect(await digests(join(root, 'b'))).toEqual(a);
    const other = await digests(join(root, 'c'));
    for (const file of Object.keys(a)) expect(other[file], file).not.toBe(a[file]);
    const firstNames = (seed: number): string[] =>
      generateCity({ ...SMALL, seed }).schools.flatMap((s) => s.staff.slice(0, 5).map((m) => m.lastName));
    expect(firstNames(8)).not.toEqual(firstNames(7));
  });

  it('counts what it wrote', () => {
    expect(counts).toMatchObject({
      students: 500,
      guardians: guardians.length,
      staff: staff.length,
      files: 9,
    });
    expect(counts.rows).toBe(500 + guardians.length + staff.length);
    expect(students).toHaveLength(500);
  });
});

describe('people are valid and unique', () => {
  it('gives every student, staff member and ~70% of guardians a SNILS with a correct checksum', () => {
    expect(snilsValid('112-233-445 95') && snilsValid('98765432183') && snilsValid('99999999901')).toBe(true);
    const guardianSnils = guardians.map((g) => g['СНИЛС'] ?? '').filter((s) => s !== '');
    const all = [
      ...students.map((s) => s['СНИЛС'] ?? ''),
      ...staff.map((s) => s['СНИЛС'] ?? ''),
      ...guardianSnils,
    ];
    expect(all.every(snilsValid)).toBe(true);
    expect(new Set(all.map((s) => s.replace(/\D/g, ''))).size).toBe(all.length);
    expect(guardianSnils.length / guardians.length).toBeGreaterThan(0.6);
    expect(guardianSnils.length / guardians.length).toBeLessThan(0.8);
  });

  it('gives every student one or two guardians (мать/отец) that point at an existing student', () => {
    const codes = new Set(students.map((s) => s['Код']));
    expect(codes.size).toBe(students.length);
    for (const g of guardians) {
      expect(codes.has(g['Код ученика'])).toBe(true);
      expect(['мать', 'отец']).toContain(g['Степень родства']);
      expect(g['Телефон']).toMatch(/^\+79\d{9}$/);
    }
    const perStudent = countBy(guardians, (g) => g['Код ученика'] ?? '');
    expect(perStudent.size).toBe(students.length);
    expect([...perStudent.values()].every((n) => n === 1 || n === 2)).toBe(true);
    expect(new Set(guardians.map((g) => g['Телефон'])).size).toBe(guardians.length);
  });

  it('writes Russian dates, sexes, consents and names', () => {
    for (const s of students) {
      expect(s['Дата рождения']).toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
      expect(s['Пол']).toMatch(/^[МЖ]$/);
      expect(s['Отчество']).toMatch(/(ович|евич|ич|овна|евна|ична)$/);
      for (const c of ['Согласие ЭД', 'Согласие LMS', 'Согласие SMS'])
        expect(['да', 'нет', '']).toContain(s[c]);
    }
    const lmsYes = students.filter((s) => s['Согласие LMS'] === 'да').length;
    expect(lmsYes / students.length).toBeGreaterThan(0.88);
  });
});

describe('classes look like a school', () => {
  it('puts ~25 students in classes 1..11 named like 5А, with birth years matching the grade', () => {
    for (const s of students) {
      const cls = s['Класс'] ?? '';
      expect(cls).toMatch(/^(1[01]|[1-9])[АБВГДЕЖИКЛМНОП]$/);
      const grade = Number(cls.slice(0, -1));
      const age = 2026 - Number(s['Дата рождения']?.slice(6));
      expect(age - grade).toBeGreaterThanOrEqual(5);
      expect(age - grade).toBeLessThanOrEqual(8);
      if (s['Подгруппа'] !== '') expect(['1', '2']).toContain(s['Подгруппа']);
    }
    // Three schools of ~167 students: one class per grade, fewer pupils in grades 10–11.
    expect(classSizes).toHaveLength(33);
    expect(Math.max(...classSizes)).toBeLessThanOrEqual(32);
    expect(Math.min(...classSizes)).toBeGreaterThanOrEqual(5);
  });

  it('has about one staff member per twelve students, a director in each school, unique short names', () => {
    expect(staff.filter((m) => m['Должность'] === 'Директор')).toHaveLength(3);
    expect(staff.length).toBeGreaterThan(500 / 16);
    for (const m of staff) {
      const initials = `${m['Фамилия']}${m['Имя']?.[0]}${m['Отчество']?.[0]}`;
      expect(m['Краткое имя']).toMatch(new RegExp(`^${initials}\\d*$`));
    }
    for (const school of staffBySchool.values()) {
      expect(new Set(school.map((m) => m['Краткое имя'])).size).toBe(school.length);
    }
  });
});

describe('the region layout', () => {
  it('writes one file per stream with the school code in a leading ОО column', async () => {
    const dir = join(root, 'region');
    const region = await writeRosterFiles(generateCity(SMALL), dir, { layout: 'region' });
    expect(await listFiles(dir)).toEqual(['guardians.csv', 'staff.csv', 'students.csv']);
    const rows = await readCsv(join(dir, 'students.csv'), ['ОО', ...STUDENT_HEADER]);
    expect(new Set(rows.map((r) => r['ОО']))).toEqual(new Set(['sch-001', 'sch-002', 'sch-003']));
    expect(rows.map(({ ОО: _school, ...rest }) => rest)).toEqual(students);
    await readCsv(join(dir, 'guardians.csv'), ['ОО', ...GUARDIAN_HEADER]);
    expect(region).toMatchObject({
      students: 500,
      guardians: counts.guardians,
      staff: counts.staff,
      files: 3,
    });
  });
});

describe('hub.yaml for the city', () => {
  it('passes the hub schema: region > municipality (with the calendar) > schools, one roster instance each', () => {
    const city = generateCity(SMALL);
    const raw = parseYaml(cityHubYaml(city)) as { database: { url: string } };
    expect(raw.database.url).toBe('${DATABASE_URL}');
    raw.database.url = 'sqlite:./bench.sqlite';
    const hub = hubSchema.parse(raw);
    const municipality = hub.organizations[0]?.children?.[0];
    expect(municipality?.calendar?.years?.[0]?.terms).toHaveLength(4);
    expect(municipality?.calendar?.bellPeriods?.[0]).toEqual({ period: 1, start: '08:30', end: '09:15' });
    expect(municipality?.children?.map((s) => s.code)).toEqual(['sch-001', 'sch-002', 'sch-003']);
    expect(hub.instances.map((i) => [i.name, i.organization, i.dropFolder])).toEqual([
      ['roster-sch-001', 'sch-001', './bench/.data/city/sch-001'],
      ['roster-sch-002', 'sch-002', './bench/.data/city/sch-002'],
      ['roster-sch-003', 'sch-003', './bench/.data/city/sch-003'],
    ]);
    const region = hubSchema.parse({
      ...(parseYaml(cityHubYaml(city, { layout: 'region' })) as object),
      database: { url: 'x' },
    });
    expect(region.instances).toEqual([
      expect.objectContaining({
        name: 'roster-city',
        organization: 'city',
        dropFolder: './bench/.data/city',
      }),
    ]);
  });
});
