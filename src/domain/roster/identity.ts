/**
 * Identity resolution (ARCHITECTURE.md, "Identity"): the crosswalk link of this instance first,
 * then SNILS across the region, then full name + birth date only inside this organization;
 * anything else is a new person, and a namesake elsewhere becomes a review item.
 */
import type { Knex } from 'knex';
import type { VersionSource } from '../../db/change-versions.ts';
import { findLinks, saveLinks } from '../../db/crosswalk.ts';
import { nowIso, uuidv7 } from '../../db/ids.ts';
import { upsertByNk } from '../../db/upsert.ts';
import type { LoadContext, TargetReject } from '../../pipeline/target.ts';
import { nameKey } from '../person/names.ts';
import { parseSnils } from '../person/snils.ts';
import { organizationId } from '../../db/organizations-store.ts';

export interface PersonInput {
  index: number;
  external_id: string;
  last_name: string;
  first_name: string;
  middle_name?: string | null | undefined;
  birth_date?: string | null | undefined;
  sex?: string | null | undefined;
  snils?: string | null | undefined;
  esia_id?: string | null | undefined;
}

export interface ResolvedPersons {
  ids: Map<number, number>;
  created: number;
  updated: number;
  unchanged: number;
  rejects: TargetReject[];
  reviews: number;
}

const PERSON_ATTRS = ['last_name', 'first_name', 'middle_name', 'birth_date', 'sex', 'snils', 'snils_checked', 'esia_id', 'name_key', 'merged_into'] as const;

export function personKey(p: { last_name: string; first_name: string; middle_name?: string | null | undefined }): string {
  return nameKey([p.last_name, p.first_name, p.middle_name ?? ''].join(' ').trim());
}

/** Persons who have (or had) an enrollment or a staff post in the organization. */
async function membersOf(trx: Knex.Transaction, orgId: number, personIds: number[]): Promise<Set<number>> {
  if (personIds.length === 0) return new Set();
  const [e, s] = await Promise.all([
    trx('enrollments').where({ organization_id: orgId }).whereIn('person_id', personIds).distinct('person_id'),
    trx('staff').where({ organization_id: orgId }).whereIn('person_id', personIds).distinct('person_id'),
  ]);
  return new Set([...e, ...s].map((r: { person_id: number }) => Number(r.person_id)));
}

export async function resolvePersons(trx: Knex.Transaction, versions: VersionSource, inputs: PersonInput[], ctx: LoadContext): Promise<ResolvedPersons> {
  const source = ctx.instance.name;
  const orgId = await organizationId(trx, ctx.org.code);
  const links = await findLinks(trx, source, 'person', inputs.map((p) => p.external_id));
  // Only what the crosswalk does not already answer is looked up by SNILS, then by name.
  const unlinked = inputs.filter((p) => !links.has(p.external_id));
  const snilses = [...new Set(inputs.map((p) => p.snils).filter((s): s is string => !!s))];
  const bySnils = new Map<string, number>();
  for (let i = 0; i < snilses.length; i += 5000) {
    for (const r of await trx('persons').whereIn('snils', snilses.slice(i, i + 5000)).select('id', 'snils')) bySnils.set(r.snils, Number(r.id));
  }
  const keys = inputs.map((p) => personKey(p));
  // Namesakes count only with the same birth date (a local match, or a review item elsewhere).
  const byName = unlinked.filter((p) => p.birth_date && !(p.snils && bySnils.has(p.snils)));
  const namesakes = new Map<string, number[]>();
  const pairs = [...new Map(byName.map((p) => {
    const k = personKey(p);
    return [`${k}|${p.birth_date}`, [k, p.birth_date!]];
  })).values()];
  const candidates: { id: number; name_key: string; birth_date: string | null; snils: string | null }[] = [];
  for (let i = 0; i < pairs.length; i += 2000) {
    candidates.push(...await trx('persons').whereIn(['name_key', 'birth_date'], pairs.slice(i, i + 2000)).whereNull('merged_into').select('id', 'name_key', 'birth_date', 'snils'));
  }
  for (const c of candidates) {
    const k = `${c.name_key}|${c.birth_date ?? ''}`;
    namesakes.set(k, [...(namesakes.get(k) ?? []), Number(c.id)]);
  }
  const members = await membersOf(trx, orgId, [...new Set(candidates.map((c: { id: number }) => Number(c.id)))]);
  const rejects: TargetReject[] = [];
  const chosen = new Map<number, number | string>(); // index -> existing id, or nk of a new person
  const newBySnils = new Map<string, string>();
  const reviewsFor: { index: number; candidates: number[] }[] = [];
  for (const [i, p] of inputs.entries()) {
    const linked = links.get(p.external_id);
    const snilsOwner = p.snils ? bySnils.get(p.snils) : undefined;
    if (linked !== undefined && snilsOwner !== undefined && snilsOwner !== linked) {
      rejects.push({ index: p.index, field: 'snils', code: 'snils_conflict', message: `SNILS ${p.snils} belongs to another person than the one this id was linked to; resolve with \`rso-hub persons merge\`` });
      continue;
    }
    if (linked !== undefined) { chosen.set(p.index, linked); continue; }
    if (snilsOwner !== undefined) { chosen.set(p.index, snilsOwner); continue; }
    const k = `${keys[i]}|${p.birth_date ?? ''}`;
    const same = (namesakes.get(k) ?? []).filter((id) => !p.snils || !candidates.find((c: { id: number; snils: string | null }) => Number(c.id) === id && c.snils && c.snils !== p.snils));
    const local = p.birth_date ? same.filter((id) => members.has(id)) : [];
    if (local.length === 1 && local[0] !== undefined) { chosen.set(p.index, local[0]); continue; }
    const nk = p.snils && newBySnils.get(p.snils) ? newBySnils.get(p.snils)! : `p:${uuidv7(ctx.now.getTime())}`;
    if (p.snils) newBySnils.set(p.snils, nk);
    chosen.set(p.index, nk);
    if (same.length > 0 && p.birth_date) reviewsFor.push({ index: p.index, candidates: same });
  }
  const existingIds = [...new Set([...chosen.values()].filter((v): v is number => typeof v === 'number'))];
  const nkOf = new Map<number, string>();
  const current = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < existingIds.length; i += 5000) {
    for (const r of await trx('persons').whereIn('id', existingIds.slice(i, i + 5000)).select('id', 'nk', ...PERSON_ATTRS)) {
      nkOf.set(Number(r.id), r.nk);
      current.set(r.nk, r);
    }
  }
  const rows = new Map<string, { nk: string; attrs: Record<string, unknown> }>();
  for (const p of inputs) {
    const c = chosen.get(p.index);
    if (c === undefined) continue;
    const nk = typeof c === 'number' ? nkOf.get(c) : c;
    if (!nk) continue;
    const snils = p.snils ? parseSnils(p.snils) : undefined;
    const attrs: Record<string, unknown> = {
      last_name: p.last_name, first_name: p.first_name, middle_name: p.middle_name ?? null, birth_date: p.birth_date ?? null,
      sex: p.sex ?? null, snils: snils?.snils ?? null, snils_checked: snils ? snils.checked : null, esia_id: p.esia_id ?? null,
      name_key: personKey(p), merged_into: null,
    };
    // A source that leaves a field empty does not erase what another source knows (no ping-pong
    // between two schools' exports of a transferred child).
    const cur = current.get(nk);
    if (cur) for (const k of PERSON_ATTRS) if (attrs[k] === null && cur[k] !== null && cur[k] !== undefined) attrs[k] = k === 'snils_checked' ? Boolean(cur[k]) : cur[k];
    rows.set(nk, { nk, attrs });
  }
  const res = await upsertByNk(trx, versions, 'persons', [...rows.values()], { source, now: ctx.now, dryRun: ctx.dryRun, bulk: true });
  const ids = new Map<number, number>();
  for (const p of inputs) {
    const c = chosen.get(p.index);
    if (c === undefined) continue;
    const id = typeof c === 'number' ? c : res.refs.get(c)?.id;
    if (id !== undefined) ids.set(p.index, id);
  }
  await saveLinks(trx, source, 'person', ctx.org.code, inputs.filter((p) => ids.has(p.index)).map((p) => ({ externalId: p.external_id, coreId: ids.get(p.index)! })), ctx.now, links);
  const review: Record<string, unknown>[] = [];
  for (const r of reviewsFor) {
    const personId = ids.get(r.index);
    if (personId === undefined) continue;
    for (const cand of r.candidates) {
      if (cand === personId) continue;
      review.push({ kind: 'possible_duplicate', person_id: personId, candidate_id: cand, reason: 'same full name and birth date, no matching SNILS, another organization', status: 'open', run_id: ctx.runId, created_at: nowIso(ctx.now) });
    }
  }
  // 7 columns a row: 100 rows a statement stay under SQLite's 999 bound values.
  for (let i = 0; i < review.length; i += 100) {
    await trx('review_items').insert(review.slice(i, i + 100)).onConflict(['kind', 'person_id', 'candidate_id']).ignore();
  }
  return { ids, created: res.created, updated: res.updated, unchanged: res.unchanged, rejects, reviews: review.length };
}
