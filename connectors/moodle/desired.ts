/**
 * What the hub wants Moodle to hold, built from the rows of the export sources `lms.courses` and
 * `lms.users` (src/domain/lms/export-sources.ts). Rows are parsed here, at the boundary.
 *
 * - a category per school, keyed by the organization's public id;
 * - a course per class and subject (src/domain/lms/course-key.ts), subjects from the class's
 *   lessons, else from `subjectsByGrade`; shortname `<school code> <year> <class> <subject>`,
 *   unique because the hub holds one class of a name per school and year;
 * - an account per person, keyed by the person's public id; a withdrawn person (consent refused,
 *   deleted) only gets an existing account suspended;
 * - student enrolments in their class's courses, teacher enrolments where the timetable has them
 *   teach.
 */
import { z } from 'zod';
import type { ExportRow } from '../../src/core/contract.ts';
import { lmsCourseKey, lmsSubjectKey } from '../../src/domain/lms/course-key.ts';
import type { MoodleConfig } from './config.ts';
import type { DesiredCategory, DesiredCourse, DesiredEnrolment, DesiredUser } from './sync-types.ts';
import { assignUsernames } from './usernames.ts';

const schoolRow = z.object({
  kind: z.literal('school'),
  code: z.string(),
  name: z.string(),
  short_name: z.string().nullish(),
});
const classRow = z.object({
  kind: z.literal('class'),
  name: z.string(),
  grade: z.number().nullish(),
  year: z.string(),
  starts_at: z.string().nullish(),
  ends_at: z.string().nullish(),
  organization: z.string(),
  organization_id: z.string(),
  subjects: z.array(z.string()),
});
const courseRow = z.discriminatedUnion('kind', [schoolRow, classRow]);

const person = {
  last_name: z.string(),
  first_name: z.string(),
  active: z.boolean(),
  organization_id: z.string().nullish(),
};
const studentRow = z.object({
  role: z.literal('student'),
  ...person,
  class_id: z.string(),
  grade: z.number().nullish(),
  class_subjects: z.array(z.string()),
});
const teacherRow = z.object({
  role: z.literal('teacher'),
  ...person,
  teaches: z.array(z.object({ class_id: z.string(), subject: z.string() })),
});
const personRow = z.discriminatedUnion('role', [studentRow, teacherRow]);
type PersonRow = z.infer<typeof personRow>;

/** A row the sources should never produce: reported for that row, the others go on. */
export interface RowProblem {
  code: string;
  message: string;
}

function problem(error: z.ZodError): RowProblem {
  const issue = error.issues[0];
  return { code: 'moodle_bad_row', message: `${issue?.path.join('.') || 'row'}: ${issue?.message ?? 'invalid'}` };
}

/** The subjects of a class: what its lessons teach, else what the configuration lists for its grade. */
function subjectsOf(lessons: readonly string[], grade: number | null | undefined, config: MoodleConfig): string[] {
  if (lessons.length > 0) return [...lessons];
  return grade == null ? [] : (config.subjectsByGrade[String(grade)] ?? []);
}

const unixSeconds = (iso: string | null | undefined) => (iso ? Math.floor(Date.parse(iso) / 1000) : undefined);

export interface CourseWish {
  categories: DesiredCategory[];
  courses: DesiredCourse[];
  /** Class public id -> the idnumbers of its courses (empty: no subject known for the class). */
  coursesOf: Map<string, string[]>;
  problems: Map<string, RowProblem>;
}

export function desiredCourses(rows: readonly ExportRow[], config: MoodleConfig): CourseWish {
  const wish: CourseWish = { categories: [], courses: [], coursesOf: new Map(), problems: new Map() };
  for (const row of rows) {
    if (row.kind !== 'upsert') continue;
    const parsed = courseRow.safeParse(row.data);
    if (!parsed.success) {
      wish.problems.set(row.publicId, problem(parsed.error));
      continue;
    }
    const d = parsed.data;
    if (d.kind === 'school') {
      wish.categories.push({ idnumber: row.publicId, name: d.short_name || d.name });
      continue;
    }
    const bySubject = new Map<string, string>();
    for (const s of subjectsOf(d.subjects, d.grade, config))
      if (!bySubject.has(lmsSubjectKey(s))) bySubject.set(lmsSubjectKey(s), s);
    const idnumbers: string[] = [];
    for (const subject of bySubject.values()) {
      const idnumber = lmsCourseKey(row.publicId, subject);
      const startdate = unixSeconds(d.starts_at);
      const enddate = unixSeconds(d.ends_at);
      wish.courses.push({
        idnumber,
        fullname: `${d.name} ${subject} (${d.year})`,
        shortname: `${d.organization} ${d.year} ${d.name} ${subject}`,
        categoryIdnumber: d.organization_id,
        ...(startdate === undefined ? {} : { startdate }),
        ...(enddate === undefined ? {} : { enddate }),
      });
      idnumbers.push(idnumber);
    }
    wish.coursesOf.set(row.publicId, idnumbers);
  }
  return wish;
}

export interface PeopleWish {
  users: DesiredUser[];
  enrolments: DesiredEnrolment[];
  /** Public ids of the schools the rows belong to: whose course categories to read. */
  schools: Set<string>;
  problems: Map<string, RowProblem>;
}

export function desiredPeople(rows: readonly ExportRow[], config: MoodleConfig): PeopleWish {
  const wish: PeopleWish = { users: [], enrolments: [], schools: new Set(), problems: new Map() };
  const people = new Map<string, PersonRow[]>();
  const withdrawn = new Set<string>();
  for (const row of rows) {
    if (row.kind === 'tombstone') {
      withdrawn.add(row.publicId);
      continue;
    }
    const parsed = personRow.safeParse(row.data);
    if (!parsed.success) wish.problems.set(row.publicId, problem(parsed.error));
    else people.set(row.publicId, [...(people.get(row.publicId) ?? []), parsed.data]);
  }
  const usernames = assignUsernames(
    [...people].map(([idnumber, [first]]) => ({ idnumber, lastname: first!.last_name, firstname: first!.first_name })),
  );
  for (const [idnumber, roles] of people) {
    if (withdrawn.has(idnumber)) continue;
    const [first] = roles as [PersonRow, ...PersonRow[]];
    const username = usernames.get(idnumber)!;
    // Someone both studying and working here (rare) gets one account with both roles.
    const active = roles.some((r) => r.active);
    wish.users.push({
      idnumber,
      username,
      firstname: first.first_name,
      lastname: first.last_name,
      email: `${username}@${config.emailDomain}`,
      status: active ? 'active' : 'left',
    });
    const courses = new Map<string, DesiredEnrolment>();
    for (const r of roles) {
      if (r.organization_id) wish.schools.add(r.organization_id);
      const wanted =
        r.role === 'student'
          ? subjectsOf(r.class_subjects, r.grade, config).map((s) => lmsCourseKey(r.class_id, s))
          : r.teaches.map((t) => lmsCourseKey(t.class_id, t.subject));
      for (const courseIdnumber of wanted) {
        const role = r.role === 'student' ? 'student' : 'teacher';
        courses.set(`${courseIdnumber}|${role}`, { userIdnumber: idnumber, courseIdnumber, role });
      }
    }
    wish.enrolments.push(...courses.values());
  }
  for (const idnumber of withdrawn) {
    wish.users.push({ idnumber, username: '', firstname: '', lastname: '', email: '', status: 'withdrawn' });
  }
  return wish;
}
