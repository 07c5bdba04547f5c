/**
 * Load target `access.event`: raw turnstile passes into access_events, one row per pass. A card is
 * resolved to its person through the card register; an unknown card is a rejection that names the
 * card (replay the run after loading the register). The natural key is the dedup key
 * (organization, person, direction, time to the second); reads within the duplicate window of a
 * stored pass are the same pass. Events only add: out-of-order and late passes are welcome. Each
 * school-day that got new passes is queued for attendance derivation (job outbox).
 */
import { z } from 'zod';
import { nowIso, contentHash, uuidv7 } from '../../db/ids.ts';
import { organizationId } from '../../db/organizations-store.ts';
import { todayIn } from '../../config/organizations.ts';
import { localToUtc } from '../../mapping/casts.ts';
import { addToOutbox } from '../../queue/outbox.ts';
import type { LoadTarget, TargetReject } from '../../pipeline/target.ts';
import { derivationRequest } from '../attendance/trigger.ts';
import { cardOwners } from './card-register.ts';
import { splitDuplicates, type Pass } from './dedup.ts';
import { accessSettingsOf } from './settings.ts';

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const localTime = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

export const accessEventRecord = z
  .object({
    /** Normal form (the `card` transform): decimal digits. */
    card: z.string().min(1).max(64).nullish(),
    /** A person's external id before the `person` lookup, the core id after it. */
    person: z.union([z.string().min(1).max(191), z.number().int()]).nullish(),
    /** UTC instant (a datetime cast), or the local date and time the controller wrote. */
    occurred_at: z.string().min(20).max(30).nullish(),
    local_date: z.string().regex(isoDate).nullish(),
    local_time: z.string().regex(localTime, 'expected HH:MM or HH:MM:SS').nullish(),
    direction: z.enum(['in', 'out']),
    device: z.string().max(64).nullish(),
  })
  .superRefine((r, issues) => {
    if (!r.card && (r.person === null || r.person === undefined)) issues.addIssue({ code: 'custom', path: ['card'], message: 'a card or a person is required' });
    if (!r.occurred_at && !(r.local_date && r.local_time)) issues.addIssue({ code: 'custom', path: ['occurred_at'], message: 'a time is required: occurred_at, or local_date and local_time' });
  });
export type AccessEventRecord = z.infer<typeof accessEventRecord>;

interface Candidate extends Pass {
  index: number;
  card: string | null;
  device: string | null;
}

/** Epoch ms of the pass, whole seconds; undefined when the time does not exist. */
function instantOf(r: AccessEventRecord, zone: string): number | undefined {
  if (r.occurred_at) {
    const t = Date.parse(r.occurred_at);
    return Number.isNaN(t) ? undefined : Math.floor(t / 1000) * 1000;
  }
  const [y, mo, d] = r.local_date!.split('-').map(Number) as [number, number, number];
  const m = localTime.exec(r.local_time!)!;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  const s = Number(m[3] ?? 0);
  if (h > 23 || mi > 59 || s > 59) return undefined;
  return Date.parse(localToUtc({ y, mo, d, h, mi, s }, zone));
}

const secondIso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';

export const accessEventTarget: LoadTarget<AccessEventRecord> = {
  name: 'access.event',
  schema: accessEventRecord,
  async loadChunk(trx, versions, records, ctx) {
    const settings = accessSettingsOf(ctx.instance.config);
    const zone = ctx.org.timeZone;
    const orgId = await organizationId(trx, ctx.org.code);
    const rejects: TargetReject[] = [];
    const cards = [...new Set(records.flatMap((r) => (typeof r.data.person === 'number' || !r.data.card ? [] : [r.data.card])))];
    const owners = await cardOwners(trx, ctx, cards);
    const earliest = ctx.now.getTime() - settings.maxEventAgeDays * 86_400_000;
    const latest = ctx.now.getTime() + settings.maxAheadSeconds * 1000;
    const candidates: Candidate[] = [];
    for (const { index, data } of records) {
      const at = instantOf(data, zone);
      if (at === undefined) {
        rejects.push({ index, field: 'occurred_at', code: 'invalid_date', message: `${data.local_date} ${data.local_time} is not a real time` });
        continue;
      }
      if (at < earliest || at > latest) {
        const how = at < earliest ? `more than ${settings.maxEventAgeDays} days before` : `more than ${settings.maxAheadSeconds} s after`;
        rejects.push({ index, field: 'occurred_at', code: 'clock_fault', message: `${new Date(at).toISOString()} is ${how} the hub's clock (${ctx.now.toISOString()}): a controller clock fault?` });
        continue;
      }
      const personId = typeof data.person === 'number' ? data.person : data.card ? owners.get(data.card) : undefined;
      if (personId === undefined) {
        rejects.push({ index, field: 'card', code: 'unknown_card', message: `card ${data.card} is not in the card register of ${ctx.org.code}: load the register (stream cards), then replay this run` });
        continue;
      }
      candidates.push({ index, personId, direction: data.direction, at, card: data.card ?? null, device: data.device ?? null });
    }
    if (candidates.length === 0) return { created: 0, updated: 0, unchanged: 0, rejects };
    const windowMs = settings.duplicateWindowSeconds * 1000;
    const first = candidates.reduce((m, c) => Math.min(m, c.at), Infinity);
    const last = candidates.reduce((m, c) => Math.max(m, c.at), -Infinity);
    const stored = (await trx('access_events')
      .where({ organization_id: orgId })
      .whereIn('person_id', [...new Set(candidates.map((c) => c.personId))])
      .whereBetween('occurred_at', [nowIso(new Date(first - windowMs)), nowIso(new Date(last + windowMs))])
      .whereNull('deleted_at')
      .select('person_id', 'direction', 'occurred_at')).map((e: { person_id: number; direction: 'in' | 'out'; occurred_at: string }) => ({ personId: Number(e.person_id), direction: e.direction, at: Date.parse(e.occurred_at) }));
    const { fresh, duplicates } = splitDuplicates(candidates, stored, windowMs);
    const stamp = nowIso(ctx.now);
    const rows = [];
    for (const c of fresh) {
      const attrs = { organization_id: orgId, person_id: c.personId, card: c.card, occurred_at: nowIso(new Date(c.at)), direction: c.direction, device: c.device };
      rows.push({
        ...attrs, uid: uuidv7(ctx.now.getTime()), nk: `${ctx.org.code}|${c.personId}|${c.direction}|${secondIso(c.at)}`, content_hash: contentHash(attrs),
        change_version: await versions.take(), created_at: stamp, updated_at: stamp, deleted_at: null, source: ctx.instance.name,
      });
    }
    // A concurrent load of the same pass (push and log at once) meets the unique nk: first wins.
    for (let i = 0; i < rows.length; i += 500) await trx('access_events').insert(rows.slice(i, i + 500)).onConflict('nk').ignore();
    const days = [...new Set(fresh.map((c) => todayIn(zone, new Date(c.at))))];
    await addToOutbox(trx, days.map((date) => derivationRequest({ instance: ctx.instance.name, organization: ctx.org.code, date }, settings.attendance, ctx.runId)), ctx.now);
    return { created: fresh.length, updated: 0, unchanged: duplicates.length, rejects, ...(duplicates.length ? { notes: { duplicate_reads: duplicates.length } } : {}) };
  },
};
