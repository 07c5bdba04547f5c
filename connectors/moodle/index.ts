/**
 * Moodle: the hub pushes the roster (a category per school, a course per class and subject,
 * accounts and enrolments, all keyed by idnumber = public id) over REST web services and pulls
 * grades back into diary marks. See README.md.
 */
import { defineConnector, type ExportRow } from '../../src/core/contract.ts';
import { PermanentError } from '../../src/core/errors.ts';
import { createMoodleClient } from './client.ts';
import { type MoodleConfig, clientOptions, moodleConfigSchema } from './config.ts';
import { GRADE_FUNCTIONS, ROSTER_FUNCTIONS, getSiteInfo, missingFunctions } from './site.ts';
import { pushCourses } from './streams/push-courses.ts';
import { pushUsers } from './streams/push-users.ts';
import { readAssignGrades } from './streams/read-assign-grades.ts';
import { readGradeItems } from './streams/read-grade-items.ts';
import { readQuizGrades } from './streams/read-quiz-grades.ts';

/** Grade streams share one mapping and one load target (`moodle.grade`). */
const grades = { kind: 'events', direction: 'import', mapping: 'grades' } as const;

export const moodleConnector = defineConnector<MoodleConfig>({
  id: 'moodle',
  version: '1.0.0',
  description: 'Moodle LMS over REST web services: roster push (purpose lms), grades pulled into marks',
  configSchema: moodleConfigSchema,
  streams: [
    // Snapshots: each run hands write() the whole scope and Moodle is diffed against it.
    {
      name: 'courses',
      kind: 'snapshot',
      direction: 'export',
      exportSource: 'lms.courses',
      primaryKey: ['publicId'],
      onMissing: 'ignore',
    },
    {
      name: 'users',
      kind: 'snapshot',
      direction: 'export',
      exportSource: 'lms.users',
      primaryKey: ['publicId'],
      onMissing: 'ignore',
      dependsOn: ['courses'],
    },
    { name: 'grade_items', ...grades, primaryKey: ['item_key', 'userid'], dependsOn: ['users'] },
    {
      name: 'assign_grades',
      ...grades,
      primaryKey: ['item_key', 'userid'],
      cursorField: 'graded_at',
      dependsOn: ['users'],
    },
    { name: 'quiz_grades', ...grades, primaryKey: ['item_key', 'userid'], dependsOn: ['users'] },
  ],

  /** One call: the token works, REST answers, and every function the instance needs is offered. */
  async check(config, ctx) {
    const client = createMoodleClient(clientOptions(config));
    const info = await getSiteInfo(client);
    const required = config.grades ? [...ROSTER_FUNCTIONS, ...GRADE_FUNCTIONS] : ROSTER_FUNCTIONS;
    const missing = missingFunctions(info, required);
    if (missing.length > 0) {
      throw new PermanentError(
        'moodle_missing_functions',
        `the external service of user ${info.username} lacks ${missing.join(', ')}; add them ` +
          'under Site administration › Server › Web services › External services › Functions',
      );
    }
    ctx.log.info('moodle reachable', { site: info.sitename, release: info.release, user: info.username });
  },

  async *write(stream, config, rows, ctx) {
    const all: ExportRow[] = [];
    for await (const row of rows) all.push(row);
    const client = createMoodleClient(clientOptions(config));
    if (stream === 'courses') yield* pushCourses(client, config, all, ctx);
    else if (stream === 'users') yield* pushUsers(client, config, all, ctx);
    else throw new PermanentError('bad_stream', `moodle has no export stream ${stream}`);
  },

  async *read(stream, config, ctx) {
    if (!config.grades) {
      ctx.log.info('moodle: grades are not read (config grades: false)', { instance: ctx.instance, stream });
      return;
    }
    const client = createMoodleClient(clientOptions(config));
    if (stream === 'grade_items') yield* readGradeItems(client);
    else if (stream === 'assign_grades') yield* readAssignGrades(client, ctx.state);
    else if (stream === 'quiz_grades') yield* readQuizGrades(client, config);
    else throw new PermanentError('bad_stream', `moodle has no import stream ${stream}`);
  },
});

export default moodleConnector;
