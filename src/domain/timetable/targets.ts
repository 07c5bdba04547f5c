/** The timetable's load targets (registered in src/pipeline/targets.ts). */
import { changeTarget } from './change-target.ts';
import { lessonTarget } from './lesson-target.ts';
import { periodTarget } from './period-target.ts';
import { classTarget, roomTarget, subjectTarget, teacherTarget } from './reference-targets.ts';

export const timetableTargets = [periodTarget, lessonTarget, changeTarget, classTarget, teacherTarget, roomTarget, subjectTarget] as const;
