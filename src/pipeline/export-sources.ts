/**
 * Core queries that feed export streams. A source returns the persons-centred rows changed in a
 * change-version window for an organization subtree; the export run filters them by consent.
 */
import type { Knex } from 'knex';
import { lmsCoursesSource, lmsUsersSource } from '../domain/lms/export-sources.ts';

export interface SourceRow {
  /** The person the row is about (the consent filter applies); null for rows about no person (a class, a school). */
  personId: number | null;
  publicId: string;
  deleted: boolean;
  data: Record<string, unknown>;
}

export interface ExportSource {
  name: string;
  /** Rows changed in (after, upTo] for the organizations (ids) given. */
  changed(db: Knex, window: { after: number; upTo: number }, orgIds: number[]): Promise<SourceRow[]>;
}

const studentsSource: ExportSource = {
  name: 'roster.students',
  async changed(db, w, orgIds) {
    const inWindow = (t: string) => (q: Knex.QueryBuilder) => q.where(`${t}.change_version`, '>', w.after).andWhere(`${t}.change_version`, '<=', w.upTo);
    const ids = new Set<number>();
    const collect = (rows: { person_id: number }[]) => rows.forEach((r) => ids.add(Number(r.person_id)));
    collect(await db('enrollments').whereIn('organization_id', orgIds).where(inWindow('enrollments')).distinct('person_id'));
    collect(await db('persons').join('enrollments', 'enrollments.person_id', 'persons.id').whereIn('enrollments.organization_id', orgIds).where(inWindow('persons')).distinct('persons.id as person_id'));
    collect(await db('person_consents').join('enrollments', 'enrollments.person_id', 'person_consents.person_id').whereIn('enrollments.organization_id', orgIds).where(inWindow('person_consents')).distinct('person_consents.person_id as person_id'));
    const out: SourceRow[] = [];
    const list = [...ids].sort((a, b) => a - b);
    for (let i = 0; i < list.length; i += 2000) {
      const part = list.slice(i, i + 2000);
      const persons = await db('persons').whereIn('id', part).select('id', 'uid', 'last_name', 'first_name', 'middle_name', 'birth_date', 'sex', 'deleted_at');
      const enr = await db('enrollments as e').join('classes as c', 'c.id', 'e.class_id').join('organizations as o', 'o.id', 'e.organization_id')
        .whereIn('e.person_id', part).whereIn('e.organization_id', orgIds).whereNull('e.deleted_at')
        .select('e.person_id', 'e.to_date', 'e.from_date', 'c.name as class_name', 'c.uid as class_uid', 'c.year_code', 'o.code as organization', 'o.uid as organization_uid')
        .orderBy('e.from_date');
      const byPerson = new Map<number, Record<string, unknown>[]>();
      for (const e of enr) byPerson.set(Number(e.person_id), [...(byPerson.get(Number(e.person_id)) ?? []), e]);
      for (const p of persons) {
        const all = byPerson.get(Number(p.id)) ?? [];
        const open = all.filter((e) => e.to_date == null);
        const current = open.at(-1) ?? all.at(-1);
        out.push({
          personId: Number(p.id), publicId: p.uid, deleted: p.deleted_at != null,
          data: {
            last_name: p.last_name, first_name: p.first_name, middle_name: p.middle_name, birth_date: p.birth_date, sex: p.sex,
            organization: current?.organization ?? null, organization_id: current?.organization_uid ?? null, class_name: current?.class_name ?? null,
            class_id: current?.class_uid ?? null, year: current?.year_code ?? null, active: open.length > 0,
          },
        });
      }
    }
    return out;
  },
};

export const exportSources = new Map<string, ExportSource>([studentsSource, lmsCoursesSource, lmsUsersSource].map((s) => [s.name, s]));
