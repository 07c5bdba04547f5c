/** The pure parts of loading a timetable: the run's calendar, changes on a lesson, moves in the summary. */
import { describe, expect, it } from 'vitest';
import { OrgTree } from '../../../src/config/organizations.ts';
import { hubSchema } from '../../../src/config/schema.ts';
import { summarizeMoves } from '../../../src/domain/timetable/lesson-diff.ts';
import type { LessonAttrs } from '../../../src/domain/timetable/lesson-row.ts';
import { applyChange, replanChanged } from '../../../src/domain/timetable/replaced.ts';
import { runCalendar } from '../../../src/domain/timetable/run-calendar.ts';
import { CALENDAR_2025, organizations } from '../../helpers/timetable.ts';

const school = (calendar: Record<string, unknown> = CALENDAR_2025) => new OrgTree(hubSchema.parse({ organizations: organizations(calendar) })).get('sch-001');

describe('the calendar of a timetable run', () => {
  it('is the academic year holding today, its term gaps and holidays are no school days', () => {
    const { yearCode, calendar } = runCalendar(school(), '2025-10-01', {});
    expect(yearCode).toBe('2025/2026');
    expect([calendar.from, calendar.to, calendar.weekAAnchor]).toEqual(['2025-09-01', '2026-05-31', '2025-09-01']);
    expect(calendar.holidays).toEqual(expect.arrayContaining([
      { from: '2025-10-25', to: '2025-11-04' },
      { from: '2025-12-29', to: '2026-01-11' },
      { from: '2026-03-21', to: '2026-03-29' },
      { from: '2026-02-23', to: '2026-02-23' },
    ]));
    expect(calendar.terms).toHaveLength(4);
    expect(calendar.bellPeriods?.[0]).toEqual({ period: 1, start: '08:30', end: '09:15' });
  });

  it('in summer is the year to come; --from/--to narrow it', () => {
    expect(runCalendar(school(), '2025-08-20', {}).calendar.from).toBe('2025-09-01');
    const narrowed = runCalendar(school(), '2025-08-20', { from: '2025-09-08', to: '2025-09-14' }).calendar;
    expect([narrowed.from, narrowed.to]).toEqual(['2025-09-08', '2025-09-14']);
  });

  it('fails clearly without a declared year (unless --from and --to say it), or with a range outside the year', () => {
    const bare = school({ bellPeriods: CALENDAR_2025.bellPeriods });
    expect(() => runCalendar(bare, '2025-10-01', {})).toThrow(expect.objectContaining({ code: 'calendar_missing' }));
    expect(runCalendar(bare, '2025-10-01', { from: '2025-10-06', to: '2025-10-10' }).yearCode).toBe('2025/2026');
    expect(() => runCalendar(school(), '2025-10-01', { from: '2026-07-01', to: '2026-07-10' })).toThrow(expect.objectContaining({ code: 'bad_date_range' }));
    expect(() => runCalendar(school(), '2025-10-01', { from: '1.9.2025' })).toThrow(expect.objectContaining({ code: 'bad_date_range' }));
  });
});

const planned: LessonAttrs = {
  organization_id: 1, date: '2025-09-10', period: 1, start_time: '08:30', end_time: '09:15', subject_id: 10, room_id: 20,
  audience_key: '5А', teacher_ids: '[7]', plan_key: '3.1|5А||РУС|ВолковаНН|all', status: 'scheduled', replaced: null, topic: null, plan_hash: 'h', change_note: null,
};

describe('a change on a dated lesson', () => {
  it('keeps what was planned in `replaced`; applying it twice is applying it once', () => {
    const sub = applyChange(planned, { kind: 'substitution', absentTeacherId: 7, newTeacherId: 8 });
    expect([sub.teacher_ids, JSON.parse(sub.replaced!)]).toEqual(['[8]', { teacher_ids: [7] }]);
    expect(applyChange(sub, { kind: 'substitution', absentTeacherId: 7, newTeacherId: 8 })).toEqual(sub);
  });

  it('a second change adds to the first, `replaced` keeps the first planned value', () => {
    const sub = applyChange(planned, { kind: 'substitution', absentTeacherId: 7, newTeacherId: 8 });
    const room = applyChange(sub, { kind: 'room_change', newRoomId: 21 });
    expect(JSON.parse(room.replaced!)).toEqual({ teacher_ids: [7], room_id: 20 });
    const cancelled = applyChange(room, { kind: 'cancellation', note: 'Болезнь' });
    expect([cancelled.status, cancelled.change_note, cancelled.teacher_ids]).toEqual(['cancelled', 'Болезнь', '[8]']);
  });

  it('a new plan under a change keeps the change and replaces what `replaced` holds', () => {
    const sub = applyChange(planned, { kind: 'substitution', absentTeacherId: 7, newTeacherId: 8 });
    const moved = replanChanged(sub, { ...planned, room_id: 22, teacher_ids: '[9]', plan_hash: 'h2' });
    expect([moved.teacher_ids, moved.room_id, JSON.parse(moved.replaced!), moved.plan_hash]).toEqual(['[8]', 22, { teacher_ids: [9] }, 'h2']);
  });
});

describe('what changed, in weekly lessons', () => {
  it('pairs a lesson gone from one slot with the same lesson in a new slot as a move', () => {
    expect(summarizeMoves(['1.3|5Б||МАТ|ИвановаАП|all', '3.2|5Б||ЛИТ|ВолковаНН|B'], ['4.2|5Б||МАТ|ИвановаАП|all', '5.6|6А||ХИМ|БеловГС|all'])).toEqual({ added: 1, moved: 1, removed: 1 });
  });
});
