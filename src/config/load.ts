/**
 * Loads hub.yaml: YAML -> ${ENV} interpolation -> zod -> cross-field checks. Every problem is
 * collected and reported at once with its path and line in the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { interpolate } from './env.ts';
import { ConfigError, pathToString, type Problem } from './problems.ts';
import { hubSchema, type HubConfig } from './schema.ts';
import { crossCheck, type CheckDeps } from './validate.ts';

export interface LoadedConfig {
  file: string;
  dir: string;
  hub: HubConfig;
}

export async function loadConfig(
  file: string,
  opts: { env?: Record<string, string | undefined>; deps?: CheckDeps } = {},
): Promise<LoadedConfig> {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) throw new ConfigError(file, [{ path: '', message: `file not found: ${abs}` }]);
  const text = fs.readFileSync(abs, 'utf8');
  const doc = parseDocument(text, { prettyErrors: true });
  const problems: Problem[] = [];
  const lines = lineCounter(text);
  for (const e of doc.errors) problems.push({ path: '', line: e.linePos?.[0]?.line ?? 0, message: e.message.split('\n')[0] ?? e.message });
  if (problems.length) throw new ConfigError(file, problems);
  const raw = interpolate(doc.toJS(), opts.env ?? process.env, problems);
  const parsed = hubSchema.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const p = i.path as (string | number)[];
      problems.push({ path: pathToString(p), line: lines(doc, p), message: i.message });
    }
  } else {
    for (const pr of await crossCheck(parsed.data, path.dirname(abs), opts.deps)) {
      problems.push({ ...pr, line: pr.line ?? lines(doc, pr.pathParts ?? []) });
    }
  }
  for (const p of problems) if (p.line === undefined) delete p.line;
  if (problems.length) throw new ConfigError(file, problems.map(({ path: pp, line, message }) => (line ? { path: pp, line, message } : { path: pp, message })));
  return { file: abs, dir: path.dirname(abs), hub: parsed.data as HubConfig };
}

/** Line (1-based) of the deepest node found along a path. */
function lineCounter(text: string) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return (doc: Document, p: (string | number)[]): number | undefined => {
    let node: unknown = doc.contents;
    let offset: number | undefined;
    for (const k of p) {
      if (isMap(node)) {
        const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(k));
        if (!pair) break;
        offset = (pair.key as { range?: [number] }).range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof k === 'number') {
        node = node.items[k];
        offset = (node as { range?: [number] } | undefined)?.range?.[0] ?? offset;
      } else break;
    }
    if (offset === undefined) return undefined;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}
