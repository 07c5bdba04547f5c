/**
 * The runtime of one process: configuration, database, organization tree, connectors, load
 * targets, logger and clock. Every command, job and the API is built on one of these.
 */
import path from 'node:path';
import type { Knex } from 'knex';
import type { Logger, Limits } from './core/contract.ts';
import { loadConfig } from './config/load.ts';
import { OrgTree } from './config/organizations.ts';
import type { HubConfig, InstanceConfig } from './config/schema.ts';
import { createDb } from './db/knex.ts';
import { migrateLatest } from './db/migrate.ts';
import { createLogger, registerSecret } from './log.ts';
import { PermanentError } from './core/errors.ts';
import type { LoadTarget } from './pipeline/target.ts';
import { targets as builtinTargets } from './pipeline/targets.ts';
import { loadConnectors, type AnyConnector } from './registry.ts';
import { syncOrganizations } from './db/organizations-store.ts';

export interface Runtime {
  hub: HubConfig;
  configDir: string;
  db: Knex;
  orgs: OrgTree;
  connectors: Map<string, AnyConnector>;
  targets: Map<string, LoadTarget>;
  log: Logger;
  now(): Date;
  instance(name: string): InstanceConfig;
  limitsFor(instance: InstanceConfig): Limits;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  configFile?: string;
  env?: Record<string, string | undefined>;
  log?: Logger;
  now?: () => Date;
  /** Run migrations and sync organizations from hub.yaml (default true). */
  prepare?: boolean;
}

export async function knownTargets(): Promise<Set<string>> {
  return new Set(builtinTargets.keys());
}

export async function createRuntime(opts: RuntimeOptions = {}): Promise<Runtime> {
  const env = opts.env ?? process.env;
  const file = opts.configFile ?? env.HUB_CONFIG ?? 'hub.yaml';
  const connectors = await loadConnectors();
  const loaded = await loadConfig(file, { env, deps: { connectors, targets: await knownTargets() } });
  const hub = loaded.hub;
  registerSecret(safePassword(hub.database.url));
  const dbUrl = hub.database.url.startsWith('sqlite:') && !hub.database.url.startsWith('sqlite::memory:')
    ? `sqlite:${path.resolve(loaded.dir, hub.database.url.slice(7))}`
    : hub.database.url;
  const db = createDb({ url: dbUrl, ...(hub.database.pool ? { pool: hub.database.pool } : {}) });
  const orgs = new OrgTree(hub);
  const now = opts.now ?? (() => new Date());
  if (opts.prepare !== false) {
    await migrateLatest(db);
    await syncOrganizations(db, orgs, now());
  }
  const rt: Runtime = {
    hub,
    configDir: loaded.dir,
    db,
    orgs,
    connectors,
    targets: builtinTargets,
    log: opts.log ?? createLogger(),
    now,
    instance(name) {
      const i = hub.instances.find((x) => x.name === name);
      if (!i) throw new PermanentError('unknown_instance', `unknown instance "${name}" (known: ${hub.instances.map((x) => x.name).join(', ') || 'none'})`);
      return i;
    },
    limitsFor(instance) {
      return { ...hub.limits, ...(instance.limits ?? {}) } as Limits;
    },
    close: () => db.destroy(),
  };
  return rt;
}

function safePassword(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
