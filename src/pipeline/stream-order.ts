/** Streams run in dependsOn order (a topological sort; the order of declaration breaks ties). */
import type { StreamSpec } from '../core/contract.ts';
import { PermanentError } from '../core/errors.ts';

export function streamOrder(streams: StreamSpec[], wanted?: string[]): StreamSpec[] {
  const byName = new Map(streams.map((s) => [s.name, s]));
  const out: StreamSpec[] = [];
  const state = new Map<string, 1 | 2>();
  const visit = (s: StreamSpec, trail: string[]) => {
    if (state.get(s.name) === 2) return;
    if (state.get(s.name) === 1) throw new PermanentError('stream_cycle', `dependsOn cycle: ${[...trail, s.name].join(' -> ')}`);
    state.set(s.name, 1);
    for (const d of s.dependsOn ?? []) {
      const dep = byName.get(d);
      if (dep && (!wanted || wanted.includes(d))) visit(dep, [...trail, s.name]);
    }
    state.set(s.name, 2);
    out.push(s);
  };
  for (const s of streams) if (!wanted || wanted.includes(s.name)) visit(s, []);
  return out;
}
