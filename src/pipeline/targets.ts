/** The registry of load targets: mapping files name one of these as their `target`. */
import type { LoadTarget } from './target.ts';
import { studentTarget } from '../domain/roster/student-target.ts';
import { guardianTarget } from '../domain/roster/guardian-target.ts';
import { staffTarget } from '../domain/roster/staff-target.ts';
import { consentTarget } from '../domain/roster/consent-target.ts';
import { marksTargets } from '../domain/marks/targets.ts';
import { timetableTargets } from '../domain/timetable/targets.ts';
import { accessEventTarget } from '../domain/access/event-target.ts';
import { cardTarget } from '../domain/access/card-target.ts';
import { lmsGradeTarget } from '../domain/lms/grade-target.ts';

export const targets = new Map<string, LoadTarget>(
  ([studentTarget, guardianTarget, staffTarget, consentTarget, ...marksTargets, ...timetableTargets, accessEventTarget, cardTarget, lmsGradeTarget] as LoadTarget<never>[]).map((t) => [t.name, t as unknown as LoadTarget]),
);
