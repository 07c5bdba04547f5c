/**
 * Writes the benchmark city: `<out>/hub.yaml` and the roster drop files under `<out>/roster/`
 * (per school: `roster/sch-001/students.csv`, ...; region: `roster/students.csv`, ...). Drop
 * folders sit below hub.yaml, not beside it, so a region instance never picks up hub.yaml itself.
 *   npx tsx bench/city/cli.ts --seed 1 --students 70000 --out bench/.data/city
 *   npx tsx bench/city/cli.ts --seed 1 --students 400000 --schools 520 --layout region --out bench/.data/region
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCity } from './generate.ts';
import { cityHubYaml } from './write-config.ts';
import { writeRosterFiles, type RosterLayout } from './write-roster.ts';

const USAGE =
  'usage: cli.ts [--seed 1] [--students 70000] [--schools 90] [--out bench/.data/city] ' +
  '[--layout per-school|region] [--municipality city] [--term-from 2026-09-01] [--term-to 2026-11-09]';

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Error(`--${name} must be a non-negative integer, got "${text}"\n${USAGE}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '1' },
      students: { type: 'string', default: '70000' },
      schools: { type: 'string' },
      out: { type: 'string', default: 'bench/.data/city' },
      layout: { type: 'string', default: 'per-school' },
      municipality: { type: 'string', default: 'city' },
      'term-from': { type: 'string' },
      'term-to': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.layout !== 'per-school' && values.layout !== 'region')
    throw new Error(`unknown --layout\n${USAGE}`);
  const layout: RosterLayout = values.layout;
  const students = positiveInt('students', values.students);
  // Default: the benchmark city's density, about 780 students per school.
  const schools = values.schools
    ? positiveInt('schools', values.schools)
    : Math.max(1, Math.round(students / 778));
  const started = performance.now();
  const city = generateCity({
    seed: positiveInt('seed', values.seed),
    students,
    schools,
    municipalityCode: values.municipality,
    ...(values['term-from'] ? { termFrom: values['term-from'] } : {}),
    ...(values['term-to'] ? { termTo: values['term-to'] } : {}),
  });
  const counts = await writeRosterFiles(city, join(values.out, 'roster'), { layout });
  const yaml = cityHubYaml(city, { layout, dropRoot: './roster' });
  await writeFile(join(values.out, 'hub.yaml'), yaml);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    JSON.stringify({
      out: values.out,
      layout,
      schools: city.schools.length,
      ...counts,
      megabytes: Math.round(counts.bytes / 1e5) / 10,
      hubYamlBytes: Buffer.byteLength(yaml),
      seconds: Math.round(seconds * 100) / 100,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
