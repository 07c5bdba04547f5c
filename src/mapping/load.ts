/**
 * Finds and validates the mapping of a stream: `mappings/<connector>/<stream>.<variant>.yaml`, or a
 * `.ts` converter of the same name where YAML cannot express it (exactly one of the two may exist).
 * A variant containing a slash is a folder of the installation's own mappings (`<folder>/<stream>.yaml`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseDocument } from 'yaml';
import type { Problem } from '../config/problems.ts';
import { pathToString } from '../config/problems.ts';
import { compileMapping, type CompiledMapping } from './compile.ts';
import { mappingSpec } from './spec.ts';
import { transforms } from './transforms.ts';

export const PROJECT_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

export function mappingCandidates(connector: string, stream: string, variant: string, root = PROJECT_ROOT): string[] {
  const base = variant.includes('/') ? path.resolve(variant, stream) : path.join(root, 'mappings', connector, `${stream}.${variant}`);
  return [`${base}.yaml`, `${base}.ts`];
}

/** Validates a mapping file; returns problems naming the file, field and what is wrong. */
export function checkMappingFile(file: string, knownTargets: Set<string>): { problems: Problem[]; spec?: CompiledMapping } {
  const rel = path.relative(process.cwd(), file);
  const doc = parseDocument(fs.readFileSync(file, 'utf8'));
  if (doc.errors.length > 0) {
    return { problems: doc.errors.map((e) => ({ path: rel, line: e.linePos?.[0]?.line, message: e.message })) as Problem[] };
  }
  const parsed = mappingSpec.safeParse(doc.toJS());
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((i) => ({ path: `${rel}: ${pathToString(i.path)}`, message: i.message })) };
  }
  const problems: Problem[] = [];
  if (!knownTargets.has(parsed.data.target)) {
    problems.push({ path: `${rel}: target`, message: `unknown target "${parsed.data.target}" (known: ${[...knownTargets].join(', ')})` });
  }
  for (const [field, f] of Object.entries(parsed.data.fields)) {
    for (const t of f.transform ?? []) {
      if (!transforms[t]) problems.push({ path: `${rel}: fields.${field}.transform`, message: `unknown transform "${t}" (known: ${Object.keys(transforms).join(', ')})` });
    }
  }
  return problems.length ? { problems } : { problems, spec: compileMapping(parsed.data) };
}

export type Converter = CompiledMapping;

export async function loadMapping(
  connector: string,
  stream: string,
  variant: string,
  knownTargets: Set<string>,
): Promise<{ mapping?: CompiledMapping; problems: Problem[] }> {
  const [yamlFile, tsFile] = mappingCandidates(connector, stream, variant) as [string, string];
  const hasYaml = fs.existsSync(yamlFile);
  const hasTs = fs.existsSync(tsFile);
  if (hasYaml && hasTs) {
    return { problems: [{ path: path.relative(process.cwd(), yamlFile), message: `both ${path.basename(yamlFile)} and ${path.basename(tsFile)} exist: keep one` }] };
  }
  if (hasYaml) {
    const r = checkMappingFile(yamlFile, knownTargets);
    return r.spec ? { mapping: r.spec, problems: [] } : { problems: r.problems };
  }
  if (hasTs) {
    const mod = (await import(pathToFileURL(tsFile).href)) as { default?: CompiledMapping };
    if (!mod.default || typeof mod.default.map !== 'function' || !knownTargets.has(mod.default.target)) {
      return { problems: [{ path: path.relative(process.cwd(), tsFile), message: 'a converter must export default { target, lookups, map(raw, zone) } with a known target' }] };
    }
    return { mapping: mod.default, problems: [] };
  }
  return { problems: [{ path: path.relative(process.cwd(), yamlFile), message: `no mapping for stream ${stream} (variant ${variant})` }] };
}
