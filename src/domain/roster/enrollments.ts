/**
 * Movement of students: an enrollment is history, never overwritten. A changed class closes the
 * open enrollment and opens a new one (promotion to a higher grade, else an internal transfer);
 * a child listed by a second school is a transfer; a child missing from a full snapshot leaves.
 */
import type { Knex } from 'knex';
import type { VersionSource } from '../../db/change-versions.ts';
import { nowIso, contentHash } from '../../db/ids.ts';
import { perRow, PER_STATEMENT, upsertByNk } from '../../db/upsert.ts';
import type { LoadContext } from '../../pipeline/target.ts';

export interface OpenEnrollment {
  id: number;
  nk: string;
  person_id: number;
  organization_id: number;
  class_id: number;
  group_id: number | null;
  from_date: string;
  reason_in: string;
  grade: number | null;
}

export interface Placement {
  personId: number;
  orgId: number;
  classId: number;
  grade: number;
  groupId: number | null;
  from: string;
}

export async function openEnrollments(trx: Knex | Knex.Transaction, personIds: number[]): Promise<Map<number, OpenEnrollment[]>> {
  const out = new Map<number, OpenEnrollment[]>();
  for (let i = 0; i < personIds.length; i += 5000) {
    const rows = await trx('enrollments as e').leftJoin('classes as c', 'c.id', 'e.class_id')
      .whereIn('e.person_id', personIds.slice(i, i + 5000)).whereNull('e.to_date').whereNull('e.deleted_at')
      .select('e.id', 'e.nk', 'e.person_id', 'e.organization_id', 'e.class_id', 'e.group_id', 'e.from_date', 'e.reason_in', 'c.grade');
    for (const r of rows) {
      const e = { ...r, id: Number(r.id), person_id: Number(r.person_id), organization_id: Number(r.organization_id), class_id: Number(r.class_id), group_id: r.group_id == null ? null : Number(r.group_id), grade: r.grade == null ? null : Number(r.grade) } as OpenEnrollment;
      out.set(e.person_id, [...(out.get(e.person_id) ?? []), e]);
    }
  }
  return out;
}

/** Closes an enrollment: to_date, reason_out, a new change version; the row itself stays. */
export async function closeEnrollment(trx: Knex.Transaction, versions: VersionSource, e: { id: number }, to: string, reason: string, now: Date): Promise<void> {
  await closeEnrollments(trx, versions, [e.id], to, reason, now);
}

/** Closes enrollments on `to` for `reason`: a statement per 150 (a transfer wave closes thousands). */
export async function closeEnrollments(trx: Knex.Transaction, versions: VersionSource, ids: number[], to: string, reason: string, now: Date): Promise<void> {
  const stamp = nowIso(now);
  for (let i = 0; i < ids.length; i += PER_STATEMENT) {
    const rows: Record<string, unknown>[] = await trx('enrollments').whereIn('id', ids.slice(i, i + PER_STATEMENT));
    if (rows.length === 0) continue;
    const hashes = new Map(rows.map((cur) => [Number(cur.id), contentHash({
      person_id: Number(cur.person_id), organization_id: Number(cur.organization_id), class_id: Number(cur.class_id),
      group_id: cur.group_id == null ? null : Number(cur.group_id), from_date: cur.from_date, to_date: to, reason_in: cur.reason_in, reason_out: reason,
    })]));
    const found = [...hashes.keys()];
    const hash = await perRow(versions, found, (id) => hashes.get(id));
    const cv = await perRow(versions, found);
    await trx('enrollments').whereIn('id', found).update({
      to_date: to, reason_out: reason, updated_at: stamp, content_hash: trx.raw(hash.sql, hash.bindings), change_version: trx.raw(cv.sql, cv.bindings),
    });
  }
}

export interface PlacementResult {
  created: number;
  updated: number;
  unchanged: number;
  notes: Record<string, number>;
}

/** Applies where each student is now; `today` closes what changed. */
export async function place(trx: Knex.Transaction, versions: VersionSource, ctx: LoadContext, placements: Placement[], today: string): Promise<PlacementResult> {
  const open = await openEnrollments(trx, placements.map((p) => p.personId));
  const notes: Record<string, number> = {};
  const note = (k: string) => { notes[k] = (notes[k] ?? 0) + 1; };
  const rows: { nk: string; attrs: Record<string, unknown> }[] = [];
  let updated = 0;
  for (const p of placements) {
    const cur = open.get(p.personId) ?? [];
    const here = cur.find((e) => e.organization_id === p.orgId);
    const elsewhere = cur.filter((e) => e.organization_id !== p.orgId);
    let reasonIn = 'admission';
    let from = p.from;
    if (here && here.class_id === p.classId) {
      // Same class: only the subgroup may change, an attribute of this enrollment.
      rows.push({ nk: here.nk, attrs: { person_id: p.personId, organization_id: p.orgId, class_id: p.classId, group_id: p.groupId, from_date: here.from_date, to_date: null, reason_in: here.reason_in, reason_out: null } });
      continue;
    }
    if (here) {
      const promotion = here.grade !== null && p.grade > here.grade;
      await closeEnrollment(trx, versions, here, today, promotion ? 'promotion' : 'transfer_out', ctx.now);
      updated++;
      reasonIn = promotion ? 'promotion' : 'transfer_in';
      from = today;
      note(promotion ? 'promotion' : 'class_change');
    } else if (elsewhere.length) {
      if (await isStaleListing(trx, p)) {
        note('stale_listing');
        continue;
      }
      for (const e of elsewhere) {
        await closeEnrollment(trx, versions, e, today, 'transfer_out', ctx.now);
        updated++;
      }
      reasonIn = 'transfer_in';
      from = today;
      note('transfer');
    } else {
      note('admission');
    }
    rows.push({ nk: `${p.personId}|${p.orgId}|${from}|${p.classId}`, attrs: { person_id: p.personId, organization_id: p.orgId, class_id: p.classId, group_id: p.groupId, from_date: from, to_date: null, reason_in: reasonIn, reason_out: null } });
  }
  const res = await upsertByNk(trx, versions, 'enrollments', rows, { source: ctx.instance.name, now: ctx.now, dryRun: ctx.dryRun, bulk: true, refs: false });
  if (res.created) notes.admission = notes.admission ?? 0;
  return { created: res.created, updated: res.updated + updated, unchanged: res.unchanged, notes };
}

/**
 * A school whose export still lists a child who has since transferred away (its last enrollment
 * here was closed as transfer_out while the new one is open) is stale: the receiving school's
 * roster decides a transfer, so the stale listing is reported, not applied (no ping-pong).
 */
async function isStaleListing(trx: Knex.Transaction, p: Placement): Promise<boolean> {
  const last = await trx('enrollments').where({ person_id: p.personId, organization_id: p.orgId }).whereNotNull('to_date').orderBy('to_date', 'desc').first('reason_out');
  return last?.reason_out === 'transfer_out';
}
