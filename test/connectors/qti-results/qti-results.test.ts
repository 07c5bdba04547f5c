/** QTI assessmentResult files (formats.md §4): what the connector reads from each. */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import qti from '../../../connectors/qti-results/index.ts';
import { fixturePath, readAll } from '../../helpers/connector-read.ts';

const good = (name: string) => fixturePath('qti-results', 'school1', name);
const bad = (name: string) => fixturePath('qti-results', 'bad', name);

describe('QTI 2.1, 2.2 and 3.0 results', () => {
  it('read learner, test, score, maximum and time from each version', async () => {
    const { records, rejects } = await readAll(qti, 'results', {}, ['1001-fractions.v2p1.xml', '1002-fractions.v2p2.xml', '1011-fractions.v3p0.xml'].map(good));
    expect(rejects).toEqual([]);
    expect(records.map((r) => r.data)).toEqual([
      expect.objectContaining({ qti_version: '2.1', learner: '1001', test_id: 'MATH-5A-FRACTIONS', taken_at: '2026-09-15T12:40:00+04:00', score: '8', max_score: '10', status: 'final', sessions: 's-5a-0001' }),
      // No zone in the file: left for the mapping to read as the school's time; fractions dropped.
      expect.objectContaining({ qti_version: '2.2', learner: '1002', datestamp: '2026-09-15T09:41:45.529', taken_at: '2026-09-15T09:41:45', score: '9.5', max_score: '10' }),
      expect.objectContaining({ qti_version: '3.0', learner: '1011', taken_at: '2026-09-16T01:20:00+09:00', score: '4', max_score: '10' }),
    ]);
    expect(records[0]?.position).toBe('1001-fractions.v2p1.xml');
  });

  it('accept the kebab-case names of QTI 3.0 and a result without MAXSCORE', async () => {
    const { records } = await readAll(qti, 'results', {}, [good('1001-pe-norms.v3p0.xml')]);
    expect(records[0]?.data).toEqual(expect.objectContaining({ qti_version: '3.0', learner: '1001', test_id: 'PE-5A-NORMS', score: '12', max_score: null, status: 'final' }));
  });

  it('mark a result whose items are not all final as pending', async () => {
    const { records } = await readAll(qti, 'results', {}, [good('1002-essay.pending.xml')]);
    expect(records[0]?.data).toEqual(expect.objectContaining({ test_id: 'MATH-5A-ESSAY', status: 'pending' }));
  });

  it('read configured outcome identifiers instead of SCORE/MAXSCORE', async () => {
    const { records, rejects } = await readAll(qti, 'results', { scoreOutcome: 'TOTAL' }, [bad('unknown-outcome.xml')]);
    expect(rejects).toEqual([]);
    expect(records[0]?.data).toEqual(expect.objectContaining({ score: '7', max_score: '10' }));
  });
});

describe('unusable QTI files', () => {
  it('become one rejection each, naming the file and the problem; the good file is read', async () => {
    const files = ['good.xml', 'malformed.xml', 'bomb.xml', 'unknown-outcome.xml'].map(bad);
    const { records, rejects } = await readAll(qti, 'results', {}, files);
    expect(records.map((r) => r.position)).toEqual(['good.xml']);
    expect(rejects.map((r) => [r.position, r.code])).toEqual([
      ['malformed.xml', 'malformed_xml'],
      ['bomb.xml', 'xml_entities_forbidden'],
      ['unknown-outcome.xml', 'unknown_outcome'],
    ]);
    expect(rejects[2]?.message).toContain('no outcome "SCORE" (it has TOTAL, MAXSCORE)');
  });

  it('refuse a file over the size limit without parsing it', async () => {
    const size = fs.statSync(bad('good.xml')).size;
    const { records, rejects } = await readAll(qti, 'results', {}, [bad('good.xml'), good('1001-fractions.v2p1.xml')], { maxFileBytes: size });
    expect(records.map((r) => r.position)).toEqual(['good.xml']);
    expect(rejects.map((r) => [r.position, r.code])).toEqual([['1001-fractions.v2p1.xml', 'file_too_large']]);
  });
});
