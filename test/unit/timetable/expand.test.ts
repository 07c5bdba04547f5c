import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../../src/core/errors.ts';
import { expandLessons, type TimetableCalendar } from '../../../src/domain/timetable/expand.ts';
import type { WeeklyLesson, WeeklyTimetable } from '../../../src/domain/timetable/model.ts';

function lesson(over: Partial<WeeklyLesson> & Pick<WeeklyLesson, 'key' | 'weekday' | 'period'>): WeeklyLesson {
  return {
    classes: ['5А'],
    groups: [],
    subject: { name: 'Математика' },
    teachers: [{ short: 'ИвановаАП' }],
    weeks: 'all',
    position: 'test',
    ...over,
  };
}

const periods = [
  { period: 1, start: '08:30', end: '09:15' },
  { period: 2, start: '09:25', end: '10:10' },
];

const timetable = (...lessons: WeeklyLesson[]): WeeklyTimetable => ({ periods, lessons, rejects: [] });

/** September 2025: Monday the 1st is the Monday of a week A. */
const september: TimetableCalendar = { from: '2025-09-01', to: '2025-09-30', holidays: [], weekAAnchor: '2025-09-01' };

const dates = (tt: WeeklyTimetable, cal: TimetableCalendar, key: string): string[] =>
  expandLessons(tt, cal)
    .filter((d) => d.sourceKey === key)
    .map((d) => d.date);

describe('expandLessons: weekly lessons on calendar dates', () => {
  it('puts each lesson on its ISO weekday with the period times', () => {
    const tt = timetable(lesson({ key: 'wed', weekday: 3, period: 2, room: '202' }));
    expect(expandLessons(tt, { ...september, to: '2025-09-07' })).toEqual([
      {
        date: '2025-09-03',
        period: 2,
        start: '09:25',
        end: '10:10',
        classes: ['5А'],
        groups: [],
        subject: { name: 'Математика' },
        teachers: [{ short: 'ИвановаАП' }],
        room: '202',
        sourceKey: 'wed',
      },
    ]);
  });

  it('skips holidays, both ends included', () => {
    const tt = timetable(lesson({ key: 'mon', weekday: 1, period: 1 }));
    const cal = { ...september, holidays: [{ from: '2025-09-08', to: '2025-09-15' }] };
    expect(dates(tt, cal, 'mon')).toEqual(['2025-09-01', '2025-09-22', '2025-09-29']);
  });

  it('alternates A and B weeks from the anchor week across a month', () => {
    const tt = timetable(
      lesson({ key: 'a', weekday: 3, period: 2, weeks: 'A', subject: { name: 'История' } }),
      lesson({ key: 'b', weekday: 3, period: 2, weeks: 'B', subject: { name: 'Литература' } }),
    );
    expect(expandLessons(tt, september).map((d) => `${d.date} ${d.subject.name}`)).toEqual([
      '2025-09-03 История',
      '2025-09-10 Литература',
      '2025-09-17 История',
      '2025-09-24 Литература',
    ]);
  });

  it('counts weeks by the calendar, so a holiday week does not shift the parity', () => {
    const tt = timetable(lesson({ key: 'a', weekday: 3, period: 2, weeks: 'A' }));
    const cal = { ...september, holidays: [{ from: '2025-09-15', to: '2025-09-21' }] };
    expect(dates(tt, cal, 'a')).toEqual(['2025-09-03']);
  });

  it('accepts any day of the anchor week and works before the anchor too', () => {
    const tt = timetable(lesson({ key: 'b', weekday: 1, period: 1, weeks: 'B' }));
    const cal = { from: '2025-08-18', to: '2025-09-14', holidays: [], weekAAnchor: '2025-09-04' };
    expect(dates(tt, cal, 'b')).toEqual(['2025-08-25', '2025-09-08']);
  });

  it('reads longer cycles from a week mask: "100" is the first of three weeks', () => {
    const tt = timetable(lesson({ key: 'c', weekday: 5, period: 1, weeks: { mask: '100' } }));
    expect(dates(tt, september, 'c')).toEqual(['2025-09-05', '2025-09-26']);
  });

  it('applies term masks against the calendar terms', () => {
    const tt = timetable(
      lesson({ key: 't1', weekday: 2, period: 1, terms: '10' }),
      lesson({ key: 't2', weekday: 2, period: 2, terms: '01' }),
    );
    const cal = {
      ...september,
      terms: [
        { from: '2025-09-01', to: '2025-09-12' },
        { from: '2025-09-15', to: '2025-09-30' },
      ],
    };
    expect(dates(tt, cal, 't1')).toEqual(['2025-09-02', '2025-09-09']);
    expect(dates(tt, cal, 't2')).toEqual(['2025-09-16', '2025-09-23', '2025-09-30']);
  });

  it('respects a lesson’s valid-from and valid-to dates', () => {
    const tt = timetable(lesson({ key: 'v', weekday: 4, period: 1, validFrom: '2025-09-10', validTo: '2025-09-25' }));
    expect(dates(tt, september, 'v')).toEqual(['2025-09-11', '2025-09-18', '2025-09-25']);
  });

  it('takes the organization’s bells over the file’s periods, period by period', () => {
    const tt = timetable(lesson({ key: 'p1', weekday: 1, period: 1 }), lesson({ key: 'p2', weekday: 1, period: 2 }));
    const cal = { ...september, to: '2025-09-01', bellPeriods: [{ period: 1, start: '08:00', end: '08:40' }] };
    expect(expandLessons(tt, cal).map((d) => `${d.period} ${d.start}-${d.end}`)).toEqual([
      '1 08:00-08:40',
      '2 09:25-10:10',
    ]);
  });

  it('orders by date, period, classes and groups, whatever the input order', () => {
    const tt = timetable(
      lesson({ key: 'z', weekday: 1, period: 2, classes: ['5Б'] }),
      lesson({ key: 'y', weekday: 1, period: 1, classes: ['6А'] }),
      lesson({ key: 'x', weekday: 1, period: 1, classes: ['5А'], groups: [{ class: '5А', group: '2 группа' }] }),
      lesson({ key: 'w', weekday: 1, period: 1, classes: ['5А'], groups: [{ class: '5А', group: '1 группа' }] }),
    );
    const keys = expandLessons(tt, { ...september, to: '2025-09-01' }).map((d) => d.sourceKey);
    expect(keys).toEqual(['w', 'x', 'y', 'z']);
  });
});

describe('expandLessons: a calendar that cannot place the lessons fails loudly', () => {
  const code = (run: () => unknown): string => {
    try {
      run();
    } catch (err) {
      if (err instanceof PermanentError) return err.code;
    }
    return 'no PermanentError';
  };

  it('A/B lessons need the week-A anchor', () => {
    const tt = timetable(lesson({ key: 'a', weekday: 1, period: 1, weeks: 'A' }));
    const { weekAAnchor: _, ...noAnchor } = september;
    expect(code(() => expandLessons(tt, noAnchor))).toBe('week_a_anchor_missing');
  });

  it('a period without times anywhere is named', () => {
    const tt = { ...timetable(lesson({ key: 'p7', weekday: 1, period: 7 })) };
    expect(code(() => expandLessons(tt, september))).toBe('bell_period_unknown');
    expect(() => expandLessons(tt, september)).toThrow(/period\(s\) 7/);
  });

  it('term masks need the terms', () => {
    const tt = timetable(lesson({ key: 't', weekday: 1, period: 1, terms: '10' }));
    expect(code(() => expandLessons(tt, september))).toBe('terms_calendar_missing');
  });
});
