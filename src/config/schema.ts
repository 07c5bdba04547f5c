/** The hub.yaml schema (zod). Cross-field checks live in src/config/validate.ts. */
import { z } from 'zod';
import { markScaleEntry, periodMarksEntry } from './marks.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time HH:MM');
/** YAML turns 2026-09-01 into a Date: accept both and keep the plain date. */
const date = z.preprocess((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v), isoDate);

export const calendarSchema = z.strictObject({
  years: z
    .array(
      z.strictObject({
        code: z.string().min(1),
        from: date,
        to: date,
        terms: z.array(z.strictObject({ code: z.string().min(1), name: z.string().min(1), from: date, to: date })).default([]),
        holidays: z.array(z.strictObject({ from: date, to: date, name: z.string().optional() })).default([]),
      }),
    )
    .optional(),
  bellPeriods: z.array(z.strictObject({ period: z.number().int().min(0).max(20), start: hhmm, end: hhmm })).optional(),
  /** The Monday of a week A (A/B-week timetables). */
  weekA: date.optional(),
});
export type CalendarConfig = z.infer<typeof calendarSchema>;

export const orgKinds = ['region', 'municipality', 'school', 'preschool', 'additional_education'] as const;

export interface OrganizationConfig {
  code: string;
  name: string;
  kind: (typeof orgKinds)[number];
  shortName?: string | undefined;
  inn?: string | undefined;
  okpo?: string | undefined;
  timeZone?: string | undefined;
  calendar?: CalendarConfig | undefined;
  children?: OrganizationConfig[] | undefined;
}

export const organizationSchema: z.ZodType<OrganizationConfig> = z.lazy(() =>
  z.strictObject({
    code: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'codes are lower-case latin letters, digits, - and _'),
    name: z.string().min(1),
    kind: z.enum(orgKinds),
    shortName: z.string().optional(),
    inn: z.coerce.string().regex(/^\d{10}(\d{2})?$/, 'INN is 10 or 12 digits').optional(),
    okpo: z.coerce.string().regex(/^\d{8}(\d{2})?$/, 'OKPO is 8 or 10 digits').optional(),
    timeZone: z.string().optional(),
    calendar: calendarSchema.optional(),
    children: z.array(organizationSchema).optional(),
  }),
);

export const purposes = ['diary_portal', 'lms', 'sms', 'external_reports'] as const;
export type Purpose = (typeof purposes)[number];

export const limitsSchema = z.strictObject({
  maxFileBytes: z.number().int().positive().default(512 * 1024 * 1024),
  maxRecordBytes: z.number().int().positive().default(64 * 1024),
  maxFieldChars: z.number().int().positive().default(4000),
  maxBodyBytes: z.number().int().positive().default(5 * 1024 * 1024),
});

export const instanceSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'instance names are lower-case latin letters, digits, - and _'),
  connector: z.string().min(1),
  organization: z.string().min(1),
  /** Mapping variant: mappings/<connector>/<stream>.<variant>.yaml (or a path to a folder). */
  mapping: z.string().default('v1'),
  dropFolder: z.string().optional(),
  schedule: z.string().optional(),
  purpose: z.enum(purposes).optional(),
  dependsOn: z.array(z.string()).default([]),
  streams: z.array(z.string()).optional(),
  /** Largest share of a run's records that may be rejected before the run fails. */
  maxRejectRatio: z.number().min(0).max(1).default(0.2),
  /** Largest share of a school's open enrollments a snapshot may close without --confirm. */
  maxCloseRatio: z.number().min(0).max(1).default(0.1),
  chunkSize: z.number().int().min(1).max(100_000).default(2000),
  limits: limitsSchema.partial().optional(),
  config: z.record(z.string(), z.unknown()).default({}),
});
export type InstanceConfig = z.infer<typeof instanceSchema>;

export const hubSchema = z.strictObject({
  timeZone: z.string().default('Europe/Samara'),
  database: z.strictObject({ url: z.string().min(1), pool: z.strictObject({ min: z.number().int(), max: z.number().int() }).partial().optional() }).default({ url: 'sqlite:./data/hub.sqlite' }),
  redis: z.strictObject({ url: z.string().min(1), prefix: z.string().default('rso') }).optional(),
  limits: limitsSchema.default({ maxFileBytes: 512 * 1024 * 1024, maxRecordBytes: 64 * 1024, maxFieldChars: 4000, maxBodyBytes: 5 * 1024 * 1024 }),
  consent: z
    .strictObject({ unknownMeans: z.partialRecord(z.enum(purposes), z.enum(['granted', 'refused'])).default({}) })
    .default({ unknownMeans: {} }),
  api: z
    .strictObject({
      tokenTtlSeconds: z.number().int().min(30).max(86_400).default(900),
      /** HMAC key for access tokens; generated per process when absent (tokens die with it). */
      tokenSecret: z.string().min(32).optional(),
      rateLimitPerMinute: z.number().int().positive().default(6000),
    })
    .default({ tokenTtlSeconds: 900, rateLimitPerMinute: 6000 }),
  organizations: z.array(organizationSchema).min(1),
  instances: z.array(instanceSchema).default([]),
  /** Score-to-mark scales per organization and work type (src/config/marks.ts). */
  markScales: z.array(markScaleEntry).default([]),
  /** Period-mark weights and rounding thresholds per organization (src/config/marks.ts). */
  periodMarks: z.array(periodMarksEntry).default([]),
});
export type HubConfig = z.infer<typeof hubSchema>;
