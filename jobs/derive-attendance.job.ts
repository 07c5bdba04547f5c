/**
 * Derives one school-day's attendance from the turnstile (src/domain/attendance/derive.ts). Queued
 * by loads of access events (through the job outbox) and, while students' absence deadlines are
 * still ahead, by itself for the next deadline. Idempotent: a re-run writes only what changed.
 */
import { z } from 'zod';
import { accessSettingsOf } from '../src/domain/access/settings.ts';
import { deriveSchoolDay } from '../src/domain/attendance/derive.ts';
import { deadlineJobId, DERIVE_JOB } from '../src/domain/attendance/trigger.ts';
import type { JobDefinition } from '../src/queue/types.ts';

const data = z.object({
  instance: z.string().min(1),
  organization: z.string().min(1),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

const deriveAttendance: JobDefinition<z.infer<typeof data>> = {
  name: DERIVE_JOB,
  dataSchema: data,
  exclusiveKey: (d) => `attendance:${d.organization}:${d.date}`,
  async process(rt, d, ctx) {
    const settings = accessSettingsOf(rt.instance(d.instance).config).attendance;
    const summary = await deriveSchoolDay(rt.db, rt.orgs, { organization: d.organization, date: d.date, settings, now: rt.now(), source: d.instance });
    if (summary.nextDeadline && settings.deadlineRechecks && ctx.enqueue) {
      const delayMs = Math.max(0, summary.nextDeadline.getTime() - rt.now().getTime()) + 1000;
      await ctx.enqueue(DERIVE_JOB, d, { jobId: deadlineJobId(d, summary.nextDeadline), delayMs });
    }
    return summary;
  },
};

export default deriveAttendance;
