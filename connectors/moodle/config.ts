/**
 * Configuration of a Moodle connector instance (a hub.yaml entry). The token is written as
 * `${MOODLE_TOKEN}` in hub.yaml and interpolated by src/config; it never appears in errors.
 */
import { z } from 'zod';
import type { MoodleClientOptions } from './client.ts';
import type { PlanOptions } from './sync-types.ts';

const roleId = z.number().int().positive();

export const moodleConfigSchema = z.strictObject({
  /** Site root, e.g. https://lms.school17.example (without /webservice/...). */
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .refine((u) => !/\/webservice\//.test(u), 'give the site root, not the web service URL'),
  token: z.string().min(1, 'token is empty (is its ${ENV} variable set?)'),
  /** Moodle role ids by the hub's role keys: check Site administration › Users › Define roles. */
  roles: z.object({ student: roleId, teacher: roleId }).catchall(roleId),
  /** What happens to a leaver: the account is suspended, or only the hub's enrolments. */
  leavers: z.enum(['suspend_user', 'suspend_enrolments']).default('suspend_user'),
  /** An enrolment the hub no longer wants (class change): `suspend` keeps the grades. */
  removedEnrolments: z.enum(['suspend', 'unenrol']).default('suspend'),
  newUsers: z
    .strictObject({
      auth: z
        .string()
        .refine((a) => a !== 'webservice' && a !== 'mnet', 'Moodle refuses this auth')
        .default('manual'),
      /** Internal auth needs a password: Moodle generates and mails one. */
      createpassword: z.boolean().default(true),
    })
    .default({ auth: 'manual', createpassword: true }),
  /** The site's PHP max_input_vars; batches are sized from it. */
  maxInputVars: z.number().int().min(50).default(1000),
  /** Optional cap on records per write call (post_max_size, shorter transactions). */
  batchSize: z.number().int().positive().optional(),
  concurrency: z.number().int().min(1).max(8).default(2),
  retries: z.number().int().min(0).max(10).default(3),
  backoffMs: z.number().int().min(0).default(500),
  timeoutMs: z.number().int().min(1000).default(60_000),
  /** Read grades back (needs the grade functions on the service). */
  grades: z.boolean().default(false),
  /**
   * Subjects of a grade's courses (`5: [Математика, Русский язык]`), used for a class the
   * timetable has no lessons for yet; with lessons, the class's courses follow its lessons.
   */
  subjectsByGrade: z
    .record(z.string().regex(/^(1[01]?|[2-9])$/, 'grades are 1..11'), z.array(z.string().trim().min(1)))
    .default({}),
  /**
   * New accounts get `username@emailDomain`: the roster holds no e-mail of a student, and Moodle
   * requires one, unique per account unless the site allows otherwise. The reserved `.invalid`
   * domain never delivers (RFC 2606), so passwords are not mailed anywhere by accident.
   */
  emailDomain: z
    .string()
    .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'a domain such as lms.school17.ru')
    .default('lms.invalid'),
});

export type MoodleConfig = z.infer<typeof moodleConfigSchema>;

export function clientOptions(config: MoodleConfig): MoodleClientOptions {
  return {
    baseUrl: config.baseUrl,
    token: config.token,
    maxInputVars: config.maxInputVars,
    concurrency: config.concurrency,
    retries: config.retries,
    backoffMs: config.backoffMs,
    timeoutMs: config.timeoutMs,
  };
}

export function planOptions(config: MoodleConfig): PlanOptions {
  return {
    roles: config.roles,
    leavers: config.leavers,
    removedEnrolments: config.removedEnrolments,
    newUser: config.newUsers,
  };
}
