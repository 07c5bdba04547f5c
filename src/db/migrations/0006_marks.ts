/**
 * Marks from every source (issue 6): the per-organization assessment register (which test, quiz or
 * voting session is which subject, class, work type and weight), the register of participant ids
 * (voting devices per class, quiz accounts), and the columns marks, period marks and homework need
 * beside the core ones.
 */
import type { Knex } from 'knex';
import { coreColumns, instant } from '../columns.ts';

export const name = '0006_marks';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('assessment_register', (t) => {
    coreColumns(t);
    t.bigInteger('organization_id').notNullable();
    /** The source's own id of the test, quiz or session (QTI testResult@identifier, a file name). */
    t.string('test_id', 191).notNullable();
    t.string('title', 255).nullable();
    t.bigInteger('subject_id').notNullable();
    t.bigInteger('class_id').nullable();
    t.string('work_type', 64).notNullable();
    t.decimal('weight', 6, 2).notNullable();
    t.string('date', 10).nullable();
    t.decimal('max_score', 10, 2).nullable();
    /** Name of a hub.yaml mark scale; the organization's default scale when null. */
    t.string('scale', 64).nullable();
    t.index(['organization_id', 'test_id']);
  });
  await knex.schema.createTable('assessment_participants', (t) => {
    coreColumns(t);
    t.bigInteger('organization_id').notNullable();
    /** Devices are assigned per class (the same set of remotes serves many classes). */
    t.bigInteger('class_id').nullable();
    t.string('kind', 16).notNullable();
    t.string('external_id', 191).notNullable();
    t.bigInteger('person_id').notNullable();
    t.index(['organization_id', 'kind', 'external_id']);
  });
  // Learner ids are looked up by (entity, external id) within the organization's tree, whatever
  // source wrote them: without this index every chunk of marks scanned the whole crosswalk.
  await knex.schema.alterTable('external_ids', (t) => {
    t.index(['entity', 'external_id'], 'external_ids_entity_external_id');
  });
  await knex.schema.alterTable('marks', (t) => {
    /** The register's test id for marks computed from a score. */
    t.string('assessment', 191).nullable();
    instant(t, 'taken_at');
    t.index(['organization_id', 'date']);
  });
  await knex.schema.alterTable('period_marks', (t) => {
    t.bigInteger('organization_id').nullable();
    t.string('year_code', 16).nullable();
    t.integer('marks_count').nullable();
    t.index(['organization_id', 'year_code', 'term_code']);
  });
  await knex.schema.alterTable('homework', (t) => {
    t.bigInteger('class_id').nullable();
    t.bigInteger('subject_id').nullable();
    t.string('date', 10).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('homework', (t) => {
    t.dropColumn('class_id');
    t.dropColumn('subject_id');
    t.dropColumn('date');
  });
  await knex.schema.alterTable('period_marks', (t) => {
    t.dropIndex(['organization_id', 'year_code', 'term_code']);
    t.dropColumn('organization_id');
    t.dropColumn('year_code');
    t.dropColumn('marks_count');
  });
  await knex.schema.alterTable('marks', (t) => {
    t.dropIndex(['organization_id', 'date']);
    t.dropColumn('assessment');
    t.dropColumn('taken_at');
  });
  await knex.schema.alterTable('external_ids', (t) => {
    t.dropIndex(['entity', 'external_id'], 'external_ids_entity_external_id');
  });
  await knex.schema.dropTableIfExists('assessment_participants');
  await knex.schema.dropTableIfExists('assessment_register');
}
