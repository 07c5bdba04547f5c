/** The registry of load targets: mapping files name one of these as their `target`. */
import type { LoadTarget } from './target.ts';
import { studentTarget } from '../domain/roster/student-target.ts';
import { guardianTarget } from '../domain/roster/guardian-target.ts';
import { staffTarget } from '../domain/roster/staff-target.ts';
import { consentTarget } from '../domain/roster/consent-target.ts';

export const targets = new Map<string, LoadTarget>(
  ([studentTarget, guardianTarget, staffTarget, consentTarget] as LoadTarget<never>[]).map((t) => [t.name, t as unknown as LoadTarget]),
);
