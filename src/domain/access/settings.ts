/**
 * Settings of access-event loading and attendance derivation. They live in the instance's
 * `config` in hub.yaml (the turnstile connector's schema includes these keys), so the load target
 * and the derivation job read them from the instance that loaded the events.
 */
import { z } from 'zod';

export const attendanceSettings = z.strictObject({
  /** No entry by the first lesson's start + this: absent (and the "absent, no entry" signal). */
  graceMinutes: z.number().int().min(0).max(240).default(15),
  /** An entry up to this many whole minutes after the first lesson starts still counts as on time. */
  lateAfterMinutes: z.number().int().min(0).max(60).default(0),
  /**
   * Loads within this many seconds share one derivation per school-day (0: one per run). Keeps a
   * morning of small pushes from deriving a school hundreds of times a minute.
   */
  debounceSeconds: z.number().int().min(0).max(3600).default(30),
  /** Derive again when the next absence deadline of the day passes (when lessons start later). */
  deadlineRechecks: z.boolean().default(true),
});
export type AttendanceSettings = z.infer<typeof attendanceSettings>;

export const accessSettingsShape = {
  /**
   * Reads of the same person in the same direction this close together are one pass: a card held
   * to the reader, a second controller beside the first, a log overlapping a push.
   */
  duplicateWindowSeconds: z.number().int().min(0).max(600).default(10),
  /** Events older than this (a controller whose clock reset to 2000-01-01) are clock faults. */
  maxEventAgeDays: z.number().int().min(1).max(3650).default(31),
  /** Events this far ahead of the hub's clock are clock faults. */
  maxAheadSeconds: z.number().int().min(0).max(86_400).default(300),
  attendance: attendanceSettings.prefault({}),
};

/** Not strict: the connector's own keys are ignored here. */
export const accessSettings = z.object(accessSettingsShape);
export type AccessSettings = z.infer<typeof accessSettings>;

export function accessSettingsOf(config: unknown): AccessSettings {
  return accessSettings.parse(config ?? {});
}
