import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { build } from '../../../src/api/app.ts';
import { createClient } from '../../../src/api/auth/clients-store.ts';
import { committedWatermark, writeTransaction } from '../../../src/db/change-versions.ts';
import { upsertByNk } from '../../../src/db/upsert.ts';
import { MYSQL_URL } from '../../helpers/env.ts';
import { makeHub, type TestHub as CoreHub } from '../../helpers/hub.ts';
import { Seeder, type Ref } from '../seed.ts';
import { addClient, testApp, testHub, tokenFor, type TestHub } from '../helpers.ts';
import { pull, sorted, sourceState, type Copy } from './feed-replay.ts';
import { buildWorld, type World } from './world.ts';

describe('the change feed replays onto an empty copy (sqlite)', () => {
  let hub: TestHub;
  let app: FastifyInstance;
  let w: World;
  let token: string;
  beforeEach(async () => {
    hub = await testHub();
    w = await buildWorld(hub);
    await w.seed.consent(w.boris, 'diary_portal', 'granted');
    app = await testApp(hub);
    const { client, secret } = await addClient(hub, { organizations: ['sch-1'], resources: ['changes:read'] });
    token = await tokenFor(app, client.clientId, secret);
  });
  afterEach(async () => {
    await app.close();
    await hub.cleanup();
  });
  const expected = () => sourceState(hub.rt.db, ['sch-1'], 'diary_portal', 'refused');

  it('gives the source data through updates, deletes, a refusal and a renewed grant', async () => {
    const copy: Copy = new Map();
    const first = await pull(app, token, copy, 0, 3);
    expect(first.pages).toBeGreaterThan(3);
    expect(sorted(copy)).toEqual(sorted(await expected()));
    // Дарья refused: none of her marks ever left; Вера and Глеб are other schools.
    const students = new Set([...copy.values()].map((d) => d.studentId).filter(Boolean));
    expect(students).toEqual(new Set([w.anna.uid, w.boris.uid]));
    expect(copy.get(`mark:${w.m1.uid}`)).toMatchObject({ studentId: w.anna.uid, organization: 'sch-1', value: '5', weight: 2, workType: 'Контрольная работа', lessonId: w.l1.uid });
    expect(copy.get(`lesson:${w.l3.uid}`)).toMatchObject({ subject: { name: 'Физика' }, insteadOf: { name: 'Русский язык' }, audience: ['5А'] });

    // Updates and deletes, then an incremental pull from the kept cursor.
    const s = w.seed;
    await s.mark({ student: w.anna, org: 'sch-1', date: '2026-10-05', lesson: w.l2g1, subject: w.english, value: '5' });
    await s.softDelete('marks', w.mZach);
    await s.softDelete('lessons', w.l4);
    await s.homework({ org: 'sch-1', lesson: w.tue1, text: 'Прочитать § 3' });
    const second = await pull(app, token, copy, first.next, 2);
    expect(sorted(copy)).toEqual(sorted(await expected()));
    expect(copy.get(`mark:${w.m2.uid}`)).toMatchObject({ value: '5' });
    const deletes = second.items.filter((i) => i.op === 'delete');
    expect(deletes).toEqual([
      expect.objectContaining({ kind: 'mark', id: w.mZach.uid, reason: 'deleted', key: { studentId: w.anna.uid, date: '2026-10-06', lessonId: null, subjectId: w.physics.uid, workType: 'Зачёт' } }),
      expect.objectContaining({ kind: 'lesson', id: w.l4.uid, reason: 'deleted', key: { organization: 'sch-1', date: '2026-10-05', period: 4, audience: ['5А'] } }),
    ]);

    // Анна's guardians refuse: tombstones for everything sent about her, nothing after (a mark
    // deleted just before the refusal included: its tombstone is not personal data to withhold).
    await s.softDelete('marks', w.m1);
    await s.consent(w.anna, 'diary_portal', 'refused', '2026-10-01');
    await s.mark({ student: w.anna, org: 'sch-1', date: '2026-10-06', lesson: w.tue1, subject: w.math, value: '3' });
    const third = await pull(app, token, copy, second.next, 50);
    expect(sorted(copy)).toEqual(sorted(await expected()));
    const tombstones = third.items.filter((i) => i.reason === 'consent_refused');
    expect(tombstones.map((i) => i.kind).sort()).toEqual(['attendance', 'attendance', 'attendance', 'attendance', 'attendance', 'mark']);
    expect(third.items.filter((i) => i.reason === 'deleted').map((i) => i.id)).toEqual([w.m1.uid]);
    expect(tombstones.every((i) => i.op === 'delete' && i.key.studentId === w.anna.uid)).toBe(true);
    expect(third.items.some((i) => i.op === 'upsert' && i.data?.studentId === w.anna.uid)).toBe(false);
    expect([...copy.values()].some((d) => d.studentId === w.anna.uid)).toBe(false);

    // A renewed grant sends her rows again, the mark given meanwhile included.
    await s.consent(w.anna, 'diary_portal', 'granted', '2026-10-02');
    await pull(app, token, copy, third.next, 4);
    expect(sorted(copy)).toEqual(sorted(await expected()));
    expect([...copy.values()].filter((d) => d.studentId === w.anna.uid && d.value !== undefined).map((d) => d.value).sort()).toEqual(['3', '5']);

    // A consumer starting from nothing now reaches the same state.
    const fresh: Copy = new Map();
    await pull(app, token, fresh, 0, 7);
    expect(sorted(fresh)).toEqual(sorted(copy));
  });

  it('pages by version windows and reports the available versions', async () => {
    const available = (await app.inject({ url: '/api/v1/changes/available', headers: { authorization: `Bearer ${token}` } })).json();
    expect(available).toEqual({ oldestChangeVersion: 0, newestChangeVersion: await committedWatermark(hub.rt.db) });
    const all = await pull(app, token, new Map(), 0, 1000);
    const versions = all.items.map((i) => i.changeVersion);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    const mid = versions[Math.floor(versions.length / 2)]!;
    const res = await app.inject({ url: `/api/v1/changes?minChangeVersion=0&maxChangeVersion=${mid}`, headers: { authorization: `Bearer ${token}` } });
    expect(res.json()).toMatchObject({ maxChangeVersion: mid, nextMinChangeVersion: mid + 1, hasMore: false });
    expect(res.json().items.every((i: { changeVersion: number }) => i.changeVersion <= mid)).toBe(true);
  });

  it('audits the persons each page was about, sent or withheld', async () => {
    await pull(app, token, new Map(), 0, 1000);
    const rows = await hub.rt.db('audit_log').where({ resource: 'changes' }).select('person_id', 'result');
    const byPerson = new Map(rows.map((r) => [Number(r.person_id), r.result]));
    expect(byPerson.get(w.anna.id)).toBe('ok');
    expect(byPerson.get(w.boris.id)).toBe('ok');
    expect(byPerson.get(w.darya.id)).toBe('withheld');
    expect(byPerson.has(w.vera.id)).toBe(false);
  });
});

describe.skipIf(!MYSQL_URL)('the change feed under concurrent writers (mariadb)', () => {
  let h: CoreHub;
  let app: FastifyInstance;
  afterEach(async () => {
    await app?.close();
    await h?.close();
  });

  it('delivers a lower change version that commits after a higher one, during paging', async () => {
    h = await makeHub({ dialect: 'mysql', extra: { consent: { unknownMeans: { diary_portal: 'granted' } } } });
    const seed = new Seeder(h.rt.db, () => new Date());
    const cls = await seed.schoolClass('sch-001', '5А', 5);
    const subject = await seed.subject('sch-001', 'Математика');
    const students = await Promise.all(['Анна', 'Борис', 'Вера'].map((n) => seed.person({ last: 'Тестова', first: n })));
    for (const s of students) await seed.enroll(s, 'sch-001', cls);
    const lessons: Ref[] = [];
    for (let p = 1; p <= 4; p++) lessons.push(await seed.lesson({ org: 'sch-001', date: '2026-10-05', period: p, subject, audience: [{ cls }] }));
    app = await build({ rt: h.rt });
    const { client, secret } = await createClient(h.rt, { name: 'feed', organizations: ['obr'], resources: ['changes:read'] });
    const token = await tokenFor(app, client.clientId, secret);
    const copy: Copy = new Map();
    const first = await pull(app, token, copy, 0, 2);
    const orgId = await seed.orgId('sch-001');
    const markRow = (student: { id: number }, lesson: { id: number }, value: string) => ({
      nk: `mark|${student.id}|${lesson.id}|`, attrs: { student_id: student.id, subject_id: subject.id, lesson_id: lesson.id, organization_id: orgId, date: '2026-10-05', value, numeric_value: Number(value), weight: 1, work_type: null, score: null, max_score: null },
    });

    // A slow journal import takes its versions and holds its transaction open...
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const ready = new Promise<void>((r) => (started = r));
    const slow = writeTransaction(h.rt.db, async (trx, versions) => {
      await upsertByNk(trx, versions, 'marks', students.map((s) => markRow(s, lessons[0]!, '4')), { source: 'slow', now: new Date() });
      started();
      await gate;
    });
    await ready;
    // ...while a quick one commits higher versions.
    await writeTransaction(h.rt.db, (trx, versions) => upsertByNk(trx, versions, 'marks', students.map((s) => markRow(s, lessons[1]!, '5')), { source: 'quick', now: new Date() }));
    const during = await pull(app, token, copy, first.next, 2);
    // Nothing above the open lease is handed out yet: the cursor cannot pass the slow writer.
    expect(during.items.filter((i) => i.kind === 'mark')).toEqual([]);
    release();
    await slow;
    await pull(app, token, copy, during.next, 2);
    expect(sorted(copy)).toEqual(sorted(await sourceState(h.rt.db, ['obr', 'sch-001', 'sch-002'], 'diary_portal', 'granted')));
    expect([...copy.values()].filter((d) => d.value !== undefined).map((d) => d.value).sort()).toEqual(['4', '4', '4', '5', '5', '5']);
  });
});

describe.skipIf(!MYSQL_URL)('the diary on mariadb', () => {
  let h: CoreHub;
  afterEach(async () => h?.close());

  it('keeps lesson_audience.date by trigger and serves a diary from it', async () => {
    h = await makeHub({ dialect: 'mysql', extra: { consent: { unknownMeans: { diary_portal: 'granted' } } } });
    const seed = new Seeder(h.rt.db, () => new Date());
    const cls = await seed.schoolClass('sch-001', '5А', 5);
    const g1 = await seed.group(cls, '1');
    const subject = await seed.subject('sch-001', 'Математика');
    const anna = await seed.person({ last: 'Тестова', first: 'Анна' });
    await seed.enroll(anna, 'sch-001', cls, { group: g1 });
    const l1 = await seed.lesson({ org: 'sch-001', date: '2026-10-05', period: 1, subject, audience: [{ cls }] });
    await seed.lesson({ org: 'sch-001', date: '2026-10-05', period: 2, subject, audience: [{ cls, group: g1 }] });
    await seed.lesson({ org: 'sch-001', date: '2026-10-13', period: 1, subject, audience: [{ cls }] });
    await seed.mark({ student: anna, org: 'sch-001', date: '2026-10-05', lesson: l1, subject, value: '5' });
    expect(await h.rt.db('lesson_audience').whereNull('date').count({ n: '*' }).first()).toEqual({ n: 0 });
    await h.rt.db('lessons').where({ id: l1.id }).update({ date: '2026-10-06' });
    expect(await h.rt.db('lesson_audience').where({ lesson_id: l1.id }).pluck('date')).toEqual(['2026-10-06']);
    const app = await build({ rt: h.rt });
    try {
      const { client, secret } = await createClient(h.rt, { name: 'p', organizations: ['sch-001'], resources: ['diary:read'] });
      const token = await tokenFor(app, client.clientId, secret);
      const res = await app.inject({ url: `/api/v1/students/${anna.uid}/diary?from=2026-10-05&to=2026-10-11`, headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode).toBe(200);
      expect(res.json().days.map((d: { date: string; lessons: { period: number; marks: unknown[] }[] }) => [d.date, d.lessons.map((l) => [l.period, l.marks.length])])).toEqual([
        ['2026-10-05', [[2, 0]]],
        ['2026-10-06', [[1, 1]]],
      ]);
      // The mark as the journal wrote it, through MariaDB's binary protocol (prepared statements).
      expect(res.json().days[1].lessons[0].marks[0]).toMatchObject({ value: '5', numericValue: 5, weight: 1, subject: { name: 'Математика' }, lessonId: l1.uid });
      // Without a window: the student first (the current week is the school's), then the diary.
      const current = await app.inject({ url: `/api/v1/students/${anna.uid}/diary`, headers: { authorization: `Bearer ${token}` } });
      expect([current.statusCode, current.json().studentId]).toEqual([200, anna.uid]);
    } finally {
      await app.close();
    }
  });
});
