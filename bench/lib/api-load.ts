/**
 * The load generator of `npm run bench -- api`, run as its own process so that it does not share
 * an event loop with the server it measures: autocannon with `connections` connections for
 * `seconds` seconds, cycling through the given paths; prints autocannon's figures as one JSON line.
 *   tsx bench/lib/api-load.ts options.json   ({"url":"http://127.0.0.1:8080","paths":["/healthz"],...})
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';

interface Options {
  url: string;
  paths: string[];
  token?: string;
  connections: number;
  seconds: number;
}

interface Result {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}

type Autocannon = (opts: Record<string, unknown>, done: (err: Error | null, res: Result) => void) => unknown;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const o = JSON.parse(fs.readFileSync(process.argv[2] ?? '', 'utf8')) as Options;
let i = 0;
autocannon({
  url: o.url,
  connections: o.connections,
  duration: o.seconds,
  headers: o.token ? { authorization: `Bearer ${o.token}` } : {},
  requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, path: o.paths[i++ % o.paths.length] }) }],
}, (err, res) => {
  if (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  process.stdout.write(`${JSON.stringify({
    rps: res.requests.average, total: res.requests.total, p50: res.latency.p50, p99: res.latency.p99, avg: res.latency.average, max: res.latency.max,
    ok: res['2xx'], non2xx: res.non2xx, errors: res.errors, timeouts: res.timeouts, seconds: res.duration,
  })}\n`);
});
