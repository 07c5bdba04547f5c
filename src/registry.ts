/** Finds connectors at `connectors/<id>/index.ts` (src/ never imports a connector by name). */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Connector } from './core/contract.ts';
import { PROJECT_ROOT } from './mapping/load.ts';

export type AnyConnector = Connector<unknown, unknown>;

let cache: Map<string, AnyConnector> | undefined;
const extra = new Map<string, AnyConnector>();

export async function loadConnectors(root = path.join(PROJECT_ROOT, 'connectors')): Promise<Map<string, AnyConnector>> {
  if (cache) return new Map([...cache, ...extra]);
  const found = new Map<string, AnyConnector>();
  for (const dir of fs.readdirSync(root, { withFileTypes: true })) {
    const index = path.join(root, dir.name, 'index.ts');
    if (!dir.isDirectory() || !fs.existsSync(index)) continue;
    const mod = (await import(pathToFileURL(index).href)) as { default?: AnyConnector };
    if (!mod.default?.id) throw new Error(`${index} must export default defineConnector({...})`);
    found.set(mod.default.id, mod.default);
  }
  cache = found;
  return new Map([...found, ...extra]);
}

/** Tests may register their own connectors beside the real ones. */
export function registerConnector(c: AnyConnector): void {
  extra.set(c.id, c);
}
