/** Size limits are configuration: tested here with lowered values (big sizes belong to benchmarks). */
import { afterEach, describe, expect, it } from 'vitest';
import { runNow } from '../../src/pipeline/execute.ts';
import { listRejects } from '../../src/pipeline/runs-store.ts';
import { build } from '../../src/api/app.ts';
import { fixture, makeHub, rosterInstance, type TestHub } from '../helpers/hub.ts';

let h: TestHub | undefined;
afterEach(async () => h?.close());

const students = { files: { students: 'students.utf8bom.csv', guardians: 'none', staff: 'none', consents: 'none' } };

describe('configurable size limits', () => {
  it('a file over limits.maxFileBytes fails the run clearly and writes nothing', async () => {
    h = await makeHub({ instances: [rosterInstance('r', 'sch-001', fixture('roster', 'school1'), { config: students, limits: { maxFileBytes: 500 } })] });
    const s = await runNow(h.rt, { instance: 'r' });
    expect(s.status).toBe('failed');
    expect(s.error?.code).toBe('file_too_large');
    expect(s.error?.message).toMatch(/limit is 500/);
    expect(Number((await h.rt.db('persons').count({ n: '*' }).first())?.n)).toBe(0);
  });

  it('a field over limits.maxFieldChars and a row over limits.maxRecordBytes are rejected; other rows load', async () => {
    h = await makeHub({ instances: [
      rosterInstance('f', 'sch-001', fixture('roster', 'school1'), { config: students, maxRejectRatio: 1, limits: { maxFieldChars: 14 } }),
      rosterInstance('b', 'sch-002', fixture('roster', 'school1'), { config: students, maxRejectRatio: 1, limits: { maxRecordBytes: 128 } }),
    ] });
    const f = await runNow(h.rt, { instance: 'f' });
    const fr = await listRejects(h.rt.db, f.runId);
    expect(fr.length).toBeGreaterThan(0);
    expect(fr.every((r: { code: string }) => r.code === 'field_too_long')).toBe(true);
    expect(f.streams.students!.created).toBeGreaterThan(0);
    const b = await runNow(h.rt, { instance: 'b' });
    const br = await listRejects(h.rt.db, b.runId);
    expect(br.length).toBeGreaterThan(0);
    expect(br.map((r: { code: string }) => r.code)).toContain('record_too_large');
    expect(b.streams.students!.read - b.streams.students!.rejected).toBeGreaterThan(0);
  });

  it('a pushed body over limits.maxBodyBytes is refused with 413 before anything is stored', async () => {
    h = await makeHub({ extra: { limits: { maxBodyBytes: 1024 } } });
    const app = await build({ rt: h.rt });
    const res = await app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ grant_type: 'client_credentials', pad: 'x'.repeat(2000) }) });
    expect(res.statusCode).toBe(413);
    expect(Number((await h.rt.db('ingest_batches').count({ n: '*' }).first())?.n)).toBe(0);
    await app.close();
  });
});
