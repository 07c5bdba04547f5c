/**
 * The demo as a registry of steps: each capability appends its own (imports, derivations, the
 * API). `npm run demo` runs them in order against a fresh embedded database.
 */
import type { Runtime } from '../runtime.ts';

export interface DemoStep {
  name: string;
  describe: string;
  run(rt: Runtime, say: (line: string) => void): Promise<void>;
}

export const demoSteps: DemoStep[] = [];

export function addDemoStep(step: DemoStep): void {
  demoSteps.push(step);
}
