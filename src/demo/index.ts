/** Step modules register themselves on import; the order here is the demo's order. */
import './roster.ts';

export { demoSteps } from './steps.ts';
