/**
 * Component schemas of /api/v1/openapi.json: the answers of the diary API as JSON Schema (the
 * subset OpenAPI 3.0 and ajv share). They describe src/domain/diary/views.ts and the feed items;
 * the API tests validate real answers against them, so a drift between code and document fails.
 */
import { operationOutcomeSchema, scheduleSchema } from '../myschool/schema.ts';

const str = { type: 'string' };
const nstr = { type: 'string', nullable: true };
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const ndate = { ...date, nullable: true };
const time = { type: 'string', pattern: '^\\d{2}:\\d{2}' };
const uuid = { type: 'string', format: 'uuid' };
const nuuid = { ...uuid, nullable: true };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const obj = (required: string[], properties: Record<string, unknown>) => ({ type: 'object', additionalProperties: false, required, properties });
const nullable = (name: string) => ({ allOf: [ref(name)], nullable: true });

const subjectRef = obj(['id', 'name'], { id: uuid, name: str });
const mark = obj(['id', 'date', 'value', 'numericValue', 'weight', 'workType', 'subject', 'lessonId'], {
  id: uuid, date, value: { ...str, description: 'as written: "5", "4", "зач", "н/а"' }, numericValue: { type: 'number', nullable: true },
  weight: { type: 'number' }, workType: nstr, subject: nullable('SubjectRef'), lessonId: nuuid,
});
const attendance = obj(['status', 'minutesLate'], {
  status: { ...str, description: 'present | absent | late | excused | ill | left_early' }, minutesLate: { type: 'integer', nullable: true },
});
const homework = obj(['id', 'text', 'dueDate'], { id: uuid, text: str, dueDate: ndate });
const lessonProps = {
  id: uuid, date, period: { type: 'integer' }, startTime: time, endTime: time, subject: nullable('SubjectRef'),
  teachers: { type: 'array', items: obj(['id', 'name'], { id: uuid, name: str }) }, room: nstr, topic: nstr,
  status: { ...str, description: 'scheduled, or what the day\'s changes made of it (substituted, cancelled, ...)' },
  insteadOf: { ...obj(['id', 'name'], { id: nuuid, name: str }), nullable: true }, note: nstr,
  audience: { type: 'array', items: str, description: 'classes and subgroups: "5А", "5А/1"' },
};
const lessonRequired = Object.keys(lessonProps);
const feedItem = obj(['changeVersion', 'kind', 'op', 'id', 'key'], {
  changeVersion: { type: 'integer' }, kind: { enum: ['lesson', 'mark', 'attendance', 'homework'] }, op: { enum: ['upsert', 'delete'] },
  id: uuid, reason: { enum: ['deleted', 'consent_refused'] },
  key: { type: 'object', description: 'the natural key in public terms (student id, date, lesson id, organization, period, audience)' },
  data: { type: 'object', description: 'the row as the student routes show it, plus studentId and organization (upserts only)' },
});

export const componentSchemas: Record<string, unknown> = {
  Error: obj(['error'], { error: obj(['code', 'message', 'requestId'], { code: str, message: str, requestId: str, field: str }) }),
  SubjectRef: subjectRef,
  Mark: mark,
  Attendance: attendance,
  Homework: homework,
  Lesson: obj(lessonRequired, lessonProps),
  DiaryLesson: obj([...lessonRequired, 'marks', 'attendance', 'homework'], {
    ...lessonProps, marks: { type: 'array', items: ref('Mark') }, attendance: nullable('Attendance'), homework: { type: 'array', items: ref('Homework') },
  }),
  DiaryDay: obj(['date', 'lessons', 'marks', 'attendance', 'homework'], {
    date, lessons: { type: 'array', items: ref('DiaryLesson') }, marks: { type: 'array', items: ref('Mark') }, attendance: nullable('Attendance'), homework: { type: 'array', items: ref('Homework') },
  }),
  Diary: obj(['studentId', 'from', 'to', 'days'], { studentId: uuid, from: date, to: date, days: { type: 'array', items: ref('DiaryDay') } }),
  Marks: obj(['studentId', 'from', 'to', 'marks'], { studentId: uuid, from: date, to: date, marks: { type: 'array', items: ref('Mark') } }),
  AttendanceList: obj(['studentId', 'from', 'to', 'attendance'], {
    studentId: uuid, from: date, to: date,
    attendance: { type: 'array', items: obj(['id', 'date', 'lessonId', 'status', 'minutesLate'], { id: uuid, date, lessonId: nuuid, status: str, minutesLate: { type: 'integer', nullable: true } }) },
  }),
  Timetable: obj(['studentId', 'from', 'to', 'lessons'], { studentId: uuid, from: date, to: date, lessons: { type: 'array', items: ref('Lesson') } }),
  PeriodMarks: obj(['studentId', 'periodMarks'], {
    studentId: uuid,
    periodMarks: { type: 'array', items: obj(['id', 'subject', 'term', 'year', 'value', 'average', 'proposed'], { id: uuid, subject: nullable('SubjectRef'), term: str, year: nstr, value: str, average: { type: 'number', nullable: true }, proposed: { type: 'boolean' } }) },
  }),
  SearchResult: obj(['students'], {
    students: { type: 'array', items: obj(['id', 'enrollments'], {
      id: uuid,
      enrollments: { type: 'array', items: obj(['organization', 'class', 'group', 'from', 'to'], {
        organization: obj(['id', 'code', 'name'], { id: uuid, code: str, name: str }),
        class: obj(['id', 'name', 'grade'], { id: uuid, name: str, grade: { type: 'integer', nullable: true } }),
        group: nstr, from: date, to: ndate,
      }) },
    }) },
  }),
  FeedItem: feedItem,
  ChangesPage: obj(['minChangeVersion', 'maxChangeVersion', 'nextMinChangeVersion', 'hasMore', 'items'], {
    minChangeVersion: { type: 'integer' }, maxChangeVersion: { type: 'integer', description: 'the window read: never above the committed watermark' },
    nextMinChangeVersion: { type: 'integer' }, hasMore: { type: 'boolean' }, items: { type: 'array', items: ref('FeedItem') },
  }),
  AvailableChangeVersions: obj(['oldestChangeVersion', 'newestChangeVersion'], { oldestChangeVersion: { type: 'integer' }, newestChangeVersion: { type: 'integer' } }),
  MySchoolSchedule: stripIds(scheduleSchema),
  OperationOutcome: stripIds(operationOutcomeSchema),
};

/** OpenAPI 3.0 schema objects carry no `$id` and no `const`. */
function stripIds(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(stripIds);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$id') continue;
    if (k === 'const') out.enum = [v];
    else out[k] = stripIds(v);
  }
  return out;
}
