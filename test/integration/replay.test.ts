import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRunFor, executeRun } from '../../src/pipeline/execute.ts';
import { runNow } from '../../src/pipeline/execute.ts';
import { listRejects } from '../../src/pipeline/runs-store.ts';
import { fixture, makeHub, rosterInstance, ROOT, type TestHub } from '../helpers/hub.ts';

let h: TestHub | undefined;
afterEach(async () => h?.close());

describe('replay after a mapping fix', () => {
  it('loads only the rejected rows, and the counts show it', async () => {
    // The installation's own mapping folder: a copy of v1 whose sex map forgot the female code.
    const dir = fs.mkdtempSync(path.join(ROOT, '.tmp-mapping-'));
    try {
      const v1 = fs.readFileSync(path.join(ROOT, 'mappings/roster/students.v1.yaml'), 'utf8');
      const broken = v1.replace('Ж: female, ', '');
      expect(broken).not.toBe(v1);
      fs.writeFileSync(path.join(dir, 'students.yaml'), broken);
      h = await makeHub({ instances: [rosterInstance('r', 'sch-001', fixture('roster', 'school1'), { mapping: dir, maxRejectRatio: 1, streams: ['students'], config: { files: { students: 'students.utf8bom.csv' } } })] });
      const first = await runNow(h.rt, { instance: 'r' });
      expect(first.status).toBe('succeeded');
      const rejected = await listRejects(h.rt.db, first.runId);
      expect(rejected.every((r: { code: string; field: string }) => r.code === 'unmapped_value' && r.field === 'sex')).toBe(true);
      const girls = rejected.length;
      expect(girls).toBe(6);
      expect(first.streams.students?.read).toBe(12);
      const personsBefore = Number((await h.rt.db('persons').count({ n: '*' }).first())?.n);
      expect(personsBefore).toBe(12 - girls);

      fs.writeFileSync(path.join(dir, 'students.yaml'), v1);
      const replayId = await createRunFor(h.rt, { instance: 'r', files: [], replayOf: first.runId });
      const replay = await executeRun(h.rt, replayId);
      expect(replay.status).toBe('succeeded');
      expect(replay.streams.students).toMatchObject({ read: girls, rejected: 0, unchanged: 0 });
      expect(Number((await h.rt.db('persons').count({ n: '*' }).first())?.n)).toBe(12);
      // Enrollments were not closed by the partial replay input.
      expect(Number((await h.rt.db('enrollments').whereNull('to_date').count({ n: '*' }).first())?.n)).toBe(12);
      expect((await listRejects(h.rt.db, first.runId, { onlyPending: true })).length).toBe(0);
      // A second replay of the same run has nothing left to load.
      const again = await executeRun(h.rt, await createRunFor(h.rt, { instance: 'r', files: [], replayOf: first.runId }));
      expect(again.streams.students?.read).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
