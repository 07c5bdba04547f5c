/**
 * The gradebook of the fake Moodle site: graded activities (assignments, quizzes, manual columns)
 * and their grades, answered as gradereport_user_get_grade_items, mod_assign_get_assignments,
 * mod_assign_get_grades, mod_quiz_get_quizzes_by_courses and mod_quiz_get_user_best_grade do,
 * in the shapes of the recorded fixtures.
 */
import type { FakeMoodleSite } from './fake-site.ts';
import type { FormTree } from './php-form.ts';
import { moodleFixture } from './recorded.ts';

export interface Activity {
  module: 'assign' | 'quiz' | 'manual';
  /** Assignment or quiz instance id; the grade item id for a manual column. */
  instance: number;
  cmid: number;
  itemId: number;
  courseid: number;
  name: string;
  max: number;
}

interface Grade {
  value: number;
  /** Unix seconds of the last change. */
  at: number;
  id: number;
}

type Obj = Record<string, FormTree>;
const ids = (v: FormTree | undefined): number[] => (Array.isArray(v) ? v.map((x) => Number(x)) : []);

export class GradeBook {
  readonly activities: Activity[] = [];
  private readonly grades = new Map<string, Grade>();

  constructor(private readonly site: FakeMoodleSite) {}

  /** A teacher adds a graded activity to a course (by the course's idnumber). */
  add(courseIdnumber: string, module: Activity['module'], name: string, max: number): Activity {
    const course = this.site.course(courseIdnumber);
    const itemId = this.site.nextId();
    const a: Activity = {
      module,
      instance: module === 'manual' ? itemId : this.site.nextId(),
      cmid: this.site.nextId(),
      itemId,
      courseid: course.id,
      name,
      max,
    };
    this.activities.push(a);
    return a;
  }

  /** A teacher grades (or regrades) a student: the site clock moves on. */
  grade(activity: Activity, userIdnumber: string, value: number): void {
    const user = this.site.user(userIdnumber);
    this.site.clock += 60;
    const key = `${activity.itemId}|${user.id}`;
    this.grades.set(key, { value, at: this.site.clock, id: this.grades.get(key)?.id ?? this.site.nextId() });
  }

  dispatch(fn: string, p: Obj): unknown {
    switch (fn) {
      case 'gradereport_user_get_grade_items':
        return this.report(Number(p.courseid));
      case 'mod_assign_get_assignments':
        return this.assignments(ids(p.courseids));
      case 'mod_assign_get_grades':
        return this.assignGrades(ids(p.assignmentids), Number(p.since ?? 0));
      case 'mod_quiz_get_quizzes_by_courses':
        return this.quizzes(ids(p.courseids));
      case 'mod_quiz_get_user_best_grade':
        return this.bestGrade(Number(p.quizid), Number(p.userid));
      default:
        return undefined;
    }
  }

  private report(courseid: number) {
    const [itemTemplate, , totalTemplate] = moodleFixture<{ usergrades: Array<{ gradeitems: Obj[] }> }>(
      'grade-items.json',
    ).usergrades[0]!.gradeitems;
    const course = this.site.state.courses.find((c) => c.id === courseid);
    const students = this.site.state.enrolments.filter((e) => e.courseid === courseid && e.roleIds.includes(11));
    const items = this.activities.filter((a) => a.courseid === courseid);
    const usergrades = students.map((e) => {
      const user = this.site.state.users.find((u) => u.id === e.userid)!;
      const gradeitems = items.map((a) => {
        const g = this.grades.get(`${a.itemId}|${user.id}`);
        return {
          ...itemTemplate,
          id: a.itemId,
          itemname: a.name,
          itemtype: a.module === 'manual' ? 'manual' : 'mod',
          itemmodule: a.module === 'manual' ? null : a.module,
          iteminstance: a.module === 'manual' ? null : a.instance,
          cmid: a.module === 'manual' ? null : a.cmid,
          grademin: 0,
          grademax: a.max,
          graderaw: g?.value ?? null,
          gradedategraded: g?.at ?? null,
          gradeformatted: g ? g.value.toFixed(2).replace('.', ',') : '-',
        };
      });
      const total = items.reduce((s, a) => s + (this.grades.get(`${a.itemId}|${user.id}`)?.value ?? 0), 0);
      return {
        courseid,
        courseidnumber: course?.idnumber ?? '',
        userid: user.id,
        userfullname: user.fullname,
        useridnumber: user.idnumber ?? '',
        maxdepth: 2,
        gradeitems: [
          ...gradeitems,
          { ...totalTemplate, graderaw: total, grademax: items.reduce((s, a) => s + a.max, 0) },
        ],
      };
    });
    return { usergrades, warnings: [] };
  }

  private assignments(courseids: number[]) {
    const template = moodleFixture<{ courses: Array<Obj & { assignments: Obj[] }> }>('assignments.json').courses[0]!;
    return {
      courses: courseids.flatMap((id) => {
        const course = this.site.state.courses.find((c) => c.id === id);
        if (!course) return [];
        const list = this.activities.filter((a) => a.courseid === id && a.module === 'assign');
        return [
          {
            id,
            fullname: course.fullname,
            shortname: course.shortname,
            timemodified: template.timemodified,
            assignments: list.map((a) => ({
              ...template.assignments[0],
              id: a.instance,
              cmid: a.cmid,
              course: id,
              name: a.name,
              grade: a.max,
            })),
          },
        ];
      }),
      warnings: [],
    };
  }

  private assignGrades(assignmentIds: number[], since: number) {
    const assignments = [];
    const warnings = [];
    for (const instance of assignmentIds) {
      const a = this.activities.find((x) => x.module === 'assign' && x.instance === instance);
      const grades = a
        ? [...this.grades]
            .filter(([k, g]) => k.startsWith(`${a.itemId}|`) && g.at >= since)
            .map(([k, g]) => ({
              id: g.id,
              assignment: instance,
              userid: Number(k.split('|')[1]),
              attemptnumber: 0,
              timecreated: g.at,
              timemodified: g.at,
              grader: 2,
              grade: g.value.toFixed(5),
            }))
        : [];
      if (grades.length === 0)
        warnings.push({ item: 'assignment', itemid: instance, warningcode: '3', message: 'No grades found' });
      else assignments.push({ assignmentid: instance, grades });
    }
    return { assignments, warnings };
  }

  private quizzes(courseids: number[]) {
    const template = moodleFixture<{ quizzes: Obj[] }>('quizzes.json').quizzes[0]!;
    const quizzes = this.activities.filter((a) => a.module === 'quiz' && courseids.includes(a.courseid));
    return {
      quizzes: quizzes.map((q) => ({
        ...template,
        id: q.instance,
        course: q.courseid,
        coursemodule: q.cmid,
        name: q.name,
        grade: q.max,
      })),
      warnings: [],
    };
  }

  private bestGrade(quizid: number, userid: number) {
    const q = this.activities.find((a) => a.module === 'quiz' && a.instance === quizid);
    const g = q ? this.grades.get(`${q.itemId}|${userid}`) : undefined;
    return g
      ? { ...moodleFixture<Obj>('quiz-best-grade.json'), grade: g.value }
      : moodleFixture('quiz-best-grade-none.json');
  }
}
