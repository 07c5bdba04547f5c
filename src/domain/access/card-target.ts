/**
 * Load target `access.card`: the card register (card -> person, the person found by the roster's
 * external id through the `person` lookup) into the crosswalk under entity `card`. A register is a
 * snapshot: a card missing from a new one (lost, blocked) no longer resolves, so it cannot mark a
 * child present; past `maxCloseRatio` of the register that needs --confirm, like a roster.
 */
import { z } from 'zod';
import { PermanentError } from '../../core/errors.ts';
import { findLinks, saveLinks } from '../../db/crosswalk.ts';
import type { LoadTarget, TargetReject } from '../../pipeline/target.ts';
import { CARD_ENTITY } from './card-register.ts';

export const cardRecord = z.object({
  card: z.string().min(1).max(64),
  /** External id of the person before the lookup, core id after it. */
  person: z.union([z.string().min(1).max(191), z.number().int()]),
});
export type CardRecord = z.infer<typeof cardRecord>;

export const cardTarget: LoadTarget<CardRecord> = {
  name: 'access.card',
  schema: cardRecord,
  keyOf: (r) => r.card,
  async loadChunk(trx, _versions, records, ctx) {
    const rejects: TargetReject[] = [];
    const owner = new Map<string, number>();
    for (const { index, data } of records) {
      const person = Number(data.person);
      const prior = owner.get(data.card);
      if (prior !== undefined && prior !== person) {
        rejects.push({ index, field: 'card', code: 'card_conflict', message: `card ${data.card} is listed for two people in this register; the first listing is kept` });
        continue;
      }
      owner.set(data.card, person);
    }
    const current = await findLinks(trx, ctx.instance.name, CARD_ENTITY, [...owner.keys()]);
    let created = 0;
    let updated = 0;
    for (const [card, person] of owner) {
      const was = current.get(card);
      if (was === undefined) created++;
      else if (was !== person) updated++;
    }
    const links = [...owner].map(([externalId, coreId]) => ({ externalId, coreId }));
    if (!ctx.dryRun) await saveLinks(trx, ctx.instance.name, CARD_ENTITY, ctx.org.code, links, ctx.now, current);
    return { created, updated, unchanged: owner.size - created - updated, rejects };
  },
  async finish(trx, _versions, seen, ctx) {
    const links: { id: number; external_id: string }[] = await trx('external_ids').where({ source: ctx.instance.name, entity: CARD_ENTITY }).select('id', 'external_id');
    const gone = links.filter((l) => !seen.has(l.external_id)).map((l) => Number(l.id));
    if (gone.length === 0) return { deleted: 0 };
    const share = gone.length / links.length;
    if (share > ctx.instance.maxCloseRatio && !ctx.confirm) {
      throw new PermanentError('snapshot_too_small', `this card register would remove ${gone.length} of ${links.length} cards of ${ctx.org.code} (${Math.round(share * 100)}%, limit ${Math.round(ctx.instance.maxCloseRatio * 100)}%); nothing was removed. If the cards really are gone, re-run with --confirm`);
    }
    for (let i = 0; i < gone.length; i += 1000) await trx('external_ids').whereIn('id', gone.slice(i, i + 1000)).delete();
    return { deleted: gone.length, notes: { cards_removed: gone.length } };
  },
};
