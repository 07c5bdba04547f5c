/**
 * Named lookups (`lookup: teacher` in a mapping): external ids resolved through the crosswalk in
 * one query per field and chunk. Ids of this instance win over ids known elsewhere in the
 * organization's tree; a public UUID is accepted as is.
 */
import type { Knex } from 'knex';
import type { LoadContext, MappedRecord, TargetReject } from './target.ts';

/** Lookup name -> crosswalk entity and the core table holding that entity's public ids. */
export const lookupEntities: Record<string, { entity: string; table: string }> = {
  person: { entity: 'person', table: 'persons' },
  student: { entity: 'person', table: 'persons' },
  teacher: { entity: 'person', table: 'persons' },
  guardian: { entity: 'person', table: 'persons' },
  class: { entity: 'class', table: 'classes' },
  subject: { entity: 'subject', table: 'subjects' },
  lesson: { entity: 'lesson', table: 'lessons' },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function resolveLookups(
  trx: Knex.Transaction,
  records: MappedRecord[],
  lookups: Record<string, string>,
  ctx: LoadContext,
): Promise<{ ok: MappedRecord[]; rejects: TargetReject[] }> {
  const fields = Object.entries(lookups);
  if (fields.length === 0) return { ok: records, rejects: [] };
  const bad = new Map<number, TargetReject>();
  for (const [field, name] of fields) {
    const def = lookupEntities[name];
    if (!def) throw new Error(`unknown lookup ${name}`);
    const values = [...new Set(records.map((r) => r.data[field]).filter((v): v is string => typeof v === 'string' && v !== ''))];
    const found = new Map<string, number>();
    const uuids = values.filter((v) => UUID.test(v));
    if (uuids.length) for (const r of await trx(def.table).whereIn('uid', uuids).select('id', 'uid')) found.set(r.uid, Number(r.id));
    const ext = values.filter((v) => !found.has(v));
    if (ext.length) {
      const rows = await trx('external_ids')
        .where({ entity: def.entity })
        .whereIn('external_id', ext)
        .where((q) => q.where({ source: ctx.instance.name }).orWhereIn('organization', ctx.org.chain.concat(childrenOf(ctx))))
        .select('external_id', 'core_id', 'source');
      rows.sort((a: { source: string }) => (a.source === ctx.instance.name ? 1 : -1));
      for (const r of rows) found.set(r.external_id, Number(r.core_id));
    }
    for (const rec of records) {
      const v = rec.data[field];
      if (typeof v !== 'string' || v === '') continue;
      const id = found.get(v);
      if (id === undefined) {
        if (!bad.has(rec.index)) bad.set(rec.index, { index: rec.index, field, code: 'unknown_reference', message: `${field}: no ${name} with id "${v}" is known to the hub` });
      } else {
        rec.data[field] = id;
      }
    }
  }
  return { ok: records.filter((r) => !bad.has(r.index)), rejects: [...bad.values()] };
}

function childrenOf(ctx: LoadContext): string[] {
  return ctx.orgs.subtree(ctx.org.code).map((o) => o.code);
}
