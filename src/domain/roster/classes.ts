/** The year's classes and subgroups, created from the roster (ARCHITECTURE.md: classes come from the roster). */
import type { Knex } from 'knex';
import type { VersionSource } from '../../db/change-versions.ts';
import { upsertByNk } from '../../db/upsert.ts';
import type { LoadContext } from '../../pipeline/target.ts';
import { parseClassName } from '../class-name.ts';
import { todayIn } from '../../config/organizations.ts';

/** The academic year code for a date: from the calendar, else September-to-August ("2026/2027"). */
export function yearCodeFor(ctx: LoadContext, date: string): string {
  const y = ctx.orgs.yearOf(ctx.org.code, date);
  if (y) return y.code;
  const [yy, mm] = date.split('-').map(Number) as [number, number];
  const start = mm >= 8 ? yy : yy - 1;
  return `${start}/${start + 1}`;
}

export function today(ctx: LoadContext): string {
  return todayIn(ctx.org.timeZone, ctx.now);
}

/** Ensures classes (and groups) exist; returns class name -> id and "class|group" -> group id. */
export async function ensureClasses(
  trx: Knex.Transaction,
  versions: VersionSource,
  ctx: LoadContext,
  orgId: number,
  yearCode: string,
  wanted: { className: string; group?: string | null | undefined }[],
): Promise<{ classes: Map<string, number>; groups: Map<string, number> }> {
  const names = [...new Set(wanted.map((w) => w.className))];
  const rows = names.map((n) => {
    const c = parseClassName(n);
    return { nk: `${ctx.org.code}|${yearCode}|${c.name}`, attrs: { organization_id: orgId, year_code: yearCode, name: c.name, grade: c.grade, letter: c.letter, homeroom_id: null } };
  });
  const res = await upsertByNk(trx, versions, 'classes', rows, { source: ctx.instance.name, now: ctx.now, dryRun: ctx.dryRun });
  const classes = new Map<string, number>();
  for (const r of rows) {
    const ref = res.refs.get(r.nk);
    if (ref) classes.set(String(r.attrs.name), ref.id);
  }
  const groupRows: { nk: string; attrs: Record<string, unknown> }[] = [];
  for (const w of wanted) {
    const classId = classes.get(w.className);
    if (!w.group || classId === undefined) continue;
    groupRows.push({ nk: `${classId}|${w.group}`, attrs: { class_id: classId, name: w.group } });
  }
  const groups = new Map<string, number>();
  if (groupRows.length) {
    const g = await upsertByNk(trx, versions, 'class_groups', groupRows, { source: ctx.instance.name, now: ctx.now, dryRun: ctx.dryRun });
    for (const w of wanted) {
      const classId = classes.get(w.className);
      const ref = classId !== undefined && w.group ? g.refs.get(`${classId}|${w.group}`) : undefined;
      if (ref) groups.set(`${w.className}|${w.group}`, ref.id);
    }
  }
  return { classes, groups };
}
