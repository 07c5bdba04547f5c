/**
 * The state-services portal (issue 8): the diary read path and the change feed.
 *
 * A diary asks "the lessons of class C (subgroup G) in week W". Through lesson_audience by class
 * alone that visits every lesson the class ever had (a year: about a thousand) to check its date.
 * So lesson_audience gets a copy of its lesson's date, indexed with the class, kept by triggers
 * for every writer: set when an audience row is written, followed if a lesson's date is updated
 * (it should not be: the date is part of a lesson's natural key). Readers still check lessons.date.
 */
import type { Knex } from 'knex';
import { isMysql } from '../knex.ts';

export const name = '0007_portal';

const FEED_TABLES = ['lessons', 'marks', 'attendance', 'homework'];

const mysqlTriggers = [
  `CREATE TRIGGER lesson_audience_date_ins BEFORE INSERT ON lesson_audience FOR EACH ROW
     SET NEW.date = (SELECT l.date FROM lessons l WHERE l.id = NEW.lesson_id)`,
  `CREATE TRIGGER lesson_audience_date_upd BEFORE UPDATE ON lesson_audience FOR EACH ROW
     SET NEW.date = IF(NEW.lesson_id <=> OLD.lesson_id AND NEW.date IS NOT NULL, NEW.date, (SELECT l.date FROM lessons l WHERE l.id = NEW.lesson_id))`,
  `CREATE TRIGGER lessons_date_to_audience AFTER UPDATE ON lessons FOR EACH ROW
     UPDATE lesson_audience SET date = NEW.date WHERE lesson_id = NEW.id AND NOT (date <=> NEW.date)`,
];

const sqliteTriggers = [
  `CREATE TRIGGER lesson_audience_date_ins AFTER INSERT ON lesson_audience BEGIN
     UPDATE lesson_audience SET date = (SELECT l.date FROM lessons l WHERE l.id = NEW.lesson_id) WHERE id = NEW.id; END`,
  `CREATE TRIGGER lesson_audience_date_upd AFTER UPDATE OF lesson_id ON lesson_audience BEGIN
     UPDATE lesson_audience SET date = (SELECT l.date FROM lessons l WHERE l.id = NEW.lesson_id) WHERE id = NEW.id; END`,
  `CREATE TRIGGER lessons_date_to_audience AFTER UPDATE OF date ON lessons BEGIN
     UPDATE lesson_audience SET date = NEW.date WHERE lesson_id = NEW.id; END`,
];

const TRIGGERS = ['lesson_audience_date_ins', 'lesson_audience_date_upd', 'lessons_date_to_audience'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('lesson_audience', (t) => {
    t.string('date', 10).nullable();
    // Covers "lessons of class C in [from, to]" with the subgroup: one index range, no lookups.
    t.index(['class_id', 'date', 'group_id', 'lesson_id'], 'lesson_audience_class_date');
  });
  await knex.raw('UPDATE lesson_audience SET date = (SELECT l.date FROM lessons l WHERE l.id = lesson_audience.lesson_id)');
  for (const sql of isMysql(knex) ? mysqlTriggers : sqliteTriggers) await knex.raw(sql);
  // The feed scans each table in change-version order and keeps the client's organizations: with
  // the organization in the index that filter needs no row lookups.
  for (const table of FEED_TABLES) {
    await knex.schema.alterTable(table, (t) => t.index(['change_version', 'organization_id'], `${table}_cv_org`));
  }
  await knex.schema.alterTable('person_consents', (t) => {
    t.index(['purpose', 'change_version'], 'person_consents_purpose_cv');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('person_consents', (t) => t.dropIndex(['purpose', 'change_version'], 'person_consents_purpose_cv'));
  for (const table of FEED_TABLES) {
    await knex.schema.alterTable(table, (t) => t.dropIndex(['change_version', 'organization_id'], `${table}_cv_org`));
  }
  for (const trigger of TRIGGERS) await knex.raw(`DROP TRIGGER IF EXISTS ${trigger}`);
  await knex.schema.alterTable('lesson_audience', (t) => {
    t.dropIndex(['class_id', 'date', 'group_id', 'lesson_id'], 'lesson_audience_class_date');
    t.dropColumn('date');
  });
}
