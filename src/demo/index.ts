/** Step modules register themselves on import; the order here is the demo's order. */
import './roster.ts';
import './timetable.ts';
import './turnstile.ts';
import './marks.ts';
// The portal API reads what the steps above imported: keep it last.
import './api.ts';

export { demoSteps } from './steps.ts';
