#!/usr/bin/env node
/** The `rso-hub` command line: one file per command group in src/cli/commands. */
import { Command } from 'commander';
import { register as admin } from './commands/admin.ts';
import { register as run } from './commands/run.ts';
import { register as runs } from './commands/runs.ts';
import { register as worker } from './commands/worker.ts';
import { register as serve } from './commands/serve.ts';
import { register as demo } from './commands/demo.ts';
import { register as persons } from './commands/persons.ts';
import { register as clients } from './commands/clients.ts';
import { register as audit } from './commands/audit.ts';
import { register as devices } from './commands/devices.ts';
import { register as marks } from './commands/marks.ts';

const program = new Command('rso-hub')
  .description('integration hub for regional school information systems')
  .option('-c, --config <file>', 'hub.yaml (default: $HUB_CONFIG or ./hub.yaml)')
  .showHelpAfterError();

for (const r of [admin, run, runs, worker, serve, demo, persons, clients, audit, devices, marks]) r(program);

await program.parseAsync(process.argv);
