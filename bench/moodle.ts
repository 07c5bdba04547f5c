/**
 * `npm run bench -- moodle [--students 1500 --latency 20 --max-input-vars 1000 --concurrency 2]`:
 * one generated school (bench/city) loaded into an embedded hub (SQLite) with a week of its
 * timetable, then its roster pushed to a local fake Moodle (a real HTTP server answering each call
 * after `latency` ms, state in memory): the first sync into an empty site and a second sync with
 * nothing changed. Figures: calls per function, wall time, and the ratio of calls to the minimum
 * the batch limit allows (list calls: all records' input variables packed into
 * `max_input_vars − 3` per call; per-course and per-category reads have no bulk form and count as
 * their own minimum). Baseline, same run: as many bare calls (core_webservice_get_site_info)
 * through the same client and concurrency as each sync made, i.e. what the calls alone cost.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createMoodleClient } from '../connectors/moodle/client.ts';
import { siteInfoSchema } from '../connectors/moodle/site.ts';
import { silentLogger } from '../src/log.ts';
import { runNow, type RunSummary } from '../src/pipeline/execute.ts';
import { createRuntime } from '../src/runtime.ts';
import { generateCity } from './city/generate.ts';
import { cityHubYaml } from './city/write-config.ts';
import { writeRosterFiles } from './city/write-roster.ts';
import { timed } from './lib/measure.ts';
import { ROSTER_WRITE_FUNCTIONS } from '../connectors/moodle/site.ts';
import { type LoggedCall, startFakeMoodle } from './moodle/fake-server.ts';
import { loadWeek } from './moodle/lessons.ts';

const WRITES = new Set<string>(ROSTER_WRITE_FUNCTIONS);
/** Calls that carry a list of records, batched by max_input_vars. */
const BATCHED = new Set([...WRITES, 'core_user_get_users_by_field']);

interface Row {
  fn: string;
  calls: number;
  records: number;
  minimum: number;
}

export function account(log: readonly LoggedCall[], maxInputVars: number): Row[] {
  const budget = maxInputVars - 3;
  const byFn = new Map<string, LoggedCall[]>();
  for (const c of log) byFn.set(c.fn, [...(byFn.get(c.fn) ?? []), c]);
  return [...byFn]
    .map(([fn, calls]) => {
      const records = calls.reduce((s, c) => s + c.records, 0);
      const shared = Math.max(...calls.map((c) => c.sharedVars));
      const recordVars = calls.reduce((s, c) => s + c.inputVars - c.sharedVars, 0);
      return {
        fn,
        calls: calls.length,
        records,
        minimum: BATCHED.has(fn) ? Math.ceil(recordVars / (budget - shared)) : calls.length,
      };
    })
    .sort((a, b) => a.fn.localeCompare(b.fn));
}

function report(label: string, s: RunSummary, seconds: number, rows: Row[], inFlight: number): string[] {
  const sum = (pick: (r: Row) => number, only?: Set<string>) =>
    rows.filter((r) => !only || only.has(r.fn)).reduce((n, r) => n + pick(r), 0);
  const calls = sum((r) => r.calls);
  const minimum = sum((r) => r.minimum);
  const writes = sum((r) => r.calls, WRITES);
  const minWrites = sum((r) => r.minimum, WRITES);
  return [
    `${label}: ${s.status}, ${seconds.toFixed(2)} s wall, ${calls} calls (${writes} writes), at most ${inFlight} in flight`,
    `  courses: ${JSON.stringify(pick(s.streams.courses))}  users: ${JSON.stringify(pick(s.streams.users))}`,
    ...rows.map(
      (r) =>
        `  ${r.fn.padEnd(36)} ${String(r.calls).padStart(5)} calls ${String(r.records).padStart(6)} records  minimum ${String(r.minimum).padStart(5)}${BATCHED.has(r.fn) ? '' : ' (one per stream, category or course: no bulk form)'}`,
    ),
    `  calls / minimum: ${calls} / ${minimum} = ${(calls / Math.max(1, minimum)).toFixed(2)}; writes: ${writes} / ${minWrites} = ${minWrites ? (writes / minWrites).toFixed(2) : '-'}`,
  ];
}

const pick = (c: Partial<Record<'read' | 'sent' | 'skipped' | 'withheld' | 'failed', number>> | undefined) =>
  Object.fromEntries((['read', 'sent', 'skipped', 'withheld', 'failed'] as const).map((k) => [k, c?.[k]]));

export default async function moodle(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      students: { type: 'string', default: '1500' },
      seed: { type: 'string', default: '1' },
      latency: { type: 'string', default: '20' },
      'max-input-vars': { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '2' },
    },
  });
  const students = Number(values.students);
  const maxInputVars = Number(values['max-input-vars']);
  const concurrency = Number(values.concurrency);
  const latency = Number(values.latency);
  const city = generateCity({ seed: Number(values.seed), schools: 1, students });
  const school = city.schools[0]!;
  const dir = path.resolve(`bench/.data/moodle-${values.seed}-${students}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  await writeRosterFiles(city, path.join(dir, 'roster'));
  const server = await startFakeMoodle(latency, [11, 12]);
  const moodleConfig = {
    baseUrl: server.url,
    token: 'bench-token-0123456789',
    roles: { student: 11, teacher: 12 },
    maxInputVars,
    concurrency,
    emailDomain: 'lms.invalid',
  };
  fs.writeFileSync(
    path.join(dir, 'hub.yaml'),
    [
      cityHubYaml(city, { dropRoot: './roster', databaseUrl: 'sqlite:./hub.sqlite' }).trimEnd(),
      `  - { name: lms, connector: moodle, organization: ${school.code}, purpose: lms, config: ${JSON.stringify(moodleConfig)} }`,
      // Staff have no consent column in the roster: an unknown answer counts as granted here.
      'consent: { unknownMeans: { lms: granted } }',
      '',
    ].join('\n'),
  );
  const rt = await createRuntime({
    configFile: path.join(dir, 'hub.yaml'),
    env: { ...process.env, REDIS_URL: '' },
    log: silentLogger,
  });
  try {
    const roster = await runNow(rt, { instance: `roster-${school.code}` });
    if (roster.status !== 'succeeded') throw new Error(`roster: ${roster.error?.message}`);
    const lessons = await loadWeek(rt.db, school);
    const classes = school.classes.length;
    const out = [
      `school ${school.code}: ${school.studentCount} students, ${school.staff.length} staff, ${classes} classes, ${lessons} lessons in the week; ` +
        `Moodle latency ${latency} ms, max_input_vars ${maxInputVars}, concurrency ${concurrency}`,
    ];
    const client = createMoodleClient({ baseUrl: server.url, token: moodleConfig.token, concurrency, maxInputVars });
    /** Baseline: as many bare calls through the same client: what the calls alone cost. */
    const bare = async (n: number) =>
      (
        await timed(() =>
          Promise.all(
            Array.from({ length: n }, () => client.call('core_webservice_get_site_info', {}, siteInfoSchema)),
          ),
        )
      ).seconds;
    const sync = async (label: string) => {
      server.reset();
      const t = await timed(() => runNow(rt, { instance: 'lms', streams: ['courses', 'users'] }));
      if (t.value.status !== 'succeeded') throw new Error(`${label}: ${t.value.error?.message}`);
      const rows = account(server.log, maxInputVars);
      out.push(...report(label, t.value, t.seconds, rows, server.maxInFlight()));
      const calls = rows.reduce((n, r) => n + r.calls, 0);
      out.push(
        `  baseline: the same ${calls} calls bare (site info) at concurrency ${concurrency}: ${(await bare(calls)).toFixed(2)} s`,
      );
    };
    await sync('first sync (empty Moodle)');
    await sync('second sync (nothing changed)');
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await rt.close();
    await server.close();
  }
}
