/** Cross-field checks of hub.yaml that a schema cannot express. */
import cron from 'node-cron';
import type { AnyConnector } from '../registry.ts';
import { loadMapping } from '../mapping/load.ts';
import { pathToString, type Problem } from './problems.ts';
import type { HubConfig, OrganizationConfig } from './schema.ts';

export interface CheckDeps {
  connectors: Map<string, AnyConnector>;
  targets: Set<string>;
}

type P = Problem & { pathParts?: (string | number)[] };

function validZone(z: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: z });
    return true;
  } catch {
    return false;
  }
}

export function flattenOrgs(orgs: OrganizationConfig[], parents: string[] = []): { org: OrganizationConfig; chain: string[]; path: (string | number)[] }[] {
  const out: { org: OrganizationConfig; chain: string[]; path: (string | number)[] }[] = [];
  const walk = (list: OrganizationConfig[], chain: string[], base: (string | number)[]) => {
    list.forEach((o, i) => {
      const p = [...base, i];
      out.push({ org: o, chain: [o.code, ...chain], path: p });
      if (o.children) walk(o.children, [o.code, ...chain], [...p, 'children']);
    });
  };
  walk(orgs, parents, ['organizations']);
  return out;
}

export async function crossCheck(hub: HubConfig, _dir: string, deps?: CheckDeps): Promise<P[]> {
  const problems: P[] = [];
  const add = (parts: (string | number)[], message: string) => problems.push({ path: pathToString(parts), pathParts: parts, message });
  if (!validZone(hub.timeZone)) add(['timeZone'], `unknown time zone "${hub.timeZone}"`);
  const orgs = flattenOrgs(hub.organizations);
  const codes = new Set<string>();
  for (const { org, path } of orgs) {
    if (codes.has(org.code)) add([...path, 'code'], `duplicate organization code "${org.code}"`);
    codes.add(org.code);
    if (org.timeZone && !validZone(org.timeZone)) add([...path, 'timeZone'], `unknown time zone "${org.timeZone}"`);
    org.calendar?.years?.forEach((y, yi) => {
      if (y.from > y.to) add([...path, 'calendar', 'years', yi, 'from'], `year ${y.code} starts after it ends`);
      y.terms.forEach((t, ti) => {
        if (t.from > t.to || t.from < y.from || t.to > y.to) add([...path, 'calendar', 'years', yi, 'terms', ti], `term ${t.code} (${t.from}..${t.to}) is not inside year ${y.code} (${y.from}..${y.to}) or ends before it starts`);
      });
    });
  }
  for (const key of ['markScales', 'periodMarks'] as const) {
    hub[key].forEach((e, i) => {
      if (e.organization !== undefined && !codes.has(e.organization)) add([key, i, 'organization'], `unknown organization "${e.organization}"`);
    });
  }
  const names = new Map<string, number>();
  hub.instances.forEach((inst, i) => {
    const base = ['instances', i];
    if (names.has(inst.name)) add([...base, 'name'], `duplicate instance name "${inst.name}"`);
    names.set(inst.name, i);
    if (!codes.has(inst.organization)) add([...base, 'organization'], `unknown organization "${inst.organization}"`);
    if (inst.schedule !== undefined && !cron.validate(inst.schedule)) add([...base, 'schedule'], `"${inst.schedule}" is not a valid cron expression`);
  });
  hub.instances.forEach((inst, i) => {
    inst.dependsOn.forEach((d, j) => {
      if (!names.has(d)) add(['instances', i, 'dependsOn', j], `unknown instance "${d}"`);
    });
  });
  for (const cycle of findCycles(hub.instances.map((x) => ({ name: x.name, deps: x.dependsOn })))) {
    add(['instances', names.get(cycle[0] ?? '') ?? 0, 'dependsOn'], `dependsOn cycle: ${cycle.join(' -> ')}`);
  }
  if (deps) await checkConnectors(hub, deps, add);
  return problems;
}

async function checkConnectors(hub: HubConfig, deps: CheckDeps, add: (p: (string | number)[], m: string) => void): Promise<void> {
  for (const [i, inst] of hub.instances.entries()) {
    const base = ['instances', i];
    const c = deps.connectors.get(inst.connector);
    if (!c) {
      add([...base, 'connector'], `unknown connector "${inst.connector}" (known: ${[...deps.connectors.keys()].sort().join(', ')})`);
      continue;
    }
    const cfg = c.configSchema.safeParse(inst.config);
    if (!cfg.success) for (const issue of cfg.error.issues) add([...base, 'config', ...(issue.path as (string | number)[])], issue.message);
    if (c.write && !c.read && !inst.purpose) add([...base, 'purpose'], `outbound instance needs a purpose (diary_portal, lms, sms, external_reports)`);
    const streams = inst.streams ?? c.streams.map((s) => s.name);
    for (const [si, s] of streams.entries()) {
      const spec = c.streams.find((x) => x.name === s);
      if (!spec) {
        add([...base, 'streams', si], `connector ${c.id} has no stream "${s}"`);
        continue;
      }
      if (!c.read || spec.direction === 'export') continue;
      const m = await loadMapping(c.id, spec.mapping ?? s, inst.mapping, deps.targets);
      for (const p of m.problems) add([...base, 'mapping'], `${p.path}: ${p.message}`);
    }
  }
}

export function findCycles(nodes: { name: string; deps: string[] }[]): string[][] {
  const byName = new Map(nodes.map((n) => [n.name, n.deps]));
  const state = new Map<string, 1 | 2>();
  const cycles: string[][] = [];
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, 1);
    stack.push(n);
    for (const d of byName.get(n) ?? []) {
      if (!byName.has(d)) continue;
      if (state.get(d) === 1) cycles.push([...stack.slice(stack.indexOf(d)), d]);
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const n of byName.keys()) if (!state.has(n)) visit(n);
  return cycles;
}
