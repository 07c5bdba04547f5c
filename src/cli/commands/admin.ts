/** `rso-hub migrate`, `rso-hub config check`, `rso-hub connectors`. */
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { migrateLatest } from '../../db/migrate.ts';
import { loadConnectors } from '../../registry.ts';
import { knownTargets } from '../../runtime.ts';
import { configFile, printTable, reportError, withRuntime } from '../context.ts';
import { createRuntime } from '../../runtime.ts';

export function register(program: Command): void {
  program.command('migrate').description('create or upgrade the core database (additive migrations)')
    .action(async (_o: unknown, cmd: Command) => {
      try {
        const rt = await createRuntime({ ...(configFile(cmd) ? { configFile: configFile(cmd)! } : {}), prepare: false });
        try {
          const applied = await migrateLatest(rt.db);
          process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
        } finally {
          await rt.close();
        }
      } catch (err) {
        reportError(err);
      }
    });

  program.command('config').description('configuration').command('check').description('validate hub.yaml, its connectors and mappings; list every problem')
    .action(async (_o: unknown, cmd: Command) => {
      try {
        const file = configFile(cmd) ?? process.env.HUB_CONFIG ?? 'hub.yaml';
        const cfg = await loadConfig(file, { deps: { connectors: await loadConnectors(), targets: await knownTargets() } });
        process.stdout.write(`${cfg.file}: ok (${cfg.hub.instances.length} instances)\n`);
      } catch (err) {
        reportError(err);
      }
    });

  program.command('connectors').description('available connectors and the configured instances')
    .action(async (_o: unknown, cmd: Command) => {
      try {
        const all = await loadConnectors();
        printTable([...all.values()].map((c) => ({ id: c.id, version: c.version, streams: c.streams.map((s) => s.name).join(','), import: c.read ? 'yes' : '', export: c.write ? 'yes' : '', push: c.ingest ? 'yes' : '', description: c.description })));
        await withRuntime(cmd, async (rt) => {
          process.stdout.write('\n');
          printTable(rt.hub.instances.map((i) => ({ instance: i.name, connector: i.connector, organization: i.organization, mapping: i.mapping, schedule: i.schedule ?? '', purpose: i.purpose ?? '' })));
        }).catch(() => undefined);
      } catch (err) {
        reportError(err);
      }
    });
}
