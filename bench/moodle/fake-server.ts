/**
 * A local Moodle endpoint for the benchmark: a real HTTP server on 127.0.0.1 that answers every
 * web service call after a fixed latency (20 ms: a small Moodle on the same network), keeping its
 * state in memory (the tests' fake site, test/connectors/moodle/fake-site.ts). Every call is
 * logged with its input variables and records, for the call accounting.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeMoodleSite } from '../../test/connectors/moodle/fake-site.ts';

export interface LoggedCall {
  fn: string;
  /** PHP input variables of the function's own params (wstoken, wsfunction, format not counted). */
  inputVars: number;
  /** Entries of the call's record list (users[i], courses[i], enrolments[i], values[i], ...). */
  records: number;
  /** Variables spent outside the record list (field, since, ...). */
  sharedVars: number;
}

const FIXED = new Set(['wstoken', 'wsfunction', 'moodlewsrestformat']);

export function describeCall(fn: string, body: URLSearchParams): LoggedCall {
  const names = [...body.keys()].filter((n) => !FIXED.has(n));
  const listed = new Map<string, Set<string>>();
  let shared = 0;
  for (const n of names) {
    const m = /^(users|courses|categories|enrolments|values|assignmentids|courseids)\[(\d+)\]/.exec(n);
    if (m) listed.set(m[1]!, (listed.get(m[1]!) ?? new Set()).add(m[2]!));
    else shared++;
  }
  const records = [...listed.values()].reduce((s, v) => s + v.size, 0);
  return { fn, inputVars: names.length, records, sharedVars: shared };
}

export async function startFakeMoodle(latencyMs: number, roles: number[]) {
  const site = new FakeMoodleSite({ assignableRoles: roles });
  const log: LoggedCall[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const body = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const fn = body.get('wsfunction') ?? '';
      setTimeout(() => {
        inFlight--;
        log.push(describeCall(fn, body));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(site.handle(fn, body)));
      }, latencyMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    site,
    log,
    url: `http://127.0.0.1:${port}`,
    maxInFlight: () => maxInFlight,
    reset() {
      log.length = 0;
      maxInFlight = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
