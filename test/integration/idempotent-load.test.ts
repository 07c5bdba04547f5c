import { afterEach, describe, expect, it } from 'vitest';
import { runNow } from '../../src/pipeline/execute.ts';
import { DIALECTS } from '../helpers/env.ts';
import { fixture, makeHub, rosterInstance, written, type TestHub } from '../helpers/hub.ts';

const school1 = { files: { students: 'students.utf8bom.csv', guardians: 'guardians.csv', staff: 'staff.csv', consents: 'consents.csv' } };

async function versionState(h: TestHub) {
  const seq = await h.rt.db('cv_sequence').first('value');
  const maxPersons = await h.rt.db('persons').max({ v: 'change_version' }).first();
  return { seq: Number(seq?.value), persons: Number(maxPersons?.v) };
}

describe.each(DIALECTS)('loading the same input twice (%s)', (dialect) => {
  let h: TestHub;
  afterEach(async () => h?.close());

  it('writes nothing and moves no change version the second time', async () => {
    h = await makeHub({ dialect, instances: [rosterInstance('roster-a', 'sch-001', fixture('roster', 'school1'), { config: school1 })] });
    const first = await runNow(h.rt, { instance: 'roster-a' });
    expect(first.status).toBe('succeeded');
    expect(first.streams.students?.created).toBeGreaterThan(0);
    const before = await versionState(h);
    const persons = await h.rt.db('persons').count({ n: '*' }).first();

    const second = await runNow(h.rt, { instance: 'roster-a' });
    expect(second.status).toBe('succeeded');
    expect(written(second.totals)).toBe(0);
    expect(second.totals.read).toBe(first.totals.read);
    expect(second.totals.unchanged).toBeGreaterThan(0);
    expect(await versionState(h)).toEqual(before);
    expect(await h.rt.db('persons').count({ n: '*' }).first()).toEqual(persons);
  });
});
