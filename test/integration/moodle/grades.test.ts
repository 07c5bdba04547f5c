/**
 * Issue 7: grades pulled back from Moodle into diary marks: the course gradebook, assignment
 * grades incrementally (`since` = the stream's cursor from the last run), quiz best grades; the
 * shared mark transform with the school's scale for the work type; only new or changed grades
 * written.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Activity } from '../../connectors/moodle/fake-site-grades.ts';
import { callParams } from '../../connectors/moodle/php-form.ts';
import { DIALECTS, type Dialect } from '../../helpers/env.ts';
import { type MoodleHub, PULL, moodleHubs, tally } from './moodle-hub.ts';

const start = moodleHubs();
let m: MoodleHub | undefined;
afterEach(async () => {
  await m?.close();
  m = undefined;
});

/** After a push, a teacher of 5А Математика sets an assignment, a quiz and an oral mark column. */
async function gradedSchool(dialect: Dialect = 'sqlite'): Promise<{
  hub: MoodleHub;
  work: Record<'assign' | 'quiz' | 'oral', Activity>;
  newestAssignGrade: number;
}> {
  const hub = await start({
    dialect,
    // The school marks this quiz more strictly than its default scale (85/65/45).
    extra: {
      markScales: [{ organization: 'sch-001', workType: 'Тест: дроби', thresholds: { '5': 90, '4': 75, '3': 50 } }],
    },
  });
  await hub.roster();
  await hub.sync();
  const math = `${await hub.classUid('5А')}/математика`;
  const work = {
    assign: hub.site.grades.add(math, 'assign', 'Контрольная работа № 1', 10),
    quiz: hub.site.grades.add(math, 'quiz', 'Тест: дроби', 10),
    oral: hub.site.grades.add(math, 'manual', 'Устный ответ', 5),
  };
  hub.site.grades.grade(work.assign, await hub.uid('Орлова'), 8);
  hub.site.grades.grade(work.assign, await hub.uid('Зайцев'), 9.5);
  const newestAssignGrade = hub.site.clock;
  hub.site.grades.grade(work.quiz, await hub.uid('Орлова'), 4.5);
  hub.site.grades.grade(work.oral, await hub.uid('Зайцев'), 5);
  return { hub, work, newestAssignGrade };
}

async function marks(hub: MoodleHub) {
  return hub.h.rt
    .db('marks as k')
    .join('persons as p', 'p.id', 'k.student_id')
    .leftJoin('subjects as s', 's.id', 'k.subject_id')
    .orderBy(['p.last_name', 'k.work_type'])
    .select(
      'p.last_name',
      's.name as subject',
      'k.value',
      'k.numeric_value',
      'k.score',
      'k.max_score',
      'k.work_type',
      'k.assessment',
      'k.source',
      'k.date',
      'k.nk',
      'k.change_version',
    );
}

const plain = (rows: Array<Record<string, unknown>>) =>
  rows.map(({ nk: _nk, change_version: _cv, ...r }) => ({
    ...r,
    numeric_value: r.numeric_value == null ? null : Number(r.numeric_value),
    score: Number(r.score),
    max_score: Number(r.max_score),
  }));

describe.each(DIALECTS)('grades pulled into marks (%s)', (dialect) => {
  it('turn each graded item into one mark with the school’s scale for its work type', async () => {
    const { hub, work } = await gradedSchool(dialect);
    m = hub;
    const s = await m.sync(PULL);
    expect(s.status).toBe('succeeded');
    const date = new Date(m.site.clock * 1000).toISOString().slice(0, 10);
    expect(plain(await marks(m))).toEqual([
      {
        last_name: 'Зайцев',
        subject: 'Математика',
        value: '5',
        numeric_value: 5,
        score: 9.5,
        max_score: 10,
        work_type: 'Контрольная работа № 1',
        assessment: `moodle:assign:${work.assign.instance}`,
        source: 'lms',
        date: expect.stringMatching(/^2024-11-1\d$/),
      },
      {
        last_name: 'Зайцев',
        subject: 'Математика',
        value: '5',
        numeric_value: 5,
        score: 5,
        max_score: 5,
        work_type: 'Устный ответ',
        assessment: `moodle:manual:${work.oral.itemId}`,
        source: 'lms',
        date,
      },
      {
        last_name: 'Орлова',
        subject: 'Математика',
        value: '4',
        numeric_value: 4,
        score: 8,
        max_score: 10,
        work_type: 'Контрольная работа № 1',
        assessment: `moodle:assign:${work.assign.instance}`,
        source: 'lms',
        date: expect.stringMatching(/^2024-11-1\d$/),
      },
      // 45 %: a "3" on the default scale, a "2" on the school's scale for this quiz.
      {
        last_name: 'Орлова',
        subject: 'Математика',
        value: '2',
        numeric_value: 2,
        score: 4.5,
        max_score: 10,
        work_type: 'Тест: дроби',
        assessment: `moodle:quiz:${work.quiz.instance}`,
        source: 'lms',
        date: expect.stringMatching(/^2024-11-1\d$/),
      },
    ]);
    const userId = (last: string) => m!.site.state.users.find((u) => u.lastname === last)!.id;
    expect((await marks(m)).map((r: { nk: string }) => r.nk).sort()).toEqual(
      [
        `moodle:lms:assign:${work.assign.instance}:${userId('Зайцев')}`,
        `moodle:lms:assign:${work.assign.instance}:${userId('Орлова')}`,
        `moodle:lms:manual:${work.oral.itemId}:${userId('Зайцев')}`,
        `moodle:lms:quiz:${work.quiz.instance}:${userId('Орлова')}`,
      ].sort(),
    );
    // The gradebook gave all four; the assignment and quiz streams read two and one of them again: no second mark.
    expect(s.streams.grade_items).toMatchObject({ read: 4, created: 4, rejected: 0 });
    expect(s.streams.assign_grades).toMatchObject({ read: 2, created: 0, unchanged: 2 });
    expect(s.streams.quiz_grades).toMatchObject({ read: 1, created: 0, unchanged: 1 });
    // One report per course, one assignment and one quiz listing for all courses, a best grade per quiz and active student.
    expect(tally(m.calls)).toEqual({
      core_course_get_categories: 3,
      core_course_get_courses_by_field: 3,
      gradereport_user_get_grade_items: 4,
      mod_assign_get_assignments: 1,
      mod_assign_get_grades: 1,
      core_user_get_users_by_field: 1,
      mod_quiz_get_quizzes_by_courses: 1,
      core_enrol_get_enrolled_users: 1,
      mod_quiz_get_user_best_grade: 3,
    });
    const assignCall = m.calls.find((c) => c.fn === 'mod_assign_get_grades')!;
    expect(callParams(assignCall.params)).toEqual({ assignmentids: [String(work.assign.instance)], since: '0' });
  });

  it('a second pull writes nothing; a regrade updates exactly one mark, read from the cursor on', async () => {
    const { hub, work, newestAssignGrade } = await gradedSchool(dialect);
    m = hub;
    await m.sync(PULL);
    const before = await marks(m);

    const again = await m.sync(PULL);
    expect(again.totals).toMatchObject({ created: 0, updated: 0 });
    expect(await marks(m)).toEqual(before);
    // The cursor: the newest assignment grade the first pull saw.
    expect(callParams(m.calls.find((c) => c.fn === 'mod_assign_get_grades')!.params).since).toBe(
      String(newestAssignGrade),
    );

    m.site.grades.grade(work.assign, await m.uid('Орлова'), 6);
    const regrade = await m.sync(PULL);
    expect(regrade.totals).toMatchObject({ created: 0, updated: 1 });
    // From the cursor on: the regrade, and the cursor's own second again (`timemodified >= since`);
    // the gradebook stream already wrote the regrade, so both are unchanged here.
    expect(regrade.streams.assign_grades).toMatchObject({ read: 2, unchanged: 2 });
    const after = await marks(m);
    const changed = after.filter(
      (r: { nk: string; change_version: unknown }, i: number) => r.change_version !== before[i].change_version,
    );
    expect(plain(changed)).toEqual([
      expect.objectContaining({ last_name: 'Орлова', value: '3', score: 6, work_type: 'Контрольная работа № 1' }),
    ]);
  });

  it('a grade of an account the hub does not know is rejected with its id', async () => {
    const { hub, work } = await gradedSchool(dialect);
    m = hub;
    const stranger = '01900000-0000-7000-8000-0000000000ff';
    m.site.state.users.push({
      id: 950,
      fullname: 'Гость Курса',
      username: 'guest.course',
      firstname: 'Гость',
      lastname: 'Курса',
      email: 'g@x.example',
      idnumber: stranger,
      suspended: false,
    });
    m.site.state.enrolments.push({
      userid: 950,
      courseid: work.assign.courseid,
      idnumber: stranger,
      roleIds: [11],
      active: true,
    });
    m.site.grades.grade(work.assign, stranger, 7);
    const s = await m.sync(['grade_items']);
    expect(s.streams.grade_items).toMatchObject({ read: 5, created: 4, rejected: 1 });
    const rejects = await m.h.rt.db('rejected_records').where({ run_id: s.runId }).select('code', 'field', 'message');
    expect(rejects).toEqual([
      {
        code: 'unknown_reference',
        field: 'student_id',
        message: `student_id: no student with id "${stranger}" is known to the hub`,
      },
    ]);
  });
});
