/**
 * Load target `journal.period_mark`: a period mark the teacher set in the journal. It takes the
 * place of the proposed one for the same student, subject and term (proposed = false), and the
 * period-marks job leaves it alone from then on. Deleting it (by the journal's id, kept in the
 * crosswalk as entity `period_mark`) lets the job propose again.
 */
import { z } from 'zod';
import { findLinks, saveLinks } from '../../db/crosswalk.ts';
import { organizationId } from '../../db/organizations-store.ts';
import { softDelete, upsertByNk } from '../../db/upsert.ts';
import type { LoadTarget, TargetReject } from '../../pipeline/target.ts';
import { today, yearCodeFor } from '../roster/classes.ts';
import { coreId, deletedFlag, journalId, lastPerId, lookedUp, markValue, requiredUnlessDeleted } from './journal-common.ts';
import { periodMarkNk } from './period.ts';
import { resolveSubjects, subjectKey } from './subjects.ts';

export const journalPeriodRecord = z
  .object({
    journal_id: journalId,
    deleted: deletedFlag,
    student_id: lookedUp.nullish(),
    subject: z.string().min(1).max(191).nullish(),
    year: z.string().min(1).max(16).nullish(),
    term: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().min(1).max(16).nullish()),
    value: markValue.nullish(),
  })
  .superRefine(requiredUnlessDeleted(['student_id', 'subject', 'term']))
  .superRefine((r, c) => {
    if (!r.deleted && !r.value) c.addIssue({ code: 'custom', path: ['value'], message: 'value is required' });
  });
export type JournalPeriodRecord = z.infer<typeof journalPeriodRecord>;

export const journalPeriodTarget: LoadTarget<JournalPeriodRecord> = {
  name: 'journal.period_mark',
  schema: journalPeriodRecord,
  async loadChunk(trx, versions, chunk, ctx) {
    const { latest: records, notes } = lastPerId(chunk);
    const orgId = await organizationId(trx, ctx.org.code);
    const year = yearCodeFor(ctx, today(ctx));
    const subjects = await resolveSubjects(trx, versions, ctx, orgId, records.flatMap((r) => (r.data.subject ? [r.data.subject] : [])));
    const rejects: TargetReject[] = [];
    const rows = [];
    const links = await findLinks(trx, ctx.instance.name, 'period_mark', records.map((r) => r.data.journal_id));
    const gone = records.filter((r) => r.data.deleted).flatMap((r) => links.get(r.data.journal_id) ?? []);
    const byNk = new Map<string, string>();
    for (const r of records) {
      const d = r.data;
      if (d.deleted || !d.student_id || !d.subject || !d.term) continue;
      const y = d.year ?? year;
      if (!ctx.org.calendar.years.find((x) => x.code === y)?.terms.some((t) => t.code === d.term)) {
        rejects.push({ index: r.index, field: 'term', code: 'unknown_term', message: `term "${d.term}" of ${y} is not in the calendar of ${ctx.org.code}` });
        continue;
      }
      const nk = periodMarkNk(ctx.org.code, y, d.term, coreId(d.student_id), subjects.get(subjectKey(d.subject))!);
      byNk.set(nk, d.journal_id);
      rows.push({
        nk,
        attrs: { student_id: coreId(d.student_id), subject_id: subjects.get(subjectKey(d.subject)), term_code: d.term, value: d.value!.value, average: null, proposed: false, organization_id: orgId, year_code: y, marks_count: null },
      });
    }
    let deleted = 0;
    if (gone.length > 0 && !ctx.dryRun) {
      const ids = (await trx('period_marks').whereIn('id', gone).where({ proposed: false }).whereNull('deleted_at').select('id')).map((x: { id: number }) => Number(x.id));
      deleted = await softDelete(trx, versions, 'period_marks', ids, ctx.now);
    }
    const res = await upsertByNk(trx, versions, 'period_marks', rows, { source: ctx.instance.name, now: ctx.now, dryRun: ctx.dryRun });
    if (!ctx.dryRun) {
      const fresh = [...byNk].flatMap(([nk, id]) => { const ref = res.refs.get(nk); return ref ? [{ externalId: id, coreId: ref.id }] : []; });
      await saveLinks(trx, ctx.instance.name, 'period_mark', ctx.org.code, fresh, ctx.now, links);
    }
    return { created: res.created, updated: res.updated, unchanged: res.unchanged, deleted, rejects, notes };
  },
};
