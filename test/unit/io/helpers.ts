/** Shared bits of the io tests: the hub's default limits, fixture paths, scratch files. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Limits } from '../../../src/core/contract.ts';
import type { DelimitedRow } from '../../../src/io/rows.ts';

/** The defaults of hub.yaml `limits` (src/config/schema.ts). */
export const limits: Limits = {
  maxFileBytes: 512 * 1024 * 1024,
  maxRecordBytes: 64 * 1024,
  maxFieldChars: 4000,
  maxBodyBytes: 5 * 1024 * 1024,
};

export const roster = (rel: string) => path.resolve('fixtures/roster', rel);

export function scratchFile(name: string, content: string | Buffer): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rso-io-'));
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

export async function collect(rows: AsyncIterable<DelimitedRow>): Promise<DelimitedRow[]> {
  const out: DelimitedRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

export function valuesOf(rows: DelimitedRow[]): Array<Record<string, string>> {
  return rows.flatMap((r) => ('values' in r ? [r.values] : []));
}
