/** Shared setup of the turnstile tests: a school with its roster, card register and one day's lessons. */
import type { FastifyInstance } from 'fastify';
import { signBatch } from '../../connectors/turnstile/signature.ts';
import { writeTransaction } from '../../src/db/change-versions.ts';
import { addDevice } from '../../src/db/ingest-devices.ts';
import { organizationId } from '../../src/db/organizations-store.ts';
import { upsertByNk } from '../../src/db/upsert.ts';
import { insertDayLessons, type ClassDay } from '../../src/demo/day-lessons.ts';
import { accessSettingsOf } from '../../src/domain/access/settings.ts';
import { deriveSchoolDay, type DeriveSummary } from '../../src/domain/attendance/derive.ts';
import { runNow, type RunSummary } from '../../src/pipeline/execute.ts';
import type { Runtime } from '../../src/runtime.ts';
import { fixture, makeHub, rosterInstance, type HubOptions, type TestHub } from './hub.ts';

/** The test day: a Thursday of the first term. Samara is UTC+4 all year. */
export const DAY = '2026-10-01';
export const local = (date: string, time: string): Date => new Date(`${date}T${time}${time.length === 5 ? ':00' : ''}+04:00`);

export interface Clock {
  now(): Date;
  set(d: Date): void;
}

export function clockAt(d: Date): Clock {
  let t = d.getTime();
  return { now: () => new Date(t), set: (x) => void (t = x.getTime()) };
}

/** The day's timetable of school1's classes (bell periods of test/helpers/hub.ts). 1В has none. */
export const TIMETABLE: ClassDay[] = [
  { className: '5А', periods: [1, 2, 3, 4, 5] },
  { className: '5Б', periods: [1, 2, 3, 4, 5] },
  { className: '6Б', periods: [2, 3, 4, 5, 6] },
  // English in subgroups: group 1 has period 1, the whole class the rest (1004 is in group 2).
  { className: '7А', group: 'англ.; группа 1', periods: [1] },
  { className: '7А', periods: [2, 3, 4, 5] },
  { className: '8А', periods: [1, 2, 3, 4, 5] },
  { className: '9В', periods: [1, 2, 3, 4, 5, 6] },
  { className: '10А', periods: [1, 2, 3, 4, 5, 6] },
  { className: '3А', periods: [1, 2, 3, 4] },
  { className: '2Б', periods: [1, 2, 3, 4] },
];

const FAST = { debounceSeconds: 0, deadlineRechecks: false };

export const instances = {
  roster: rosterInstance('roster-sch-001', 'sch-001', fixture('roster', 'school1'), { config: { files: { students: 'students.utf8bom.csv', guardians: 'guardians.csv', staff: 'staff.csv', consents: 'consents.csv' } } }),
  /** Pushes from the school's controllers, and its card register. */
  gate: { name: 'gate-sch-001', connector: 'turnstile', organization: 'sch-001', mapping: 'v1', maxRejectRatio: 1, config: { attendance: FAST } },
  /** The PERCo server's exported logs. */
  perco: { name: 'perco-sch-001', connector: 'turnstile', organization: 'sch-001', mapping: 'perco', streams: ['events'], maxRejectRatio: 1, config: { attendance: FAST } },
};

export async function turnstileHub(clock: Clock, o: HubOptions = {}): Promise<TestHub> {
  const h = await makeHub({ now: clock.now, instances: [instances.roster, instances.gate, instances.perco, ...(o.instances ?? [])], ...(o.dialect ? { dialect: o.dialect } : {}), ...(o.extra ? { extra: o.extra } : {}) });
  await ok(runNow(h.rt, { instance: 'roster-sch-001' }));
  await ok(runNow(h.rt, { instance: 'gate-sch-001', files: [fixture('turnstile', 'school1', 'cards.csv')], streams: ['cards'] }));
  return h;
}

export async function ok(p: Promise<RunSummary>): Promise<RunSummary> {
  const s = await p;
  if (s.status !== 'succeeded') throw new Error(`run failed: ${s.error?.code} ${s.error?.message}`);
  return s;
}

export const lessonsFor = (rt: Runtime, date: string, plan: ClassDay[] = TIMETABLE) => insertDayLessons(rt, 'sch-001', date, plan);

export function derive(rt: Runtime, date: string, instance = 'gate-sch-001'): Promise<DeriveSummary> {
  return deriveSchoolDay(rt.db, rt.orgs, { organization: 'sch-001', date, settings: accessSettingsOf(rt.instance(instance).config).attendance, now: rt.now(), source: instance });
}

/** Roster code -> core person id. */
export async function personIds(rt: Runtime): Promise<Map<string, number>> {
  const rows = await rt.db('external_ids').where({ source: 'roster-sch-001', entity: 'person' }).select('external_id', 'core_id');
  return new Map(rows.map((r: { external_id: string; core_id: number }) => [r.external_id, Number(r.core_id)]));
}

export interface DayRow {
  status: string;
  minutesLate: number | null;
  precedence: number;
}

/** The live day-level attendance rows of a day by roster code, highest precedence first. */
export async function attendanceByCode(rt: Runtime, date: string): Promise<Map<string, DayRow[]>> {
  const codes = new Map([...(await personIds(rt))].map(([code, id]) => [id, code]));
  const rows = await rt.db('attendance').where({ date }).whereNull('lesson_id').whereNull('deleted_at').orderBy('precedence', 'desc').select('student_id', 'status', 'minutes_late', 'precedence');
  const out = new Map<string, DayRow[]>();
  for (const r of rows) {
    const code = codes.get(Number(r.student_id)) ?? `#${r.student_id}`;
    out.set(code, [...(out.get(code) ?? []), { status: r.status, minutesLate: r.minutes_late == null ? null : Number(r.minutes_late), precedence: Number(r.precedence) }]);
  }
  return out;
}

/** code -> status (or status+minutes) of the derived row: the shape hand-computed expectations use. */
export async function derivedStatuses(rt: Runtime, date: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [code, rows] of await attendanceByCode(rt, date)) {
    const d = rows.find((r) => r.precedence === 10);
    if (d) out[code] = d.minutesLate === null ? d.status : `${d.status} ${d.minutesLate}`;
  }
  return out;
}

export async function count(rt: Runtime, table: string, where: Record<string, unknown> = {}): Promise<number> {
  return Number((await rt.db(table).where(where).count({ n: '*' }).first())?.n ?? 0);
}

export async function maxVersion(rt: Runtime, table: string): Promise<number> {
  return Number((await rt.db(table).max({ v: 'change_version' }).first())?.v ?? 0);
}

/** Registers a device on the instance and returns a signer for it. */
export async function device(rt: Runtime, instance: string, id: string): Promise<{ id: string; secret: string }> {
  return { id, secret: await addDevice(rt.db, instance, id, undefined, rt.now()) };
}

export interface Pass {
  time: string;
  direction: 'in' | 'out';
  card?: string;
  person?: string;
  device?: string;
}

export function push(app: FastifyInstance, instance: string, dev: { id: string; secret: string }, body: unknown, opts: { at?: Date; signature?: string; raw?: string; url?: string } = {}) {
  const raw = opts.raw ?? JSON.stringify(body);
  const ts = Math.floor((opts.at ?? new Date()).getTime() / 1000);
  return app.inject({
    method: 'POST', url: opts.url ?? `/ingest/${instance}`, payload: raw,
    headers: { 'content-type': 'application/json', 'x-device': dev.id, 'x-timestamp': String(ts), 'x-signature': opts.signature ?? signBatch(dev.secret, ts, raw) },
  });
}

/** A teacher's day-level journal entry, as the journal capability writes it (precedence 100). */
export async function journalEntry(rt: Runtime, code: string, date: string, status: string): Promise<void> {
  const studentId = (await personIds(rt)).get(code)!;
  await writeTransaction(rt.db, async (trx, versions) => {
    const orgId = await organizationId(trx, 'sch-001');
    await upsertByNk(trx, versions, 'attendance', [{ nk: `journal|sch-001|attendance|${code}-${date}`, attrs: { student_id: studentId, date, lesson_id: null, organization_id: orgId, status, minutes_late: null, precedence: 100 } }], { source: 'journal-sch-001', now: rt.now() });
  });
}
