/**
 * Core rows for the API tests, written the way loaders write them (upsertByNk in a
 * writeTransaction) so change versions, content hashes and soft deletes are real. Colleagues'
 * loaders (timetable, journal, turnstile) are not needed: each method is one small transaction.
 */
import type { Knex } from 'knex';
import { writeTransaction } from '../../src/db/change-versions.ts';
import { softDelete, upsertByNk } from '../../src/db/upsert.ts';
import { recordConsents, type ConsentStatus } from '../../src/domain/consent/store.ts';

export interface Ref {
  id: number;
  uid: string;
}

export interface LessonInput {
  org: string;
  date: string;
  period: number;
  start?: string;
  end?: string;
  subject?: Ref | null;
  room?: Ref | null;
  teachers?: Ref[];
  audience: { cls: Ref; group?: Ref }[];
  status?: string;
  replaced?: Record<string, unknown> | null;
  topic?: string | null;
}

const BELLS: Record<number, [string, string]> = { 1: ['08:30', '09:15'], 2: ['09:25', '10:10'], 3: ['10:30', '11:15'], 4: ['11:35', '12:20'], 5: ['12:30', '13:15'], 6: ['13:25', '14:10'] };

export class Seeder {
  private orgIds = new Map<string, number>();
  private n = 0;
  constructor(
    readonly db: Knex,
    private readonly now: () => Date,
  ) {}

  async orgId(code: string): Promise<number> {
    let id = this.orgIds.get(code);
    if (id === undefined) {
      const row = await this.db('organizations').where({ code }).first('id');
      if (!row) throw new Error(`no organization ${code}`);
      this.orgIds.set(code, (id = Number(row.id)));
    }
    return id;
  }

  /** Upserts one row by natural key in its own transaction; returns its ids. */
  async row(table: string, nk: string, attrs: Record<string, unknown>): Promise<Ref> {
    return writeTransaction(this.db, async (trx, versions) => {
      const res = await upsertByNk(trx, versions, table, [{ nk, attrs }], { source: 'test-seed', now: this.now() });
      return res.refs.get(nk)!;
    });
  }

  async softDelete(table: string, ref: Ref): Promise<void> {
    await writeTransaction(this.db, (trx, versions) => softDelete(trx, versions, table, [ref.id], this.now()));
  }

  person(p: { last: string; first: string; middle?: string; snils?: string; esiaId?: string }): Promise<Ref> {
    const nk = p.snils ? `snils:${p.snils}` : `test:${p.last}|${p.first}|${++this.n}`;
    return this.row('persons', nk, {
      last_name: p.last, first_name: p.first, middle_name: p.middle ?? null, birth_date: null, sex: null, snils: p.snils ?? null,
      snils_checked: p.snils ? true : null, esia_id: p.esiaId ?? null, name_key: `${p.last} ${p.first}`.toLowerCase(), merged_into: null,
    });
  }

  async schoolClass(org: string, name: string, grade: number): Promise<Ref> {
    return this.row('classes', `${org}|2026/2027|${name}`, { organization_id: await this.orgId(org), year_code: '2026/2027', name, grade, letter: name.slice(-1), homeroom_id: null });
  }

  group(cls: Ref, name: string): Promise<Ref> {
    return this.row('class_groups', `${cls.id}|${name}`, { class_id: cls.id, name });
  }

  async enroll(person: Ref, org: string, cls: Ref, o: { group?: Ref; from?: string; to?: string } = {}): Promise<Ref> {
    const from = o.from ?? '2026-09-01';
    return this.row('enrollments', `${person.id}|${org}|${cls.id}|${from}`, {
      person_id: person.id, organization_id: await this.orgId(org), class_id: cls.id, group_id: o.group?.id ?? null,
      from_date: from, to_date: o.to ?? null, reason_in: 'admission', reason_out: o.to ? 'transfer_out' : null,
    });
  }

  async staff(person: Ref, org: string): Promise<Ref> {
    return this.row('staff', `${await this.orgId(org)}|${person.id}`, { person_id: person.id, organization_id: await this.orgId(org), position: 'Учитель', short_code: null });
  }

  async subject(org: string, name: string): Promise<Ref> {
    return this.row('subjects', `subject|${org}|${name.toLowerCase()}`, { organization_id: await this.orgId(org), name, short_name: null });
  }

  async room(org: string, name: string): Promise<Ref> {
    return this.row('rooms', `room|${org}|${name}`, { organization_id: await this.orgId(org), name });
  }

  /** A dated lesson and its audience rows. */
  async lesson(l: LessonInput): Promise<Ref> {
    const orgId = await this.orgId(l.org);
    const [start, end] = BELLS[l.period] ?? ['15:00', '15:45'];
    const audienceKey = l.audience.map((a) => `${a.cls.id}${a.group ? `:${a.group.id}` : ''}`).sort().join('+');
    const nk = `lesson|${l.org}|${l.date}|${l.period}|${audienceKey}`;
    const ref = await this.row('lessons', nk, {
      organization_id: orgId, date: l.date, period: l.period, start_time: l.start ?? start, end_time: l.end ?? end,
      subject_id: l.subject?.id ?? null, room_id: l.room?.id ?? null, audience_key: audienceKey,
      teacher_ids: JSON.stringify((l.teachers ?? []).map((t) => t.id)), status: l.status ?? 'scheduled',
      replaced: l.replaced ? JSON.stringify(l.replaced) : null, topic: l.topic ?? null,
    });
    for (const a of l.audience) {
      await this.row('lesson_audience', `${ref.id}|${a.cls.id}|${a.group?.id ?? ''}`, { lesson_id: ref.id, class_id: a.cls.id, group_id: a.group?.id ?? null });
    }
    return ref;
  }

  async mark(m: { student: Ref; org: string; date: string; lesson?: Ref | null; subject: Ref; value: string; weight?: number; workType?: string | null; key?: string }): Promise<Ref> {
    const numeric = /^\d+$/.test(m.value) ? Number(m.value) : null;
    return this.row('marks', `mark|${m.student.id}|${m.lesson?.id ?? m.date}|${m.key ?? m.workType ?? ''}`, {
      student_id: m.student.id, subject_id: m.subject.id, lesson_id: m.lesson?.id ?? null, organization_id: await this.orgId(m.org), date: m.date,
      value: m.value, numeric_value: numeric, weight: m.weight ?? 1, work_type: m.workType ?? null, score: null, max_score: null,
    });
  }

  async attendance(a: { student: Ref; org: string; date: string; lesson?: Ref | null; status: string; precedence?: number; minutesLate?: number | null; source?: string }): Promise<Ref> {
    const precedence = a.precedence ?? 20;
    return this.row('attendance', `att|${a.student.id}|${a.date}|${a.lesson?.id ?? 'day'}|${precedence}`, {
      student_id: a.student.id, date: a.date, lesson_id: a.lesson?.id ?? null, organization_id: await this.orgId(a.org),
      status: a.status, minutes_late: a.minutesLate ?? null, precedence,
    });
  }

  async homework(h: { org: string; lesson: Ref; text: string; dueDate?: string | null }): Promise<Ref> {
    return this.row('homework', `hw|${h.lesson.id}|${h.text.slice(0, 40)}`, { lesson_id: h.lesson.id, organization_id: await this.orgId(h.org), text: h.text, due_date: h.dueDate ?? null });
  }

  periodMark(p: { student: Ref; subject: Ref; term: string; value: string; average?: number | null }): Promise<Ref> {
    return this.row('period_marks', `pm|${p.student.id}|${p.subject.id}|${p.term}`, { student_id: p.student.id, subject_id: p.subject.id, term_code: p.term, value: p.value, average: p.average ?? null, proposed: false });
  }

  async consent(person: Ref, purpose: string, status: ConsentStatus, decidedOn = '2026-09-01'): Promise<void> {
    await writeTransaction(this.db, (trx, versions) =>
      recordConsents(trx, versions, [{ personId: person.id, purpose, status, decidedOn, origin: 'test' }], { recordedBy: 'test', now: this.now(), dryRun: false }));
  }
}
