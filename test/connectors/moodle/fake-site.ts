/**
 * An in-memory Moodle site answering REST web service calls the way Moodle does, so a sync's
 * writes change what the next sync reads. The state is moodle-state.ts's CurrentState (plus
 * graded activities, fake-site-grades.ts); answers are shaped from the recorded responses in
 * fixtures/moodle/ and errors are the recorded error bodies (HTTP 200 with `exception`).
 *
 * Moodle rules it keeps: all-or-nothing create and enrol calls, unique usernames (PARAM_USERNAME
 * checked, never cleaned), unique e-mails (case-insensitive, as without allowaccountssameemail),
 * unique course shortnames and idnumbers, assignable roles only. Used behind msw in tests and
 * behind a real HTTP server in bench/moodle.ts; imports neither.
 */
import type { CurrentState } from '../../../connectors/moodle/sync-types.ts';
import { GradeBook } from './fake-site-grades.ts';
import { emptyMoodle } from './moodle-state.ts';
import { type FormTree, decodeForm } from './php-form.ts';
import { moodleError, moodleFixture } from './recorded.ts';

type Obj = Record<string, FormTree>;
const list = (v: FormTree | undefined): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const str = (v: FormTree | undefined): string => (typeof v === 'string' ? v : '');
const num = (v: FormTree | undefined): number => Number(str(v));

class Refused extends Error {
  constructor(readonly answer: Record<string, unknown>) {
    super(String(answer.errorcode));
  }
}
const refuse = (fixture: string, debuginfo?: string): never => {
  throw new Refused(moodleError(fixture, debuginfo));
};

export interface FakeSiteOptions {
  /** Role ids the web service user may assign (default: a customised site's 11 and 12). */
  assignableRoles?: number[];
}

export class FakeMoodleSite {
  readonly state: CurrentState = emptyMoodle();
  readonly grades = new GradeBook(this);
  private lastId = 1000;
  /** Unix seconds of the site's clock; every write moves it on. */
  clock = 1_731_400_000;
  private faults: Array<{ fn: string; fixture: string; left: number }> = [];
  readonly roles: Set<number>;

  constructor(options: FakeSiteOptions = {}) {
    this.roles = new Set(options.assignableRoles ?? [11, 12]);
  }

  nextId(): number {
    return ++this.lastId;
  }

  /** The next `times` calls of `fn` (`*`: any function) answer with the error fixture. */
  failNext(fn: string, fixture: string, times = 1): void {
    this.faults.push({ fn, fixture, left: times });
  }

  /** Answers one call as Moodle would: a JSON value (an error is a value too). */
  handle(fn: string, body: URLSearchParams): unknown {
    const fault = this.faults.find((f) => f.left > 0 && (f.fn === fn || f.fn === '*'));
    if (fault) {
      fault.left -= 1;
      return moodleError(fault.fixture);
    }
    const p = decodeForm(body);
    try {
      const answer = this.dispatch(fn, p);
      return answer === undefined ? moodleError('accessexception') : answer;
    } catch (err) {
      if (err instanceof Refused) return err.answer;
      throw err;
    }
  }

  private dispatch(fn: string, p: Obj): unknown {
    switch (fn) {
      case 'core_webservice_get_site_info':
        return moodleFixture('site-info.json');
      case 'core_course_get_categories':
        return this.categories(list(p.criteria));
      case 'core_course_create_categories':
        return this.createCategories(list(p.categories));
      case 'core_course_get_courses_by_field':
        return { courses: this.coursesBy(str(p.field), str(p.value)).map((c) => this.courseOut(c)), warnings: [] };
      case 'core_course_create_courses':
        return this.createCourses(list(p.courses));
      case 'core_course_update_courses':
        return this.updateCourses(list(p.courses));
      case 'core_user_get_users_by_field':
        return this.usersBy(str(p.field), (p.values as string[] | undefined) ?? []);
      case 'core_user_create_users':
        return this.createUsers(list(p.users));
      case 'core_user_update_users':
        return this.updateUsers(list(p.users));
      case 'core_enrol_get_enrolled_users':
        return this.enrolled(num(p.courseid), list(p.options));
      case 'enrol_manual_enrol_users':
        return this.enrol(list(p.enrolments));
      case 'enrol_manual_unenrol_users':
        return this.unenrol(list(p.enrolments));
      default:
        return this.grades.dispatch(fn, p);
    }
  }

  private categories(criteria: Obj[]) {
    const template = moodleFixture<Obj[]>('categories.json')[0]!;
    const byIdnumber = criteria.find((c) => c.key === 'idnumber');
    return this.state.categories
      .filter((c) => !byIdnumber || c.idnumber === str(byIdnumber.value))
      .map((c) => ({
        ...template,
        ...c,
        visible: 1,
        coursecount: this.state.courses.filter((x) => x.categoryid === c.id).length,
      }));
  }

  private createCategories(input: Obj[]) {
    for (const c of input) {
      if (num(c.parent) !== 0 && !this.state.categories.some((x) => x.id === num(c.parent)))
        refuse('invalidparameter', `no parent ${str(c.parent)}`);
      if (str(c.idnumber) && this.state.categories.some((x) => x.idnumber === str(c.idnumber)))
        refuse('invalidparameter', 'categoryidnumbertaken');
    }
    return input.map((c) => {
      const parent = this.state.categories.find((x) => x.id === num(c.parent));
      const id = this.nextId();
      this.state.categories.push({
        id,
        name: str(c.name),
        idnumber: str(c.idnumber),
        parent: num(c.parent),
        depth: (parent?.depth ?? 0) + 1,
        path: `${parent?.path ?? ''}/${id}`,
      });
      return { id, name: str(c.name) };
    });
  }

  coursesBy(field: string, value: string) {
    const courses = this.state.courses;
    if (field === 'category') return courses.filter((c) => c.categoryid === Number(value));
    if (field === 'idnumber') return courses.filter((c) => c.idnumber === value);
    if (field === 'id') return courses.filter((c) => c.id === Number(value));
    return field === '' ? courses : [];
  }

  private courseOut(c: CurrentState['courses'][number]) {
    const template = moodleFixture<{ courses: Obj[] }>('courses-by-field.json').courses[0]!;
    return { ...template, ...c, displayname: c.fullname, visible: c.visible === false ? 0 : 1 };
  }

  private createCourses(input: Obj[]) {
    for (const c of input) {
      if (
        this.state.courses.some((x) => x.shortname === str(c.shortname)) ||
        input.filter((x) => x.shortname === c.shortname).length > 1
      )
        refuse('shortnametaken');
      if (this.state.courses.some((x) => x.idnumber === str(c.idnumber)))
        refuse('invalidparameter', 'courseidnumbertaken');
      if (!this.state.categories.some((x) => x.id === num(c.categoryid)))
        refuse('invalidparameter', `no category ${str(c.categoryid)}`);
    }
    return input.map((c) => {
      const id = this.nextId();
      this.state.courses.push({
        id,
        fullname: str(c.fullname),
        shortname: str(c.shortname),
        categoryid: num(c.categoryid),
        idnumber: str(c.idnumber),
        visible: true,
        ...(c.startdate === undefined ? {} : { startdate: num(c.startdate) }),
        ...(c.enddate === undefined ? {} : { enddate: num(c.enddate) }),
      });
      return { id, shortname: str(c.shortname) };
    });
  }

  private updateCourses(input: Obj[]) {
    for (const c of input) {
      const course = this.state.courses.find((x) => x.id === num(c.id));
      if (!course) continue;
      for (const k of ['fullname', 'shortname'] as const) if (c[k] !== undefined) course[k] = str(c[k]);
      for (const k of ['startdate', 'enddate', 'categoryid'] as const) if (c[k] !== undefined) course[k] = num(c[k]);
    }
    return { warnings: [] };
  }

  private usersBy(field: string, values: string[]) {
    const template = moodleFixture<Obj[]>('users-by-idnumber.json')[0]!;
    const match = (u: CurrentState['users'][number]) =>
      field === 'id'
        ? values.includes(String(u.id))
        : field === 'idnumber' || field === 'username' || field === 'email'
          ? values.includes(u[field] ?? '')
          : false;
    return this.state.users.filter(match).map((u) => ({ ...template, ...u, fullname: `${u.firstname} ${u.lastname}` }));
  }

  private createUsers(input: Obj[]) {
    const emails = new Set(this.state.users.map((u) => (u.email ?? '').toLowerCase()));
    const names = new Set(this.state.users.map((u) => u.username));
    for (const u of input) {
      const username = str(u.username);
      // PARAM_USERNAME: validate_param() rejects whatever cleaning would change (moodle.md §1).
      if (username !== username.trim().toLowerCase() || /[^-.@_a-z0-9]/.test(username))
        refuse('invalidparameter', `invalid username ${username}`);
      if (names.has(username)) refuse('invalidparameter', `Username already exists: ${username}`);
      if (emails.has(str(u.email).toLowerCase()))
        refuse('invalidparameter', `Email address already exists: ${str(u.email)}`);
      if (u.password === undefined && str(u.createpassword) !== '1')
        refuse('invalidparameter', 'Invalid password: you must provide a password, or set createpassword');
      names.add(username);
      emails.add(str(u.email).toLowerCase());
    }
    return input.map((u) => {
      const id = this.nextId();
      this.state.users.push({
        id,
        fullname: `${str(u.firstname)} ${str(u.lastname)}`,
        username: str(u.username),
        firstname: str(u.firstname),
        lastname: str(u.lastname),
        email: str(u.email),
        idnumber: str(u.idnumber),
        auth: str(u.auth) || 'manual',
        suspended: false,
      });
      return { id, username: str(u.username) };
    });
  }

  private updateUsers(input: Obj[]) {
    const warnings: Obj[] = [];
    for (const u of input) {
      const user = this.state.users.find((x) => x.id === num(u.id));
      if (!user) {
        warnings.push({ item: 'user', itemid: str(u.id), warningcode: 'invaliduserid', message: 'Invalid user ID' });
        continue;
      }
      for (const k of ['username', 'firstname', 'lastname', 'email'] as const)
        if (u[k] !== undefined) user[k] = str(u[k]);
      if (u.suspended !== undefined) user.suspended = str(u.suspended) === '1';
      user.fullname = `${user.firstname} ${user.lastname}`;
    }
    return { warnings: warnings.map((w) => ({ ...w, itemid: Number(w.itemid) })) };
  }

  /** The course's enrolled users (every enrolment method; `onlyactive` = active enrolments). */
  enrolled(courseid: number, options: Obj[]) {
    const opt = (name: string) => options.find((o) => o.name === name)?.value;
    const from = Number(str(opt('limitfrom')) || 0);
    const count = Number(str(opt('limitnumber')) || 0);
    const template = moodleFixture<Obj[]>('enrolled-users.json')[0]!;
    const course = this.state.courses.find((c) => c.id === courseid);
    const rows = this.state.enrolments.filter(
      (e) => e.courseid === courseid && (str(opt('onlyactive')) !== '1' || e.active),
    );
    const page = count > 0 ? rows.slice(from, from + count) : rows.slice(from);
    const users = new Map(this.state.users.map((u) => [u.id, u]));
    return page.map((e) => {
      const u = users.get(e.userid)!;
      return {
        ...template,
        id: u.id,
        username: u.username,
        firstname: u.firstname,
        lastname: u.lastname,
        fullname: u.fullname,
        email: u.email,
        idnumber: u.idnumber,
        roles: e.roleIds.map((roleid) => ({
          roleid,
          name: '',
          shortname: roleid === 11 ? 'student' : 'editingteacher',
          sortorder: 0,
        })),
        enrolledcourses: course ? [{ id: course.id, fullname: course.fullname, shortname: course.shortname }] : [],
      };
    });
  }

  private enrol(input: Obj[]) {
    const courses = new Set(this.state.courses.map((c) => c.id));
    const users = new Map(this.state.users.map((u) => [u.id, u]));
    for (const e of input) {
      if (!courses.has(num(e.courseid))) refuse('invalidparameter', `no course ${str(e.courseid)}`);
      if (!users.has(num(e.userid))) refuse('invalidparameter', `no user ${str(e.userid)}`);
      if (!this.roles.has(num(e.roleid))) refuse('accessexception');
    }
    const rows = new Map(this.state.enrolments.map((x) => [`${x.userid}|${x.courseid}`, x]));
    for (const e of input) {
      const userid = num(e.userid);
      const courseid = num(e.courseid);
      let row = rows.get(`${userid}|${courseid}`);
      if (!row) {
        row = { userid, courseid, idnumber: users.get(userid)?.idnumber, roleIds: [], active: true };
        this.state.enrolments.push(row);
        rows.set(`${userid}|${courseid}`, row);
      }
      if (!row.roleIds.includes(num(e.roleid))) row.roleIds.push(num(e.roleid));
      row.active = str(e.suspend) !== '1';
    }
    this.clock += 1;
    return null;
  }

  private unenrol(input: Obj[]) {
    this.state.enrolments = this.state.enrolments.filter(
      (x) => !input.some((e) => num(e.userid) === x.userid && num(e.courseid) === x.courseid),
    );
    return null;
  }

  /** A Moodle account by the hub's public id. */
  user(idnumber: string) {
    const u = this.state.users.find((x) => x.idnumber === idnumber);
    if (!u) throw new Error(`no Moodle user with idnumber ${idnumber}`);
    return u;
  }

  course(idnumber: string) {
    const c = this.state.courses.find((x) => x.idnumber === idnumber);
    if (!c) throw new Error(`no Moodle course with idnumber ${idnumber}`);
    return c;
  }
}
