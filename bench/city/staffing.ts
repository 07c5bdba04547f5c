/**
 * Who teaches what in one school: each class's subjects are bundled per teacher specialty
 * (Russian and literature by one teacher, algebra and geometry by one) and given to the least
 * loaded teacher of that specialty with room for them; a new teacher is hired when nobody has.
 * Deterministic (no randomness): names are attached later.
 */
import { curriculum, type Specialty } from './curriculum.ts';

/** Weekly teaching hours one teacher can take (1.5 of the 18-hour rate). */
export const MAX_LOAD = 27;

export interface ClassShape {
  grade: number;
  split: boolean;
}

export interface Assignment {
  classIndex: number;
  subject: string;
  hours: number;
  /** One teacher index, or two (subgroup "1", subgroup "2") for a split lesson. */
  teachers: readonly number[];
}

export interface Staffing {
  /** Specialty of each teacher, by teacher index. */
  teachers: Specialty[];
  loads: number[];
  assignments: Assignment[];
  /** Homeroom teacher index per class. */
  homeroom: number[];
}

export function planStaffing(classes: readonly ClassShape[]): Staffing {
  const teachers: Specialty[] = [];
  const loads: number[] = [];
  const assignments: Assignment[] = [];
  const hoursInClass: Map<number, number>[] = [];

  const choose = (specialty: Specialty, hours: number, exclude = -1): number => {
    let best = -1;
    for (let t = 0; t < teachers.length; t++) {
      const load = loads[t] ?? 0;
      if (teachers[t] !== specialty || t === exclude || load + hours > MAX_LOAD) continue;
      if (best < 0 || load < (loads[best] ?? 0)) best = t;
    }
    if (best >= 0) return best;
    teachers.push(specialty);
    loads.push(0);
    return teachers.length - 1;
  };

  classes.forEach((cls, classIndex) => {
    const perTeacher = new Map<number, number>();
    hoursInClass.push(perTeacher);
    const bundles = new Map<Specialty, { hours: number; split: boolean }>();
    for (const s of curriculum(cls.grade)) {
      const b = bundles.get(s.specialty) ?? { hours: 0, split: false };
      b.hours += s.hours;
      b.split ||= s.split && cls.split;
      bundles.set(s.specialty, b);
    }
    const chosen = new Map<Specialty, number[]>();
    for (const [specialty, b] of bundles) {
      const first = choose(specialty, b.hours);
      loads[first] = (loads[first] ?? 0) + b.hours;
      const pair = [first];
      if (b.split) {
        const second = choose(specialty, b.hours, first);
        loads[second] = (loads[second] ?? 0) + b.hours;
        pair.push(second);
      }
      chosen.set(specialty, pair);
      for (const t of pair) perTeacher.set(t, (perTeacher.get(t) ?? 0) + b.hours);
    }
    for (const s of curriculum(cls.grade)) {
      const pair = chosen.get(s.specialty) ?? [];
      const teachersOfLesson = s.split && cls.split ? pair : pair.slice(0, 1);
      assignments.push({ classIndex, subject: s.subject, hours: s.hours, teachers: teachersOfLesson });
    }
  });

  return { teachers, loads, assignments, homeroom: pickHomerooms(teachers, hoursInClass) };
}

/** Each class gets the free teacher who teaches it most; primary classes their own teacher. */
function pickHomerooms(teachers: readonly Specialty[], hoursInClass: Map<number, number>[]): number[] {
  const taken = new Set<number>();
  return hoursInClass.map((perTeacher) => {
    const ranked = [...perTeacher.entries()]
      .filter(([t]) => teachers[t] !== 'pe' && !taken.has(t))
      .sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    let pick = ranked[0]?.[0];
    if (pick === undefined) {
      pick = teachers.findIndex((s, t) => s !== 'primary' && s !== 'pe' && !taken.has(t));
      if (pick < 0) pick = [...perTeacher.keys()][0] ?? 0;
    }
    taken.add(pick);
    return pick;
  });
}
