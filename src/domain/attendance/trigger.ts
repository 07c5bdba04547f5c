/**
 * When a school-day's attendance is derived. A load that adds access events asks for a derivation
 * of each school-day it touched through the job outbox; loads in the same debounce window share
 * one job (deterministic id per organization, date and window), started when the window closes.
 */
import type { OutboxEntry } from '../../queue/outbox.ts';
import type { AttendanceSettings } from '../access/settings.ts';

export const DERIVE_JOB = 'derive-attendance';

/** After the window closes, a little longer: commits racing the window's end are in. */
const MARGIN_MS = 2000;

export interface DeriveJobData {
  /** The instance whose settings (graceMinutes, ...) apply. */
  instance: string;
  organization: string;
  date: string;
}

export function derivationRequest(data: DeriveJobData, s: AttendanceSettings, runId: string, wallNow: number = Date.now()): OutboxEntry {
  const base = `derive-${data.organization}-${data.date}`;
  if (s.debounceSeconds === 0) return { job: DERIVE_JOB, jobId: `${base}-run-${runId}`, data };
  const size = s.debounceSeconds * 1000;
  const window = Math.floor(wallNow / size);
  return { job: DERIVE_JOB, jobId: `${base}-w${window}`, data, notBefore: new Date((window + 1) * size + MARGIN_MS) };
}

/** The derivation due when the next absence deadline of the day passes. */
export function deadlineJobId(data: DeriveJobData, deadline: Date): string {
  return `derive-${data.organization}-${data.date}-due-${deadline.toISOString().slice(11, 16).replace(':', '')}`;
}
