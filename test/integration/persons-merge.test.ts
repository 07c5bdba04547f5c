import { afterEach, describe, expect, it } from 'vitest';
import { mergePersons, reviewItems, unmergePersons } from '../../src/domain/persons/merge.ts';
import { runNow } from '../../src/pipeline/execute.ts';
import { fixture, makeHub, rosterInstance, type TestHub } from '../helpers/hub.ts';

let h: TestHub | undefined;
afterEach(async () => h?.close());

const only = (students: string) => ({ config: { files: { students, guardians: 'none', staff: 'none', consents: 'none' } } });

describe('merging a probable duplicate', () => {
  it('rewrites the crosswalk and the rows that refer to the person, as changes; unmerge puts them back', async () => {
    h = await makeHub({ instances: [
      rosterInstance('r1', 'sch-001', fixture('roster', 'school1'), only('students.utf8bom.csv')),
      rosterInstance('r2', 'sch-002', fixture('roster', 'school2'), only('students.csv')),
    ] });
    await runNow(h.rt, { instance: 'r1' });
    await runNow(h.rt, { instance: 'r2' });
    const [item] = await reviewItems(h.rt.db);
    const kept = await h.rt.db('persons').where({ uid: item.candidate }).first('id', 'change_version');
    const dup = await h.rt.db('persons').where({ uid: item.person }).first('id');
    const maxBefore = Number((await h.rt.db('cv_sequence').first('value'))?.value);

    const moved = await mergePersons(h.rt.db, Number(kept.id), Number(dup.id), new Date());
    expect(moved).toMatchObject({ 'enrollments.person_id': 1, 'external_ids.core_id': 1 });
    const links = await h.rt.db('external_ids').where({ entity: 'person', core_id: kept.id }).orderBy('source').select('source', 'external_id');
    expect(links).toEqual([{ source: 'r1', external_id: '1005' }, { source: 'r2', external_id: '2002' }]);
    const enr = await h.rt.db('enrollments').where({ person_id: kept.id }).select('change_version');
    expect(enr).toHaveLength(2);
    expect(enr.some((e: { change_version: number }) => Number(e.change_version) > maxBefore)).toBe(true);
    const gone = await h.rt.db('persons').where({ id: dup.id }).first('merged_into', 'deleted_at');
    expect(Number(gone.merged_into)).toBe(Number(kept.id));
    expect(gone.deleted_at).not.toBeNull();
    expect(await reviewItems(h.rt.db)).toHaveLength(0);
    // A re-run of the second school's roster now resolves its id to the kept person: nothing new.
    const again = await runNow(h.rt, { instance: 'r2' });
    expect(again.streams.students?.created).toBe(0);

    await unmergePersons(h.rt.db, Number(dup.id), new Date());
    expect(await h.rt.db('external_ids').where({ entity: 'person', core_id: dup.id }).select('external_id')).toEqual([{ external_id: '2002' }]);
    expect((await h.rt.db('persons').where({ id: dup.id }).first('deleted_at')).deleted_at).toBeNull();
    expect(await h.rt.db('enrollments').where({ person_id: dup.id }).count({ n: '*' }).first()).toEqual({ n: 1 });
  });
});
