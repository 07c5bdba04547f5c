/**
 * A hub with a roster instance and a Moodle instance for school sch-001, its roster files in a
 * temp folder the test may edit, and the fake Moodle site behind msw (every call recorded, unknown
 * URLs failing the test). The school is fixtures/moodle/roster: 5А and 5Б, seven students (Ким
 * refused LMS, Ёлкин gave no answer), two teachers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROSTER_WRITE_FUNCTIONS } from '../../../connectors/moodle/site.ts';
import { writeTransaction } from '../../../src/db/change-versions.ts';
import { upsertByNk } from '../../../src/db/upsert.ts';
import { runNow, type RunSummary } from '../../../src/pipeline/execute.ts';
import { BASE_URL, TOKEN, type RecordedCall, useFakeMoodle } from '../../connectors/moodle/fake-moodle.ts';
import { FakeMoodleSite } from '../../connectors/moodle/fake-site.ts';
import { callParams, type FormTree } from '../../connectors/moodle/php-form.ts';
import type { Dialect } from '../../helpers/env.ts';
import { fixture, makeHub, rosterInstance, type TestHub } from '../../helpers/hub.ts';

export const PUSH = ['courses', 'users'];
export const PULL = ['grade_items', 'assign_grades', 'quiz_grades'];

export const WRITE_FUNCTIONS = new Set<string>(ROSTER_WRITE_FUNCTIONS);

export interface MoodleHub {
  h: TestHub;
  site: FakeMoodleSite;
  calls: RecordedCall[];
  /** Most calls the site saw in flight at once. */
  maxInFlight(): number;
  roster(edit?: (students: string) => string): Promise<RunSummary>;
  sync(streams?: string[]): Promise<RunSummary>;
  /** Public id of a person by last name. */
  uid(lastName: string): Promise<string>;
  /** Public id of a class by name. */
  classUid(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface MoodleHubOptions {
  dialect?: Dialect;
  moodle?: Record<string, unknown>;
  extra?: Record<string, unknown>;
}

/** Call before the tests of a file: installs msw for the whole file. */
export function moodleHubs() {
  const fake = useFakeMoodle();
  return async function start(o: MoodleHubOptions = {}): Promise<MoodleHub> {
    const dir = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'moodle-roster-'));
    for (const f of ['students.csv', 'staff.csv']) fs.copyFileSync(fixture('moodle', 'roster', f), path.join(dir, f));
    const h = await makeHub({
      ...(o.dialect ? { dialect: o.dialect } : {}),
      instances: [
        rosterInstance('roster', 'sch-001', dir, {
          maxCloseRatio: 1,
          config: { files: { students: 'students.csv', guardians: 'none', staff: 'staff.csv', consents: 'none' } },
        }),
        {
          name: 'lms',
          connector: 'moodle',
          organization: 'sch-001',
          purpose: 'lms',
          config: {
            baseUrl: BASE_URL,
            token: TOKEN,
            roles: { student: 11, teacher: 12 },
            backoffMs: 0,
            emailDomain: 'sch1.example',
            subjectsByGrade: { 5: ['Математика', 'Русский язык'] },
            grades: true,
            ...o.moodle,
          },
        },
      ],
      extra: { consent: { unknownMeans: { lms: 'granted' } }, ...o.extra },
    });
    const site = new FakeMoodleSite();
    let inFlight = 0;
    let most = 0;
    fake.respond(async (call) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      // A moment of latency, so concurrent calls really overlap.
      await new Promise((r) => setTimeout(r, 2));
      inFlight -= 1;
      return site.handle(call.fn, call.params);
    });
    const studentsFile = path.join(dir, 'students.csv');
    const original = fs.readFileSync(studentsFile, 'utf8');
    return {
      h,
      site,
      calls: fake.calls,
      maxInFlight: () => most,
      async roster(edit) {
        fs.writeFileSync(studentsFile, edit ? edit(original) : original);
        const s = await runNow(h.rt, { instance: 'roster' });
        if (s.status !== 'succeeded') throw new Error(`roster: ${s.error?.message}`);
        return s;
      },
      async sync(streams = PUSH) {
        fake.calls.length = 0;
        return runNow(h.rt, { instance: 'lms', streams });
      },
      async uid(lastName) {
        const p = await h.rt.db('persons').where({ last_name: lastName }).first('uid');
        if (!p) throw new Error(`no person ${lastName}`);
        return String(p.uid);
      },
      async classUid(name) {
        return String((await h.rt.db('classes').where({ name }).first('uid')).uid);
      },
      async close() {
        await h.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  };
}

/** The write calls of a sync, in order, with their decoded parameters. */
export function writes(calls: readonly RecordedCall[]): Array<{ fn: string; params: Record<string, FormTree> }> {
  return calls.filter((c) => WRITE_FUNCTIONS.has(c.fn)).map((c) => ({ fn: c.fn, params: callParams(c.params) }));
}

/** How many calls of each function a sync made. */
export function tally(calls: readonly RecordedCall[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of calls) out[c.fn] = (out[c.fn] ?? 0) + 1;
  return out;
}

/** Lessons of the timetable, written straight into the core tables (the class's subjects and teachers). */
export async function addLessons(
  h: TestHub,
  lessons: Array<{ className: string; subject: string; teacher: string; date: string; period: number }>,
): Promise<void> {
  await writeTransaction(h.rt.db, async (trx, versions) => {
    const org = await trx('organizations').where({ code: 'sch-001' }).first('id');
    const opts = { source: 'timetable-test', now: new Date() };
    for (const l of lessons) {
      const subject = await upsertByNk(
        trx,
        versions,
        'subjects',
        [
          {
            nk: `subject|sch-001|${l.subject.toLowerCase()}`,
            attrs: { organization_id: org.id, name: l.subject, short_name: null },
          },
        ],
        opts,
      );
      const teacher = await trx('persons').where({ last_name: l.teacher }).first('id');
      const cls = await trx('classes').where({ name: l.className }).first('id');
      const nk = `test|sch-001|${l.date}|${l.period}|${l.className}`;
      const lesson = await upsertByNk(
        trx,
        versions,
        'lessons',
        [
          {
            nk,
            attrs: {
              organization_id: org.id,
              date: l.date,
              period: l.period,
              start_time: '08:30',
              end_time: '09:15',
              subject_id: subject.refs.get(`subject|sch-001|${l.subject.toLowerCase()}`)!.id,
              room_id: null,
              audience_key: l.className,
              teacher_ids: JSON.stringify([Number(teacher.id)]),
              status: 'scheduled',
            },
          },
        ],
        opts,
      );
      await upsertByNk(
        trx,
        versions,
        'lesson_audience',
        [{ nk: `${nk}|a`, attrs: { lesson_id: lesson.refs.get(nk)!.id, class_id: cls.id, group_id: null } }],
        opts,
      );
    }
  });
}
