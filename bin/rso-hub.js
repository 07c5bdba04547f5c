#!/usr/bin/env node
// Runs the TypeScript CLI through tsx (a dependency), so `npx rso-hub` works without a build step.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const tsx = require.resolve('tsx/cli');
const args = process.argv.slice(2);

/** The command word: the first argument that is neither an option nor the value of -c/--config. */
function command(argv) {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '-c' || argv[i] === '--config') i++;
    else if (!argv[i].startsWith('-')) return argv[i];
  }
  return undefined;
}

// `serve` runs with the V8 options in package.json's config.serveNodeOptions (a larger young
// generation: the API allocates short-lived objects per request, README "Decisions"), unless
// NODE_OPTIONS already sets them. Through NODE_OPTIONS, as tsx runs the CLI in a child process.
const env = { ...process.env };
if (command(args) === 'serve') {
  const wanted = require('../package.json').config.serveNodeOptions.split(' ');
  const given = env.NODE_OPTIONS ?? '';
  const extra = wanted.filter((o) => !given.includes(o.split('=')[0]));
  if (extra.length) env.NODE_OPTIONS = [given, ...extra].filter(Boolean).join(' ');
}
const r = spawnSync(process.execPath, [tsx, path.join(here, '..', 'src', 'cli', 'main.ts'), ...args], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
