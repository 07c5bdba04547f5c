/**
 * The diary's class-week read model (issue 8; src/domain/diary/class-weeks.ts).
 *
 * A diary shows the lessons of the student's classes for a week. Read from the core tables that is
 * one row per lesson, audience entry and homework, each found through two or three indexes: about
 * half of the database's work for a diary. `diary_weeks` keeps those rows once per class and week
 * (Monday), as one payload, and every writer keeps it honest through triggers: any insert, update
 * or delete of a lesson, its audience or its homework bumps `version` and clears `fresh` of the
 * class-weeks it touches (creating the row when missing). A payload is stored only under the version
 * it was built at (`update ... where version = ?`), so a build that raced a write is never kept.
 *
 * Also: class homework (homework.lesson_id null, given per class and date) gets the index its
 * read needs, (class_id, lesson_id, date); it was found through `lesson_id is null`.
 */
import type { Knex } from 'knex';
import { isMysql } from '../knex.ts';

export const name = '0009_diary_weeks';

/** Monday of the week of a YYYY-MM-DD date, as YYYY-MM-DD. */
const monday = (mysql: boolean, date: string) =>
  mysql ? `DATE_FORMAT(DATE_SUB(${date}, INTERVAL WEEKDAY(${date}) DAY), '%Y-%m-%d')` : `date(${date}, 'weekday 0', '-6 days')`;

/** One statement marking the class-weeks a SELECT yields (class_id, lesson date) as changed. */
function touch(mysql: boolean, classExpr: string, dateExpr: string, from: string): string {
  const select = `SELECT ${classExpr}, ${monday(mysql, dateExpr)}, 1, 0 ${from}`;
  return mysql
    ? `INSERT INTO diary_weeks (class_id, week, version, fresh) ${select} ON DUPLICATE KEY UPDATE version = diary_weeks.version + 1, fresh = 0`
    : `INSERT INTO diary_weeks (class_id, week, version, fresh) ${select} ON CONFLICT (class_id, week) DO UPDATE SET version = version + 1, fresh = 0`;
}

interface TriggerSpec {
  name: string;
  event: string;
  table: string;
  statements: (mysql: boolean) => string[];
}

const viaAudience = (mysql: boolean, row: 'NEW' | 'OLD') =>
  touch(mysql, `${row}.class_id`, 'l.date', `FROM lessons l WHERE l.id = ${row}.lesson_id`);
const viaLesson = (mysql: boolean, row: 'NEW' | 'OLD') =>
  touch(mysql, 'la.class_id', `${row}.date`, `FROM lesson_audience la WHERE la.lesson_id = ${row}.id`);
const viaHomework = (mysql: boolean, row: 'NEW' | 'OLD') =>
  touch(mysql, 'la.class_id', 'l.date', `FROM lessons l JOIN lesson_audience la ON la.lesson_id = l.id WHERE l.id = ${row}.lesson_id`);

const TRIGGERS: TriggerSpec[] = [
  { name: 'diary_weeks_audience_ins', event: 'AFTER INSERT', table: 'lesson_audience', statements: (m) => [viaAudience(m, 'NEW')] },
  { name: 'diary_weeks_audience_upd', event: 'AFTER UPDATE', table: 'lesson_audience', statements: (m) => [viaAudience(m, 'OLD'), viaAudience(m, 'NEW')] },
  { name: 'diary_weeks_audience_del', event: 'AFTER DELETE', table: 'lesson_audience', statements: (m) => [viaAudience(m, 'OLD')] },
  // A new lesson has no audience yet: its audience rows mark the week when they are written.
  { name: 'diary_weeks_lesson_upd', event: 'AFTER UPDATE', table: 'lessons', statements: (m) => [viaLesson(m, 'OLD'), viaLesson(m, 'NEW')] },
  { name: 'diary_weeks_lesson_del', event: 'AFTER DELETE', table: 'lessons', statements: (m) => [viaLesson(m, 'OLD')] },
  { name: 'diary_weeks_homework_ins', event: 'AFTER INSERT', table: 'homework', statements: (m) => [viaHomework(m, 'NEW')] },
  { name: 'diary_weeks_homework_upd', event: 'AFTER UPDATE', table: 'homework', statements: (m) => [viaHomework(m, 'OLD'), viaHomework(m, 'NEW')] },
  { name: 'diary_weeks_homework_del', event: 'AFTER DELETE', table: 'homework', statements: (m) => [viaHomework(m, 'OLD')] },
];

function createTrigger(mysql: boolean, t: TriggerSpec): string {
  const body = t.statements(mysql);
  return mysql
    ? `CREATE TRIGGER ${t.name} ${t.event} ON ${t.table} FOR EACH ROW BEGIN ${body.join('; ')}; END`
    : `CREATE TRIGGER ${t.name} ${t.event} ON ${t.table} BEGIN ${body.join('; ')}; END`;
}

export async function up(knex: Knex): Promise<void> {
  const mysql = isMysql(knex);
  await knex.schema.createTable('diary_weeks', (t) => {
    t.bigInteger('class_id').notNullable();
    t.string('week', 10).notNullable();
    t.bigInteger('version').notNullable().defaultTo(0);
    t.boolean('fresh').notNullable().defaultTo(false);
    t.text('payload', 'mediumtext').nullable();
    t.primary(['class_id', 'week']);
    t.index(['fresh', 'week'], 'diary_weeks_fresh');
  });
  for (const t of TRIGGERS) await knex.raw(createTrigger(mysql, t));
  // Weeks that already have lessons are built by the refresher (or on their first read).
  await knex.raw(
    `INSERT INTO diary_weeks (class_id, week, version, fresh) SELECT DISTINCT la.class_id, ${monday(mysql, 'l.date')}, 1, 0` +
      ' FROM lesson_audience la JOIN lessons l ON l.id = la.lesson_id',
  );
  await knex.schema.alterTable('homework', (t) => t.index(['class_id', 'lesson_id', 'date'], 'homework_class_date'));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('homework', (t) => t.dropIndex(['class_id', 'lesson_id', 'date'], 'homework_class_date'));
  for (const t of TRIGGERS) await knex.raw(`DROP TRIGGER IF EXISTS ${t.name}`);
  await knex.schema.dropTable('diary_weeks');
}
