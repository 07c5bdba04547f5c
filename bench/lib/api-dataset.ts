/**
 * The portal benchmark's dataset: the shared city (bench/city) written straight into the core
 * tables with LOAD DATA LOCAL INFILE from in-memory TSV chunks (no loader, no files): students
 * with their classes, subgroups and consents, staff, a term of dated lessons from each school's
 * weekly timetable, marks (about 1.2 a pupil a day), exception-only attendance and homework.
 * Ids and change versions are assigned here, so rows reference each other without reading back.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Knex } from 'knex';
import { schoolDays } from '../city/calendar.ts';
import type { City, TimetableEntry } from '../city/model.ts';
import { forkRng, type Rng } from '../city/rng.ts';
import { uuidv7 } from '../../src/db/ids.ts';

const STAMP = '2026-08-31T00:00:00.000Z';
const WORK = [['Ответ на уроке', 1, 0.6], ['Самостоятельная работа', 2, 0.25], ['Контрольная работа', 5, 0.15]] as const;

function cell(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s = typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
}

/** One core table being filled: rows are buffered as TSV and sent in chunks of LOAD DATA. */
class Table {
  private lines: string[] = [];
  nextId = 1;
  rows = 0;
  constructor(private readonly db: Knex, readonly name: string, private readonly columns: string[], private readonly loader: Loader) {}

  /** Adds a core row (meta columns filled here); returns its id. */
  async add(nk: string, values: unknown[]): Promise<number> {
    const id = this.nextId++;
    const meta = [id, uuidv7(), nk, createHash('md5').update(nk).digest('hex'), this.loader.version++, STAMP, STAMP, 'bench'];
    this.lines.push([...meta, ...values].map(cell).join('\t'));
    this.rows++;
    if (this.lines.length >= 50_000) await this.flush();
    return id;
  }

  async flush(): Promise<void> {
    if (this.lines.length === 0) return;
    const body = `${this.lines.join('\n')}\n`;
    this.lines = [];
    const cols = ['id', 'uid', 'nk', 'content_hash', 'change_version', 'created_at', 'updated_at', 'source', ...this.columns];
    await this.db.raw(`LOAD DATA LOCAL INFILE 'bench' INTO TABLE ?? CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' (${cols.map(() => '??').join(',')})`, [this.name, ...cols])
      .options({ infileStreamFactory: () => Readable.from([Buffer.from(body, "utf8")]) });
  }
}

interface Loader {
  version: number;
}

export interface DatasetCounts {
  students: number;
  staff: number;
  lessons: number;
  marks: number;
  attendance: number;
  homework: number;
}

export async function loadCity(db: Knex, city: City, orgIds: Map<string, number>, log: (line: string) => void): Promise<DatasetCounts> {
  const seqRow = await db('cv_sequence').where({ id: 1 }).first('value');
  const loader: Loader = { version: Number(seqRow?.value ?? 0) + 1 };
  const t = (name: string, columns: string[]) => new Table(db, name, columns, loader);
  const persons = t('persons', ['last_name', 'first_name', 'middle_name', 'birth_date', 'sex', 'snils', 'snils_checked', 'esia_id', 'name_key']);
  const consents = t('person_consents', ['person_id', 'purpose', 'status', 'decided_on', 'origin']);
  const staff = t('staff', ['person_id', 'organization_id', 'position', 'short_code']);
  const classes = t('classes', ['organization_id', 'year_code', 'name', 'grade', 'letter', 'homeroom_id']);
  const groups = t('class_groups', ['class_id', 'name']);
  const enrollments = t('enrollments', ['person_id', 'organization_id', 'class_id', 'group_id', 'from_date', 'to_date', 'reason_in', 'reason_out']);
  const subjects = t('subjects', ['organization_id', 'name', 'short_name']);
  const rooms = t('rooms', ['organization_id', 'name']);
  const lessons = t('lessons', ['organization_id', 'date', 'period', 'start_time', 'end_time', 'subject_id', 'room_id', 'audience_key', 'teacher_ids', 'status', 'replaced', 'topic']);
  const audience = t('lesson_audience', ['lesson_id', 'class_id', 'group_id']);
  const marks = t('marks', ['student_id', 'subject_id', 'lesson_id', 'organization_id', 'date', 'value', 'numeric_value', 'weight', 'work_type']);
  const attendance = t('attendance', ['student_id', 'date', 'lesson_id', 'organization_id', 'status', 'minutes_late', 'precedence']);
  const homework = t('homework', ['lesson_id', 'organization_id', 'text', 'due_date']);
  const all = [persons, consents, staff, classes, groups, enrollments, subjects, rooms, lessons, audience, marks, attendance, homework];
  const bells = new Map(city.calendar.bellPeriods.map((b) => [b.period, b]));
  const year = city.calendar.year.code;

  for (const [n, school] of city.schools.entries()) {
    const orgId = orgIds.get(school.code);
    if (orgId === undefined) throw new Error(`organization ${school.code} is not in the database`);
    const rng = forkRng(city.seed, 'bench-api', school.code);
    const teacherIds = new Map<string, number>();
    for (const s of school.staff) {
      const pid = await persons.add(`bench|staff|${s.code}`, [s.lastName, s.firstName, s.middleName, s.birthDate, s.sex, s.snils, 1, null, `${s.lastName} ${s.firstName}`.toLowerCase()]);
      await staff.add(`bench|staff|${orgId}|${pid}`, [pid, orgId, s.position, s.shortName]);
      teacherIds.set(s.shortName, pid);
    }
    const classIds = new Map<string, number>();
    const groupIds = new Map<string, number>();
    for (const c of school.classes) {
      const cid = await classes.add(`bench|class|${school.code}|${c.name}`, [orgId, year, c.name, c.grade, c.letter, null]);
      classIds.set(c.name, cid);
      if (c.split) for (const g of ['1', '2']) groupIds.set(`${c.name}|${g}`, await groups.add(`bench|group|${cid}|${g}`, [cid, g]));
    }
    const subjectIds = new Map<string, number>();
    const roomIds = new Map<string, number>();
    const weekly = school.timetable();
    for (const e of weekly) {
      if (!subjectIds.has(e.subject)) subjectIds.set(e.subject, await subjects.add(`bench|subject|${school.code}|${e.subject}`, [orgId, e.subject, null]));
      if (!roomIds.has(e.room)) roomIds.set(e.room, await rooms.add(`bench|room|${school.code}|${e.room}`, [orgId, e.room]));
    }
    // Dated lessons: (class, date) -> lessons with their subgroup, for marks and attendance below.
    const byClassDay = new Map<string, { id: number; group: string | undefined; subjectId: number }[]>();
    const byWeekday = new Map<number, TimetableEntry[]>();
    for (const e of weekly) byWeekday.set(e.weekday, [...(byWeekday.get(e.weekday) ?? []), e]);
    const days = schoolDays(city.calendar, school.workDays);
    for (const date of days) {
      const wd = new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
      for (const e of byWeekday.get(wd) ?? []) {
        const cid = classIds.get(e.className)!;
        const gid = e.group ? (groupIds.get(`${e.className}|${e.group}`) ?? null) : null;
        const bell = bells.get(e.period)!;
        const subjectId = subjectIds.get(e.subject)!;
        const key = `${cid}${gid ? `:${gid}` : ''}`;
        const lid = await lessons.add(`bench|lesson|${school.code}|${date}|${e.period}|${key}`, [orgId, date, e.period, bell.start, bell.end, subjectId, roomIds.get(e.room)!, key, JSON.stringify([teacherIds.get(e.teacher) ?? 0]), 'scheduled', null, rng.chance(0.7) ? `Тема урока ${e.period}` : null]);
        await audience.add(`bench|aud|${lid}|${cid}|${gid ?? ''}`, [lid, cid, gid]);
        if (rng.chance(0.4)) await homework.add(`bench|hw|${lid}`, [lid, orgId, `§ ${rng.int(1, 40)}, упр. ${rng.int(1, 300)}`, days[days.indexOf(date) + 2] ?? null]);
        const k = `${e.className}|${date}`;
        byClassDay.set(k, [...(byClassDay.get(k) ?? []), { id: lid, group: e.group, subjectId }]);
      }
    }
    for (const s of school.students()) {
      const gid = s.group ? (groupIds.get(`${s.className}|${s.group}`) ?? null) : null;
      const pid = await persons.add(`bench|student|${s.code}`, [s.lastName, s.firstName, s.middleName, s.birthDate, s.sex, s.snils, 1, s.esiaId ?? null, `${s.lastName} ${s.firstName}`.toLowerCase()]);
      await enrollments.add(`bench|enr|${pid}`, [pid, orgId, classIds.get(s.className)!, gid, s.enrolledOn, null, 'admission', null]);
      if (s.consent.diary) await consents.add(`${pid}|diary_portal`, [pid, 'diary_portal', s.consent.diary === 'нет' ? 'refused' : 'granted', '2026-09-01', 'bench']);
      for (const date of days) await studentDay(rng, byClassDay.get(`${s.className}|${date}`) ?? [], s.group, { pid, orgId, date }, marks, attendance);
    }
    if ((n + 1) % 10 === 0 || n + 1 === city.schools.length) log(`  ${n + 1}/${city.schools.length} schools: ${lessons.rows} lessons, ${marks.rows} marks, ${attendance.rows} attendance rows`);
  }
  for (const table of all) await table.flush();
  await db('cv_sequence').where({ id: 1 }).update({ value: loader.version });
  return { students: enrollments.rows, staff: staff.rows, lessons: lessons.rows, marks: marks.rows, attendance: attendance.rows, homework: homework.rows };
}

/** One pupil-day: their lessons (whole class or own subgroup), a mark or two, and exceptions of attendance. */
async function studentDay(rng: Rng, dayLessons: { id: number; group: string | undefined; subjectId: number }[], group: string | undefined, at: { pid: number; orgId: number; date: string }, marks: Table, attendance: Table): Promise<void> {
  const mine = dayLessons.filter((l) => l.group === undefined || l.group === group);
  if (mine.length === 0) return;
  if (rng.chance(0.04)) {
    await attendance.add(`bench|att|${at.pid}|${at.date}|day`, [at.pid, at.date, null, at.orgId, 'ill', null, 20]);
    return;
  }
  const count = rng.chance(0.55) ? 1 : rng.chance(0.6) ? 2 : 0;
  for (let i = 0; i < count; i++) {
    const l = rng.pick(mine);
    const x = rng.float();
    const value = x < 0.35 ? '5' : x < 0.75 ? '4' : x < 0.95 ? '3' : '2';
    const y = rng.float();
    const [workType, weight] = y < WORK[0][2] ? WORK[0] : y < WORK[0][2] + WORK[1][2] ? WORK[1] : WORK[2];
    await marks.add(`bench|mark|${at.pid}|${l.id}|${i}`, [at.pid, l.subjectId, l.id, at.orgId, at.date, value, Number(value), weight, workType]);
  }
  for (const l of mine) {
    if (rng.chance(0.03)) await attendance.add(`bench|att|${at.pid}|${l.id}`, [at.pid, at.date, l.id, at.orgId, 'late', rng.int(3, 15), 20]);
    else if (rng.chance(0.02)) await attendance.add(`bench|att|${at.pid}|${l.id}`, [at.pid, at.date, l.id, at.orgId, 'absent', null, 20]);
  }
}
