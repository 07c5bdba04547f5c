/** The load targets of marks from every source, registered in src/pipeline/targets.ts. */
import type { LoadTarget } from '../../pipeline/target.ts';
import { journalAttendanceTarget } from './journal-attendance-target.ts';
import { journalHomeworkTarget, journalTopicTarget } from './journal-lesson-target.ts';
import { journalMarkTarget } from './journal-mark-target.ts';
import { journalPeriodTarget } from './journal-period-target.ts';
import { participantTarget } from './participant-target.ts';
import { registerTarget } from './register-target.ts';
import { scoreTarget } from './score-target.ts';

export const marksTargets = [
  registerTarget, participantTarget, scoreTarget,
  journalMarkTarget, journalAttendanceTarget, journalTopicTarget, journalHomeworkTarget, journalPeriodTarget,
] as LoadTarget<never>[];
