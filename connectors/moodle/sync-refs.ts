/**
 * How a sync op points at a Moodle entity: by id when Moodle has it, by idnumber when an earlier
 * op of the same plan creates it.
 */
import type { Ref } from './sync-types.ts';

/** `{id}` when Moodle has it, `{idnumber}` when this plan creates it, undefined otherwise. */
export function refResolver(existing: ReadonlyMap<string, number>, planned: ReadonlySet<string>) {
  return (idnumber: string): Ref | undefined => {
    const id = existing.get(idnumber);
    if (id !== undefined) return { id };
    return planned.has(idnumber) ? { idnumber } : undefined;
  };
}

/** idnumber -> Moodle id of the entities that carry an idnumber. */
export function idsByIdnumber(
  entities: ReadonlyArray<{ id: number; idnumber?: string | undefined }>,
): Map<string, number> {
  return new Map(entities.flatMap((e) => (e.idnumber ? [[e.idnumber, e.id] as const] : [])));
}
