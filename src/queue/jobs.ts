/** The job registry: every jobs/<name>.job.ts default export. */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../mapping/load.ts';
import type { JobDefinition } from './types.ts';

let cache: Map<string, JobDefinition> | undefined;

export async function loadJobs(): Promise<Map<string, JobDefinition>> {
  if (cache) return cache;
  const dir = path.join(PROJECT_ROOT, 'jobs');
  const out = new Map<string, JobDefinition>();
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.job.ts')).sort()) {
    const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { default: JobDefinition };
    out.set(mod.default.name, mod.default);
  }
  cache = out;
  return out;
}
