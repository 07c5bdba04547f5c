import { describe, expect, it } from 'vitest';
import { schoolDays } from '../../bench/city/calendar.ts';
import { csvLine } from '../../bench/city/csv-sink.ts';
import { curriculum } from '../../bench/city/curriculum.ts';
import { weekday } from '../../bench/city/dates.ts';
import { generateCity } from '../../bench/city/generate.ts';
import { patronymic, surnameForm } from '../../bench/city/names.ts';

const city = generateCity({ seed: 3, schools: 12, students: 9_000, sixDayShare: 0.25 });

describe('the weekly timetable', () => {
  it('never puts a class, a subgroup, a teacher or a room in two places at once', () => {
    const clashes: string[] = [];
    for (const school of city.schools) {
      const taken = new Set<string>();
      for (const e of school.timetable()) {
        const when = `${e.weekday}/${e.period}`;
        const keys = [
          `t:${e.teacher}@${when}`,
          `r:${e.room}@${when}`,
          `c:${e.className}:${e.group ?? '*'}@${when}`,
        ];
        // A whole-class lesson and a subgroup lesson of the same class never overlap either.
        const other = `c:${e.className}:${e.group ? '*' : '1'}@${when}`;
        for (const key of [...keys, other]) if (taken.has(key)) clashes.push(`${school.code} ${key}`);
        for (const key of keys) taken.add(key);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('gives each class its weekly hours, 4–8 lessons a day, Saturdays only in six-day schools', () => {
    const problems: string[] = [];
    for (const school of city.schools) {
      const staff = new Set(school.staff.map((m) => m.shortName));
      const perDay = new Map<string, Set<number>>();
      const weekly = new Map<string, number>();
      for (const e of school.timetable()) {
        if (!staff.has(e.teacher)) problems.push(`${school.code}: unknown teacher ${e.teacher}`);
        if (e.weekday > school.workDays) problems.push(`${school.code}: lesson on day ${e.weekday}`);
        const key = `${e.className}/${e.weekday}`;
        const periods = perDay.get(key) ?? new Set<number>();
        if (!periods.has(e.period)) weekly.set(e.className, (weekly.get(e.className) ?? 0) + 1);
        perDay.set(key, periods.add(e.period));
      }
      const fewest = school.workDays === 6 ? 3 : 4;
      for (const [key, periods] of perDay) {
        if (periods.size < fewest || periods.size > 8)
          problems.push(`${school.code} ${key}: ${periods.size} lessons`);
      }
      for (const c of school.classes) {
        const hours = curriculum(c.grade).reduce((n, s) => n + s.hours, 0);
        if (weekly.get(c.name) !== hours)
          problems.push(`${school.code} ${c.name}: ${weekly.get(c.name)} of ${hours} h`);
      }
    }
    expect(problems).toEqual([]);
    expect(city.schools.some((s) => s.workDays === 6)).toBe(true);
  });

  it('is the same on every call and for the same seed', () => {
    const school = city.schools[0];
    expect(school?.timetable()).toEqual(school?.timetable());
    expect(
      generateCity({ seed: 3, schools: 12, students: 9_000, sixDayShare: 0.25 }).schools[0]?.timetable(),
    ).toEqual(school?.timetable());
  });
});

describe('the calendar', () => {
  it('rings 45-minute lessons from 08:30 with 10- and 20-minute breaks', () => {
    expect(city.calendar.bellPeriods.slice(0, 4)).toEqual([
      { period: 1, start: '08:30', end: '09:15' },
      { period: 2, start: '09:25', end: '10:10' },
      { period: 3, start: '10:30', end: '11:15' },
      { period: 4, start: '11:35', end: '12:20' },
    ]);
  });

  it('runs a ten-week benchmark term whose school days skip weekends and the autumn holidays', () => {
    expect(city.calendar.term).toEqual({ from: '2026-09-01', to: '2026-11-09' });
    expect(city.calendar.weekA).toBe('2026-08-31');
    expect(weekday(city.calendar.weekA)).toBe(1);
    const days = schoolDays(city.calendar);
    expect(days).not.toContain('2026-10-27');
    expect(days).not.toContain('2026-11-04');
    expect(days.every((d) => weekday(d) <= 5)).toBe(true);
    expect(days).toHaveLength(42);
    expect(schoolDays(city.calendar, 6).length).toBeGreaterThan(days.length);
  });
});

describe('the city at benchmark size', () => {
  it('spreads 70,000 students over 90 schools of 300..1500 with about one adult per twelve', () => {
    const big = generateCity({ seed: 1 });
    const sizes = big.schools.map((s) => s.studentCount);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(70_000);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(300);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1500);
    expect(big.totals.staff / 70_000).toBeGreaterThan(1 / 14);
    expect(big.totals.staff / 70_000).toBeLessThan(1 / 10);
    expect(big.schools[89]?.code).toBe('sch-090');
  });
});

describe('names and CSV text', () => {
  it('derives patronymics and gendered surnames', () => {
    expect(['Иван', 'Сергей', 'Игорь', 'Юрий', 'Илья', 'Лев'].map((n) => patronymic(n, 'F'))).toEqual([
      'Ивановна',
      'Сергеевна',
      'Игоревна',
      'Юрьевна',
      'Ильинична',
      'Львовна',
    ]);
    expect(
      ['Королёв', 'Успенский', 'Толстой', 'Шевчук', 'Соколов-Нечаев'].map((n) => surnameForm(n, 'F')),
    ).toEqual(['Королёва', 'Успенская', 'Толстая', 'Шевчук', 'Соколова-Нечаева']);
  });

  it('uses ё and hyphenated surnames somewhere in the city', () => {
    const names = [...(city.schools[0]?.students() ?? [])].flatMap((s) => [
      s.lastName,
      ...s.guardians.map((g) => g.lastName),
    ]);
    expect(names.some((n) => n.includes('ё'))).toBe(true);
    expect(city.schools.flatMap((s) => s.staff).some((m) => m.lastName.includes('-'))).toBe(true);
  });

  it('quotes only fields that need it', () => {
    expect(csvLine(['a', 'b;c', 'd"e', ' f', ''])).toBe('a;"b;c";"d""e";" f";\r\n');
  });
});
