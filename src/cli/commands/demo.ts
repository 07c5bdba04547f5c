/** `rso-hub demo` (`npm run demo`): every demo step against a fresh embedded database, no servers. */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { PROJECT_ROOT } from '../../mapping/load.ts';
import { createRuntime } from '../../runtime.ts';
import { reportError } from '../context.ts';
import { createLogger } from '../../log.ts';

export function register(program: Command): void {
  program.command('demo').description('run the demo on a fresh SQLite database (data/demo.sqlite)')
    .option('--keep', 'keep the demo database from a previous run')
    .action(async (o: { keep?: boolean }) => {
      try {
        const db = path.join(PROJECT_ROOT, 'data', 'demo.sqlite');
        if (!o.keep) for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, { force: true });
        const rt = await createRuntime({
          configFile: path.join(PROJECT_ROOT, 'hub.example.yaml'),
          env: { ...process.env, DATABASE_URL: `sqlite:${db}`, REDIS_URL: '' },
          log: createLogger({ level: 'warn' }),
        });
        const { demoSteps } = await import('../../demo/index.ts');
        try {
          for (const step of demoSteps) {
            process.stdout.write(`\n== ${step.name}: ${step.describe}\n`);
            await step.run(rt, (line) => process.stdout.write(line.endsWith('\n') ? line : `${line}\n`));
          }
          process.stdout.write(`\ndemo done; database: ${path.relative(process.cwd(), db)}\n`);
        } finally {
          await rt.close();
        }
      } catch (err) {
        reportError(err);
      }
    });
}
