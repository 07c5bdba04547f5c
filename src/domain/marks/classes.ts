/**
 * Classes by name for the academic year of a date. Classes come from the roster (ARCHITECTURE.md):
 * marks never create one, a name the roster does not know is the caller's rejection.
 */
import type { Knex } from 'knex';
import type { LoadContext } from '../../pipeline/target.ts';
import { yearCodeFor } from '../roster/classes.ts';

export const classKey = (name: string, year: string): string => `${year}|${name}`;

/** `wanted`: class name and the date it is needed for; answers classKey(name, year) -> class id. */
export async function findClasses(
  trx: Knex | Knex.Transaction,
  ctx: LoadContext,
  orgId: number,
  wanted: { name: string; date: string }[],
): Promise<{ ids: Map<string, number>; yearOf: (date: string) => string }> {
  const years = new Map<string, string>();
  const yearOf = (date: string) => {
    let y = years.get(date);
    if (y === undefined) years.set(date, (y = yearCodeFor(ctx, date)));
    return y;
  };
  const names = [...new Set(wanted.map((w) => w.name))];
  const ids = new Map<string, number>();
  if (names.length === 0) return { ids, yearOf };
  const rows = await trx('classes').where({ organization_id: orgId }).whereIn('name', names).whereNull('deleted_at').select('id', 'name', 'year_code');
  for (const r of rows as { id: number; name: string; year_code: string }[]) ids.set(classKey(r.name, r.year_code), Number(r.id));
  return { ids, yearOf };
}
