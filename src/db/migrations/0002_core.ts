/** The core model (ARCHITECTURE.md, "The core model"): vendor-neutral tables. */
import type { Knex } from 'knex';
import { coreColumns, instant } from '../columns.ts';

export const name = '0002_core';

type Def = (t: Knex.CreateTableBuilder) => void;

const tables: [string, Def][] = [
  ['organizations', (t) => {
    t.string('code', 64).notNullable().unique();
    t.string('name', 255).notNullable();
    t.string('short_name', 128).nullable();
    t.string('kind', 32).notNullable();
    t.bigInteger('parent_id').nullable().index();
    t.string('inn', 12).nullable();
    t.string('okpo', 14).nullable();
    t.string('time_zone', 64).notNullable();
  }],
  ['persons', (t) => {
    t.string('last_name', 128).notNullable();
    t.string('first_name', 128).notNullable();
    t.string('middle_name', 128).nullable();
    t.string('birth_date', 10).nullable();
    t.string('sex', 8).nullable();
    t.string('snils', 11).nullable().unique();
    t.boolean('snils_checked').nullable();
    t.string('esia_id', 64).nullable().index();
    /** Lower-cased full name with ё folded to е: the identity key inside one organization. */
    t.string('name_key', 255).notNullable();
    t.bigInteger('merged_into').nullable();
    t.index(['name_key', 'birth_date']);
  }],
  ['person_consents', (t) => {
    t.bigInteger('person_id').notNullable();
    t.string('purpose', 32).notNullable();
    t.string('status', 16).notNullable();
    t.string('decided_on', 10).nullable();
    t.string('origin', 191).nullable();
    t.index(['person_id']);
  }],
  ['staff', (t) => {
    t.bigInteger('person_id').notNullable().index();
    t.bigInteger('organization_id').notNullable();
    t.string('position', 191).nullable();
    t.string('short_code', 64).nullable();
    t.index(['organization_id', 'short_code']);
  }],
  ['guardians', (t) => {
    t.bigInteger('guardian_id').notNullable().index();
    t.bigInteger('student_id').notNullable().index();
    t.string('relation', 32).nullable();
    t.string('phone', 32).nullable();
    t.string('email', 191).nullable();
    t.boolean('notify_sms').notNullable().defaultTo(true);
  }],
  ['academic_years', (t) => {
    t.bigInteger('organization_id').notNullable();
    t.string('code', 16).notNullable();
    t.string('from_date', 10).notNullable();
    t.string('to_date', 10).notNullable();
  }],
  ['terms', (t) => {
    t.bigInteger('organization_id').notNullable();
    t.string('year_code', 16).notNullable();
    t.string('code', 16).notNullable();
    t.string('name', 64).notNullable();
    t.string('from_date', 10).notNullable();
    t.string('to_date', 10).notNullable();
  }],
  ['classes', (t) => {
    t.bigInteger('organization_id').notNullable();
    t.string('year_code', 16).notNullable();
    t.string('name', 32).notNullable();
    t.integer('grade').nullable();
    t.string('letter', 8).nullable();
    t.bigInteger('homeroom_id').nullable();
    t.index(['organization_id', 'year_code']);
  }],
  ['class_groups', (t) => {
    t.bigInteger('class_id').notNullable().index();
    t.string('name', 64).notNullable();
  }],
  ['enrollments', (t) => {
    t.bigInteger('person_id').notNullable().index();
    t.bigInteger('organization_id').notNullable().index();
    t.bigInteger('class_id').notNullable().index();
    t.bigInteger('group_id').nullable();
    t.string('from_date', 10).notNullable();
    t.string('to_date', 10).nullable();
    t.string('reason_in', 16).notNullable();
    t.string('reason_out', 16).nullable();
  }],
  ['subjects', (t) => {
    t.bigInteger('organization_id').notNullable().index();
    t.string('name', 191).notNullable();
    t.string('short_name', 64).nullable();
  }],
  ['rooms', (t) => {
    t.bigInteger('organization_id').notNullable().index();
    t.string('name', 128).notNullable();
  }],
  ['bell_periods', (t) => {
    t.bigInteger('organization_id').notNullable();
    t.integer('period').notNullable();
    t.string('start_time', 5).notNullable();
    t.string('end_time', 5).notNullable();
  }],
  ['lessons', (t) => {
    t.bigInteger('organization_id').notNullable();
    t.string('date', 10).notNullable();
    t.integer('period').notNullable();
    t.string('start_time', 5).notNullable();
    t.string('end_time', 5).notNullable();
    t.bigInteger('subject_id').nullable();
    t.bigInteger('room_id').nullable();
    t.string('audience_key', 191).notNullable();
    t.text('teacher_ids').nullable();
    t.string('status', 16).notNullable().defaultTo('scheduled');
    t.text('replaced').nullable();
    t.text('topic').nullable();
    t.index(['organization_id', 'date']);
  }],
  ['lesson_audience', (t) => {
    t.bigInteger('lesson_id').notNullable().index();
    t.bigInteger('class_id').notNullable();
    t.bigInteger('group_id').nullable();
    t.index(['class_id']);
  }],
  ['marks', (t) => {
    t.bigInteger('student_id').notNullable();
    t.bigInteger('subject_id').nullable();
    t.bigInteger('lesson_id').nullable().index();
    t.bigInteger('organization_id').notNullable();
    t.string('date', 10).notNullable();
    t.string('value', 16).notNullable();
    t.decimal('numeric_value', 6, 2).nullable();
    t.decimal('weight', 6, 2).notNullable().defaultTo(1);
    t.string('work_type', 64).nullable();
    t.decimal('score', 10, 2).nullable();
    t.decimal('max_score', 10, 2).nullable();
    t.index(['student_id', 'date']);
  }],
  ['period_marks', (t) => {
    t.bigInteger('student_id').notNullable();
    t.bigInteger('subject_id').notNullable();
    t.string('term_code', 16).notNullable();
    t.string('value', 16).notNullable();
    t.decimal('average', 6, 3).nullable();
    t.boolean('proposed').notNullable();
    t.index(['student_id']);
  }],
  ['homework', (t) => {
    t.bigInteger('lesson_id').nullable().index();
    t.bigInteger('organization_id').notNullable();
    t.text('text').notNullable();
    t.string('due_date', 10).nullable();
  }],
  ['attendance', (t) => {
    t.bigInteger('student_id').notNullable();
    t.string('date', 10).notNullable();
    t.bigInteger('lesson_id').nullable();
    t.bigInteger('organization_id').notNullable();
    t.string('status', 16).notNullable();
    t.integer('minutes_late').nullable();
    t.integer('precedence').notNullable();
    t.index(['student_id', 'date']);
  }],
  ['access_events', (t) => {
    t.bigInteger('organization_id').notNullable();
    t.bigInteger('person_id').nullable();
    t.string('card', 64).nullable();
    instant(t, 'occurred_at', false);
    t.string('direction', 8).notNullable();
    t.string('device', 64).nullable();
    t.index(['organization_id', 'occurred_at']);
  }],
];

export const CORE_TABLES = tables.map(([n]) => n);

export async function up(knex: Knex): Promise<void> {
  for (const [table, def] of tables) {
    await knex.schema.createTable(table, (t) => {
      coreColumns(t);
      def(t);
    });
  }
  await knex.schema.createTable('consent_history', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('person_id').notNullable().index();
    t.string('purpose', 32).notNullable();
    t.string('status', 16).notNullable();
    t.string('decided_on', 10).nullable();
    t.string('origin', 191).nullable();
    t.string('recorded_by', 128).notNullable();
    instant(t, 'recorded_at', false);
  });
  await knex.schema.createTable('review_items', (t) => {
    t.bigIncrements('id').primary();
    t.string('kind', 32).notNullable();
    t.bigInteger('person_id').notNullable();
    t.bigInteger('candidate_id').notNullable();
    t.string('reason', 191).notNullable();
    t.string('status', 16).notNullable();
    t.string('run_id', 36).nullable();
    instant(t, 'created_at', false);
    t.unique(['kind', 'person_id', 'candidate_id']);
  });
  await knex.schema.createTable('merges', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('kept_id').notNullable();
    t.bigInteger('merged_id').notNullable();
    t.text('moved').notNullable();
    instant(t, 'merged_at', false);
    instant(t, 'unmerged_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ['merges', 'review_items', 'consent_history', ...CORE_TABLES.slice().reverse()]) {
    await knex.schema.dropTableIfExists(t);
  }
}
