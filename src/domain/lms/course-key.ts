/**
 * The key of an LMS course. The hub exports one course per class and subject of a year, and an
 * outside system only ever sees public ids (ARCHITECTURE.md, "Ids"), so the key is the class's
 * public id and the subject's name key: `<class uid>/<subject key>`, e.g.
 * `0190a1b2-…-c001/математика`. The class already belongs to one academic year. Subject names
 * are keyed as the marks loader keys them (case- and ё-insensitive), so a timetable's
 * "Математика" and a configured "математика" name one course.
 *
 * Moodle keeps it as the course idnumber, a varchar(100): the subject part is cut to fit.
 */
import { subjectKey } from '../marks/subjects.ts';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const KEY = new RegExp(`^(${UUID})/(.+)$`, 'i');
/** 100 characters minus a UUID and the slash. */
const SUBJECT_CHARS = 63;

export const lmsSubjectKey = (subject: string): string => subjectKey(subject).slice(0, SUBJECT_CHARS);

export function lmsCourseKey(classUid: string, subject: string): string {
  return `${classUid}/${lmsSubjectKey(subject)}`;
}

/** The class and subject of a course key; undefined for a course the hub did not make. */
export function parseLmsCourseKey(key: string): { classUid: string; subject: string } | undefined {
  const m = KEY.exec(key);
  return m ? { classUid: m[1]!.toLowerCase(), subject: m[2]! } : undefined;
}

/** Public ids are UUIDs: what tells a hub-made category or account from one made by hand. */
export const isPublicId = (value: string | null | undefined): boolean =>
  value !== null && value !== undefined && new RegExp(`^${UUID}$`, 'i').test(value);
