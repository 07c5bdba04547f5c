/**
 * Moodle: the hub writes the roster (categories, courses, users, enrolments keyed by idnumber)
 * over REST web services and reads grades back. This file declares the connector; the export
 * wiring (core query -> sync plan -> write results) is done by the pipeline.
 */
import { defineConnector } from '../../src/core/contract.ts';
import { PermanentError } from '../../src/core/errors.ts';
import { createMoodleClient } from './client.ts';
import { type MoodleConfig, clientOptions, moodleConfigSchema } from './config.ts';
import { GRADE_FUNCTIONS, ROSTER_FUNCTIONS, getSiteInfo, missingFunctions } from './site.ts';

export const moodleConnector = defineConnector<MoodleConfig>({
  id: 'moodle',
  version: '0.1.0',
  description: 'Moodle LMS over REST web services: roster export, grade import',
  configSchema: moodleConfigSchema,
  streams: [
    // Exports. Snapshot = the hub's full wish for its scope; nothing missing is ever deleted.
    { name: 'categories', kind: 'snapshot', primaryKey: ['idnumber'], onMissing: 'ignore' },
    {
      name: 'courses',
      kind: 'snapshot',
      primaryKey: ['idnumber'],
      onMissing: 'ignore',
      dependsOn: ['categories'],
    },
    { name: 'users', kind: 'snapshot', primaryKey: ['idnumber'], onMissing: 'ignore' },
    {
      name: 'enrolments',
      kind: 'snapshot',
      primaryKey: ['userIdnumber', 'courseIdnumber'],
      onMissing: 'ignore',
      dependsOn: ['users', 'courses'],
    },
    // Imports.
    { name: 'grade_items', kind: 'events', primaryKey: ['courseid', 'userid', 'id'] },
    {
      name: 'assign_grades',
      kind: 'events',
      primaryKey: ['assignmentid', 'userid', 'attemptnumber'],
      cursorField: 'timemodified',
    },
    { name: 'quiz_best_grades', kind: 'events', primaryKey: ['quizid', 'userid'] },
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
    ctx.log.info('moodle reachable', {
      site: info.sitename,
      release: info.release,
      user: info.username,
    });
  },
});

export default moodleConnector;
