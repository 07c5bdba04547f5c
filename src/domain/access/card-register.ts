/**
 * The card register in the crosswalk: entity `card`, external id = the card in its normal form
 * (card-number.ts), core id = the person. A card is found among the links of this instance and of
 * every instance bound to this organization's chain or subtree (a municipality-wide register
 * serves its schools; another school's register does not).
 */
import type { Knex } from 'knex';
import type { LoadContext } from '../../pipeline/target.ts';

export const CARD_ENTITY = 'card';

export async function cardOwners(trx: Knex | Knex.Transaction, ctx: LoadContext, cards: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const orgs = [...new Set([...ctx.org.chain, ...ctx.orgs.subtree(ctx.org.code).map((o) => o.code)])];
  for (let i = 0; i < cards.length; i += 5000) {
    const rows: { external_id: string; core_id: number; source: string }[] = await trx('external_ids')
      .where({ entity: CARD_ENTITY })
      .whereIn('external_id', cards.slice(i, i + 5000))
      .where((q) => q.where({ source: ctx.instance.name }).orWhereIn('organization', orgs))
      .select('external_id', 'core_id', 'source');
    // This instance's own register wins over a wider one: written last.
    for (const own of [false, true]) {
      for (const r of rows) if ((r.source === ctx.instance.name) === own) out.set(String(r.external_id), Number(r.core_id));
    }
  }
  return out;
}
