/** Load target `consent.record`: a separate consent file (person, purpose, status, date, source). */
import { z } from 'zod';
import { findLinks } from '../../db/crosswalk.ts';
import type { LoadTarget, TargetReject } from '../../pipeline/target.ts';
import { recordConsents } from '../consent/store.ts';

export const consentRecord = z.object({
  person_external_id: z.string().min(1).max(191),
  purpose: z.enum(['diary_portal', 'lms', 'sms', 'external_reports']),
  status: z.enum(['granted', 'refused', 'unknown']),
  decided_on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullish(),
  source: z.string().max(191).nullish(),
});
export type ConsentRecord = z.infer<typeof consentRecord>;

export const consentTarget: LoadTarget<ConsentRecord> = {
  name: 'consent.record',
  schema: consentRecord,
  async loadChunk(trx, versions, records, ctx) {
    const persons = await findLinks(trx, ctx.instance.name, 'person', records.map((r) => r.data.person_external_id));
    const rejects: TargetReject[] = [];
    const entries = records.flatMap((r) => {
      const personId = persons.get(r.data.person_external_id);
      if (personId === undefined) {
        rejects.push({ index: r.index, field: 'person_external_id', code: 'unknown_person', message: `no person with id "${r.data.person_external_id}" in this roster` });
        return [];
      }
      return [{ personId, purpose: r.data.purpose, status: r.data.status, decidedOn: r.data.decided_on ?? null, origin: r.data.source ?? `${ctx.instance.name}: ${r.position}` }];
    });
    const res = await recordConsents(trx, versions, entries, { recordedBy: `run ${ctx.runId}`, now: ctx.now, dryRun: ctx.dryRun });
    return { created: 0, updated: res.changed, unchanged: entries.length - res.changed, rejects };
  },
};
