/**
 * Load targets `journal.topic` and `journal.homework`: what a teacher wrote for a lesson of a
 * class. A topic is an attribute of the dated lesson the timetable created, so it needs that
 * lesson; the journal's id of it is kept in the crosswalk (entity `lesson`), which is how a
 * re-sent topic is recognised and a deletion finds the lesson again. The topic column is written
 * on its own (content hash untouched), so reloading the timetable keeps it. Homework is its own
 * row, attached to the lesson when there is one.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import type { VersionSource } from '../../db/change-versions.ts';
import { findLinks, saveLinks } from '../../db/crosswalk.ts';
import { nowIso } from '../../db/ids.ts';
import { organizationId } from '../../db/organizations-store.ts';
import { upsertByNk } from '../../db/upsert.ts';
import type { LoadContext, LoadTarget, MappedRecord, TargetReject } from '../../pipeline/target.ts';
import { classKey, findClasses } from './classes.ts';
import { deletedFlag, isoDate, journalId, journalNk, lastPerId, period, requiredUnlessDeleted } from './journal-common.ts';
import { lessonMatcher } from './lesson-match.ts';
import { resolveSubjects, subjectKey } from './subjects.ts';
import { deleteByNk } from './write-marks.ts';

const lessonFields = {
  journal_id: journalId,
  deleted: deletedFlag,
  class_name: z.string().min(1).max(32).nullish(),
  date: isoDate.nullish(),
  period,
  subject: z.string().min(1).max(191).nullish(),
};

export const journalTopicRecord = z.object({ ...lessonFields, topic: z.string().min(1).max(4000).nullish() })
  .superRefine(requiredUnlessDeleted(['class_name', 'date', 'topic']));
export type JournalTopicRecord = z.infer<typeof journalTopicRecord>;

export const journalHomeworkRecord = z.object({ ...lessonFields, text: z.string().min(1).max(4000).nullish(), due_date: isoDate.nullish() })
  .superRefine(requiredUnlessDeleted(['class_name', 'date', 'subject', 'text']));
export type JournalHomeworkRecord = z.infer<typeof journalHomeworkRecord>;

type LessonItem = z.infer<z.ZodObject<typeof lessonFields>>;

/** The lesson (or null), class and subject of each live item; unknown classes are rejected. */
async function locate(trx: Knex.Transaction, versions: VersionSource, ctx: LoadContext, orgId: number, live: (MappedRecord & { data: LessonItem })[], rejects: TargetReject[]) {
  const classes = await findClasses(trx, ctx, orgId, live.map((r) => ({ name: r.data.class_name!, date: r.data.date! })));
  const subjects = await resolveSubjects(trx, versions, ctx, orgId, live.flatMap((r) => (r.data.subject ? [r.data.subject] : [])));
  const found = live.map((r) => {
    const classId = classes.ids.get(classKey(r.data.class_name!, classes.yearOf(r.data.date!)));
    if (classId === undefined) {
      rejects.push({ index: r.index, field: 'class_name', code: 'unknown_class', message: `class ${r.data.class_name} is not in the roster of ${ctx.org.code} for ${classes.yearOf(r.data.date!)}` });
      return undefined;
    }
    const subjectId = r.data.subject ? (subjects.get(subjectKey(r.data.subject)) ?? null) : null;
    return { record: r, classId, subjectId, query: { date: r.data.date!, subjectId, classId, groupId: null, period: r.data.period ?? null } };
  });
  const ok = found.filter((f) => f !== undefined);
  const match = await lessonMatcher(trx, orgId, ok.map((f) => f.query));
  return ok.map((f) => ({ ...f, lessonId: match(f.query) }));
}

export const journalTopicTarget: LoadTarget<JournalTopicRecord> = {
  name: 'journal.topic',
  schema: journalTopicRecord,
  async loadChunk(trx, versions, chunk, ctx) {
    const { latest: records, notes } = lastPerId(chunk);
    const orgId = await organizationId(trx, ctx.org.code);
    const rejects: TargetReject[] = [];
    const links = await findLinks(trx, ctx.instance.name, 'lesson', records.map((r) => r.data.journal_id));
    const want = new Map<number, string | null>();
    for (const r of records) {
      const linked = links.get(r.data.journal_id);
      if (r.data.deleted && linked !== undefined) want.set(linked, null);
    }
    const located = await locate(trx, versions, ctx, orgId, records.filter((r) => !r.data.deleted), rejects);
    const newLinks = [];
    for (const l of located) {
      if (l.lessonId === null) {
        rejects.push({ index: l.record.index, field: 'period', code: 'no_lesson', message: `no lesson of ${l.record.data.class_name} on ${l.record.data.date}${l.record.data.period ? ` in period ${l.record.data.period}` : ''}${l.record.data.subject ? ` (${l.record.data.subject})` : ''}: load the timetable, then replay this run` });
        continue;
      }
      want.set(l.lessonId, (l.record.data as JournalTopicRecord).topic!);
      newLinks.push({ externalId: l.record.data.journal_id, coreId: l.lessonId });
    }
    const current = new Map<number, string | null>();
    const ids = [...want.keys()];
    for (let i = 0; i < ids.length; i += 5000) {
      for (const r of await trx('lessons').whereIn('id', ids.slice(i, i + 5000)).select('id', 'topic')) current.set(Number(r.id), r.topic ?? null);
    }
    let updated = 0;
    let unchanged = 0;
    let deleted = 0;
    for (const [id, topic] of want) {
      if (current.get(id) === topic) {
        unchanged++;
        continue;
      }
      if (topic === null) deleted++;
      else updated++;
      if (!ctx.dryRun) await trx('lessons').where({ id }).update({ topic, change_version: await versions.take(), updated_at: nowIso(ctx.now) });
    }
    if (!ctx.dryRun) await saveLinks(trx, ctx.instance.name, 'lesson', ctx.org.code, newLinks, ctx.now, links);
    return { created: 0, updated, unchanged, deleted, rejects, notes };
  },
};

export const journalHomeworkTarget: LoadTarget<JournalHomeworkRecord> = {
  name: 'journal.homework',
  schema: journalHomeworkRecord,
  async loadChunk(trx, versions, chunk, ctx) {
    const { latest: records, notes } = lastPerId(chunk);
    const orgId = await organizationId(trx, ctx.org.code);
    const nk = (id: string) => journalNk(ctx.org.code, 'homework', id);
    const rejects: TargetReject[] = [];
    const deleted = await deleteByNk(trx, versions, ctx, 'homework', records.filter((r) => r.data.deleted).map((r) => nk(r.data.journal_id)));
    const located = await locate(trx, versions, ctx, orgId, records.filter((r) => !r.data.deleted), rejects);
    const rows = located.map((l) => {
      const d = l.record.data as JournalHomeworkRecord;
      return { nk: nk(d.journal_id), attrs: { lesson_id: l.lessonId, organization_id: orgId, text: d.text, due_date: d.due_date ?? null, class_id: l.classId, subject_id: l.subjectId, date: d.date } };
    });
    const res = await upsertByNk(trx, versions, 'homework', rows, { source: ctx.instance.name, now: ctx.now, dryRun: ctx.dryRun, refs: false });
    return { created: res.created, updated: res.updated, unchanged: res.unchanged, deleted, rejects, notes };
  },
};
