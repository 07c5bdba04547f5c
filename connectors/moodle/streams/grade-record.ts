/**
 * The one record shape every grade stream yields (mapped by mappings/moodle/grades.v1.yaml to the
 * `moodle.grade` load target): a grade of one Moodle item for one student, as a score out of a
 * maximum. `item_key` names the item the same way in every stream (`assign:<instance>`,
 * `quiz:<instance>`, `manual:<grade item id>`), so an assignment grade read by two streams is one
 * mark, not two.
 */
import type { RawRecord } from '../../../src/core/contract.ts';

export interface GradeRecord {
  item_key: string;
  itemname: string | null;
  itemmodule: string | null;
  courseid: number;
  courseidnumber: string;
  userid: number;
  useridnumber: string;
  /** Points above the item's minimum, and the span from minimum to maximum. */
  score: number;
  max_score: number;
  /** UTC instant the grade was given or last changed; null when Moodle does not say. */
  graded_at: string | null;
}

export function gradeEvent(stream: string, position: string, data: GradeRecord): RawRecord {
  return { kind: 'record', stream, position, data: { ...data } };
}

export const isoFromUnix = (seconds: number | null | undefined): string | null =>
  seconds ? new Date(seconds * 1000).toISOString().replace('.000Z', 'Z') : null;
