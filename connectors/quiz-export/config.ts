/** Configuration of a quiz-export instance (hub.yaml `instances[].config`). */
import { z } from 'zod';

export const quizConfig = z.strictObject({
  /** `auto` tells a Moodle "Grades" report from a Google Forms response sheet by its header. */
  format: z.enum(['auto', 'moodle', 'google']).default('auto'),
  /**
   * Which attempt of a student counts when the export holds several (Moodle: one row per
   * attempt; Google: one per response). `highest` matches Moodle's default grading method.
   */
  attempts: z.enum(['highest', 'last', 'first']).default('highest'),
  /** Column naming the student; default: ID number, then e-mail, then username. */
  participantColumn: z.string().min(1).optional(),
  /** Which files of the drop folder are exports, case-insensitive; * and ? are wildcards. */
  files: z.string().min(1).default('*.csv'),
  delimiter: z.enum([';', ',', '\t', '|']).optional(),
  /** Code page of files with no BOM that are not valid UTF-8 (`auto` = windows-1251). */
  encoding: z.enum(['auto', 'windows-1251', 'windows-1252']).default('auto'),
});
export type QuizConfig = z.infer<typeof quizConfig>;
