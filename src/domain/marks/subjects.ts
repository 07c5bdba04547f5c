/**
 * Subjects by the name a school writes ("Алгебра", "Рус"): matched to the organization's subjects
 * by full or short name, case- and ё-insensitively. A name no subject has yet is created, because
 * the register and the journal are the school's own word on what it teaches. The natural key and
 * the name normalization are the timetable loader's (src/domain/timetable/references.ts), so
 * whichever comes first creates the row the other finds.
 */
import type { Knex } from 'knex';
import type { VersionSource } from '../../db/change-versions.ts';
import { upsertByNk } from '../../db/upsert.ts';
import type { LoadContext } from '../../pipeline/target.ts';

const keys = new Map<string, string>();

/** Case-, ё- and space-blind key of a subject name; memoized: a school has a few dozen names. */
export function subjectKey(name: string): string {
  let k = keys.get(name);
  if (k === undefined) {
    k = name.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');
    if (keys.size > 10_000) keys.clear();
    keys.set(name, k);
  }
  return k;
}

export async function resolveSubjects(
  trx: Knex.Transaction,
  versions: VersionSource,
  ctx: LoadContext,
  orgId: number,
  names: Iterable<string>,
): Promise<Map<string, number>> {
  const wanted = new Map<string, string>();
  for (const n of names) if (n.trim() !== '') wanted.set(subjectKey(n), n.trim());
  const out = new Map<string, number>();
  if (wanted.size === 0) return out;
  const cacheKey = `subjects:${orgId}`;
  const cache = (ctx.cache.get(cacheKey) as Map<string, number> | undefined) ?? new Map<string, number>();
  ctx.cache.set(cacheKey, cache);
  const missing = [...wanted.keys()].filter((k) => !cache.has(k));
  if (missing.length > 0) {
    const rows = await trx('subjects').where({ organization_id: orgId }).whereNull('deleted_at').orderBy('id').select('id', 'name', 'short_name');
    for (const r of rows as { id: number; name: string; short_name: string | null }[]) {
      for (const n of [r.short_name, r.name]) if (n && !cache.has(subjectKey(n))) cache.set(subjectKey(n), Number(r.id));
    }
    const create = missing.filter((k) => !cache.has(k));
    if (create.length > 0) {
      const res = await upsertByNk(trx, versions, 'subjects', create.map((k) => ({
        nk: `${ctx.org.code}|${k}`,
        attrs: { organization_id: orgId, name: wanted.get(k)!, short_name: null },
      })), { source: ctx.instance.name, now: ctx.now, dryRun: ctx.dryRun });
      for (const k of create) {
        const ref = res.refs.get(`${ctx.org.code}|${k}`);
        if (ref) cache.set(k, ref.id);
      }
    }
  }
  for (const k of wanted.keys()) {
    const id = cache.get(k);
    if (id !== undefined) out.set(k, id);
  }
  return out;
}
