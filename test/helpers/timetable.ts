/**
 * Timetable integration tests: a hub whose calendar is the 2025/26 school year the timetable
 * fixtures describe (week A starts on Monday 1 September 2025), a roster with the fixtures'
 * classes and teachers, and dated lessons read back from the core tables as one line each.
 */
import type { Knex } from 'knex';
import { runNow, type RunRequest, type RunSummary } from '../../src/pipeline/execute.ts';
import type { Dialect } from './env.ts';
import { fixture, makeHub, rosterInstance, type TestHub } from './hub.ts';

export const CALENDAR_2025 = {
  years: [{
    code: '2025/2026', from: '2025-09-01', to: '2026-05-31',
    terms: [
      { code: '1', name: '1 четверть', from: '2025-09-01', to: '2025-10-24' },
      { code: '2', name: '2 четверть', from: '2025-11-05', to: '2025-12-28' },
      { code: '3', name: '3 четверть', from: '2026-01-12', to: '2026-03-20' },
      { code: '4', name: '4 четверть', from: '2026-03-30', to: '2026-05-31' },
    ],
    holidays: [{ from: '2025-11-04', to: '2025-11-04', name: 'День народного единства' }, { from: '2026-02-23', to: '2026-02-23', name: 'День защитника Отечества' }],
  }],
  bellPeriods: [
    { period: 1, start: '08:30', end: '09:15' }, { period: 2, start: '09:25', end: '10:10' },
    { period: 3, start: '10:30', end: '11:15' }, { period: 4, start: '11:35', end: '12:20' },
    { period: 5, start: '12:30', end: '13:15' }, { period: 6, start: '13:25', end: '14:10' },
  ],
  weekA: '2025-09-01',
};

export function organizations(calendar: Record<string, unknown> = CALENDAR_2025) {
  return [{
    code: 'reg-63', kind: 'region', name: 'Самарская область',
    children: [{
      code: 'obr', kind: 'municipality', name: 'г. Образцово', calendar,
      children: [{ code: 'sch-001', kind: 'school', name: 'МБОУ СОШ № 1' }, { code: 'sch-002', kind: 'school', name: 'МБОУ СОШ № 2' }],
    }],
  }];
}

/** A mutable clock: tests move "today" to make lessons past. */
export function clock(iso: string) {
  let now = new Date(iso);
  return { now: () => now, set: (next: string) => { now = new Date(next); } };
}

export const ROSTER = fixture('roster-timetable');
const rosterConfig = { config: { files: { students: 'students.csv', staff: 'staff.csv', guardians: 'none', consents: 'none' } } };

export function timetableInstance(name: string, connector: string, org: string, files: Record<string, unknown> = {}) {
  return { name, connector, organization: org, config: {}, ...files };
}

export async function timetableHub(o: { dialect?: Dialect; now: () => Date; instances: Record<string, unknown>[]; calendar?: Record<string, unknown>; limits?: Record<string, unknown> }): Promise<TestHub> {
  const h = await makeHub({
    ...(o.dialect ? { dialect: o.dialect } : {}),
    now: o.now,
    instances: [rosterInstance('roster-1', 'sch-001', ROSTER, rosterConfig), rosterInstance('roster-2', 'sch-002', ROSTER, rosterConfig), ...o.instances],
    extra: { organizations: organizations(o.calendar), ...(o.limits ? { limits: o.limits } : {}) },
  });
  for (const roster of ['roster-1', 'roster-2']) {
    const s = await runNow(h.rt, { instance: roster });
    if (s.status !== 'succeeded' || s.totals.rejected > 0) throw new Error(`roster ${roster}: ${JSON.stringify(s)}`);
  }
  return h;
}

export async function run(h: TestHub, req: RunRequest): Promise<RunSummary> {
  return runNow(h.rt, req);
}

/** "2025-09-02 2 09:25-10:10 | 5А | 5А:1 группа | Английский язык | ПетроваМВ | 301", as the connector tests write them. */
export async function datedLines(db: Knex, org: string, range: { from: string; to: string }, opts: { withDeleted?: boolean; status?: boolean } = {}): Promise<string[]> {
  const q = db('lessons as l').join('organizations as o', 'o.id', 'l.organization_id').leftJoin('subjects as s', 's.id', 'l.subject_id').leftJoin('rooms as r', 'r.id', 'l.room_id')
    .where('o.code', org).whereBetween('l.date', [range.from, range.to])
    .orderBy(['l.date', 'l.period', 'l.audience_key'])
    .select('l.id', 'l.date', 'l.period', 'l.start_time', 'l.end_time', 'l.audience_key', 'l.teacher_ids', 'l.status', 'l.replaced', 'l.deleted_at', 's.name as subject', 'r.name as room', 'l.organization_id');
  if (!opts.withDeleted) q.whereNull('l.deleted_at');
  const rows = await q;
  const audience = await db('lesson_audience as a').join('classes as c', 'c.id', 'a.class_id').leftJoin('class_groups as g', 'g.id', 'a.group_id')
    .whereIn('a.lesson_id', rows.map((r: { id: number }) => r.id)).select('a.lesson_id', 'c.name as class', 'g.name as grp');
  const staff = await db('staff as st').join('persons as p', 'p.id', 'st.person_id').select('st.person_id', 'st.organization_id', 'st.short_code', 'p.last_name', 'p.first_name', 'p.middle_name');
  const shortOf = (personId: number, orgId: number): string => {
    const s = staff.find((x: { person_id: number; organization_id: number }) => Number(x.person_id) === personId && Number(x.organization_id) === orgId);
    return s?.short_code ?? (s ? `${s.last_name}${s.first_name[0]}${s.middle_name?.[0] ?? ''}` : `#${personId}`);
  };
  return rows.map((r: Record<string, string | number | null>) => {
    const members = audience.filter((a: { lesson_id: number }) => Number(a.lesson_id) === Number(r.id));
    const classes = [...new Set(members.map((m: { class: string }) => m.class))].sort().join('+');
    const groups = members.filter((m: { grp: string | null }) => m.grp).map((m: { class: string; grp: string }) => `${m.class}:${m.grp}`).sort().join('+');
    const teachers = (JSON.parse(String(r.teacher_ids)) as number[]).map((id) => shortOf(id, Number(r.organization_id))).sort().join('+');
    const base = `${r.date} ${r.period} ${r.start_time}-${r.end_time} | ${classes} | ${groups} | ${r.subject ?? ''} | ${teachers} | ${r.room ?? ''}`;
    const extra = [opts.status && r.status !== 'scheduled' ? `[${r.status}]` : '', opts.withDeleted && r.deleted_at ? '[deleted]' : ''].filter(Boolean).join(' ');
    return extra ? `${base} ${extra}` : base;
  });
}

export const lessonsWritten = (s: RunSummary): number => {
  const l = s.streams.lessons;
  return l ? l.created + l.updated + l.deleted : 0;
};
