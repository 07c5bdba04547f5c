/**
 * Who a result belongs to. A learner id (QTI context@sourcedId, a Moodle ID number, a Google
 * e-mail) is, in this order: a person's public id; an external id of the crosswalk known in the
 * organization's tree (the roster's student code); an account of the participant register. A
 * voting device id is looked up in the participant register of the session's class only: the same
 * set of remotes serves many classes.
 */
import type { Knex } from 'knex';
import type { LoadContext } from '../../pipeline/target.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const accountKey = (id: string): string => id.trim().toLowerCase();

export interface ParticipantQuery {
  participant: string;
  kind: 'person' | 'device';
  /** Devices: the class whose register assigns them. */
  classId?: number | null;
}

export const participantKey = (q: ParticipantQuery): string => (q.kind === 'device' ? `d|${q.classId ?? ''}|${q.participant}` : `p|${q.participant}`);

/** participantKey -> person id, for the ones that are known. */
export async function resolveParticipants(
  trx: Knex | Knex.Transaction,
  ctx: LoadContext,
  orgId: number,
  queries: ParticipantQuery[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const persons = [...new Set(queries.filter((q) => q.kind === 'person').map((q) => q.participant))];
  const uuids = persons.filter((p) => UUID.test(p));
  for (let i = 0; i < uuids.length; i += 5000) {
    for (const r of await trx('persons').whereIn('uid', uuids.slice(i, i + 5000)).whereNull('deleted_at').select('id', 'uid')) out.set(`p|${r.uid}`, Number(r.id));
  }
  let rest = persons.filter((p) => !out.has(`p|${p}`));
  if (rest.length > 0) {
    const orgs = [...new Set([...ctx.org.chain, ...ctx.orgs.subtree(ctx.org.code).map((o) => o.code)])];
    for (let i = 0; i < rest.length; i += 5000) {
      const rows = await trx('external_ids').where({ entity: 'person' }).whereIn('external_id', rest.slice(i, i + 5000))
        .where((q) => q.where({ source: ctx.instance.name }).orWhereIn('organization', orgs))
        .select('external_id', 'core_id', 'source');
      // This instance's own links win over links other sources made.
      rows.sort((a: { source: string }) => (a.source === ctx.instance.name ? 1 : -1));
      for (const r of rows) out.set(`p|${r.external_id}`, Number(r.core_id));
    }
    rest = rest.filter((p) => !out.has(`p|${p}`));
  }
  if (rest.length > 0) {
    const byAccount = new Map(rest.map((p) => [accountKey(p), p]));
    const rows = await trx('assessment_participants').where({ organization_id: orgId, kind: 'account' }).whereIn('external_id', [...byAccount.keys()]).whereNull('deleted_at').select('external_id', 'person_id');
    for (const r of rows) out.set(`p|${byAccount.get(String(r.external_id))}`, Number(r.person_id));
  }
  const devices = queries.filter((q) => q.kind === 'device');
  if (devices.length > 0) {
    const rows = await trx('assessment_participants').where({ organization_id: orgId, kind: 'device' })
      .whereIn('external_id', [...new Set(devices.map((d) => accountKey(d.participant)))]).whereNull('deleted_at')
      .select('external_id', 'class_id', 'person_id');
    const byDevice = new Map<string, number>();
    for (const r of rows) byDevice.set(`${r.class_id}|${r.external_id}`, Number(r.person_id));
    for (const d of devices) {
      const id = byDevice.get(`${d.classId ?? ''}|${accountKey(d.participant)}`);
      if (id !== undefined) out.set(participantKey(d), id);
    }
  }
  return out;
}
