/**
 * Merge and unmerge of persons (ARCHITECTURE.md, "Identity"): the crosswalk and every row that
 * refers to the merged person are pointed at the kept one, each with a new change version so
 * consumers see the change; what moved is recorded so that `unmerge` can put it back.
 */
import type { Knex } from 'knex';
import { writeTransaction } from '../../db/change-versions.ts';
import { nowIso } from '../../db/ids.ts';

/** Tables and columns that refer to a person. */
const REFS: [table: string, column: string][] = [
  ['enrollments', 'person_id'], ['staff', 'person_id'], ['guardians', 'guardian_id'], ['guardians', 'student_id'],
  ['person_consents', 'person_id'], ['marks', 'student_id'], ['attendance', 'student_id'], ['access_events', 'person_id'],
  ['period_marks', 'student_id'],
];

export async function personIdOf(db: Knex, ref: string): Promise<number> {
  const digits = ref.replace(/\D/g, '');
  const row = await db('persons').where({ uid: ref }).orWhere((q) => (digits.length === 11 ? q.where({ snils: digits }) : q.whereRaw('1 = 0'))).first('id');
  if (!row) throw new Error(`no person ${ref} (give a public id or a SNILS)`);
  return Number(row.id);
}

export async function mergePersons(db: Knex, keptId: number, mergedId: number, now: Date): Promise<Record<string, number>> {
  if (keptId === mergedId) throw new Error('cannot merge a person into itself');
  return writeTransaction(db, async (trx, versions) => {
    const moved: Record<string, number[]> = {};
    for (const [table, col] of REFS) {
      const ids = (await trx(table).where(col, mergedId).select('id')).map((r: { id: number }) => Number(r.id));
      for (const id of ids) await trx(table).where({ id }).update({ [col]: keptId, change_version: await versions.take(), updated_at: nowIso(now) });
      moved[`${table}.${col}`] = ids;
    }
    const links = (await trx('external_ids').where({ entity: 'person', core_id: mergedId }).select('id')).map((r: { id: number }) => Number(r.id));
    await trx('external_ids').whereIn('id', links).update({ core_id: keptId, updated_at: nowIso(now) });
    moved['external_ids.core_id'] = links;
    await trx('persons').where({ id: mergedId }).update({ merged_into: keptId, deleted_at: nowIso(now), change_version: await versions.take(), updated_at: nowIso(now) });
    await trx('review_items').where({ person_id: mergedId, candidate_id: keptId }).orWhere({ person_id: keptId, candidate_id: mergedId }).update({ status: 'merged' });
    await trx('merges').insert({ kept_id: keptId, merged_id: mergedId, moved: JSON.stringify(moved), merged_at: nowIso(now) });
    return Object.fromEntries(Object.entries(moved).map(([k, v]) => [k, v.length]));
  });
}

export async function unmergePersons(db: Knex, mergedId: number, now: Date): Promise<Record<string, number>> {
  return writeTransaction(db, async (trx, versions) => {
    const m = await trx('merges').where({ merged_id: mergedId }).whereNull('unmerged_at').orderBy('id', 'desc').first();
    if (!m) throw new Error(`person ${mergedId} was not merged`);
    const moved = JSON.parse(m.moved) as Record<string, number[]>;
    for (const [key, ids] of Object.entries(moved)) {
      const [table, col] = key.split('.') as [string, string];
      if (table === 'external_ids') {
        await trx('external_ids').whereIn('id', ids).update({ core_id: mergedId, updated_at: nowIso(now) });
        continue;
      }
      for (const id of ids) await trx(table).where({ id }).update({ [col]: mergedId, change_version: await versions.take(), updated_at: nowIso(now) });
    }
    await trx('persons').where({ id: mergedId }).update({ merged_into: null, deleted_at: null, change_version: await versions.take(), updated_at: nowIso(now) });
    await trx('merges').where({ id: m.id }).update({ unmerged_at: nowIso(now) });
    return Object.fromEntries(Object.entries(moved).map(([k, v]) => [k, v.length]));
  });
}

export async function reviewItems(db: Knex, status = 'open') {
  return db('review_items as r')
    .join('persons as a', 'a.id', 'r.person_id')
    .join('persons as b', 'b.id', 'r.candidate_id')
    .where('r.status', status)
    .select('r.id', 'r.kind', 'r.reason', 'a.uid as person', 'b.uid as candidate', 'a.last_name', 'a.first_name', 'a.middle_name', 'a.birth_date', 'r.created_at')
    .orderBy('r.id');
}
