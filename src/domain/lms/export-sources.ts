/**
 * Export sources of an LMS roster (registered in src/pipeline/export-sources.ts), both whole
 * snapshots of the instance's organization subtree:
 * - `lms.courses`: each school with current classes (a course category) and each current class
 *   with the subjects its lessons teach (a course per class and subject); rows about no person;
 * - `lms.users`: students (with their class, active while an enrollment is open) and staff (with
 *   what they teach where), one row per person, so the consent filter applies per person.
 */
import type { Knex } from 'knex';
import type { ExportSource, SourceRow } from '../../pipeline/export-sources.ts';
import { currentClasses, inParts, lessonSubjects, type CurrentClass } from './scope.ts';

async function organizations(
  db: Knex,
  ids: number[],
): Promise<Map<number, { uid: string; code: string; name: string; short_name: string | null }>> {
  const rows = await inParts(ids, (part) =>
    db('organizations').whereIn('id', part).select('id', 'uid', 'code', 'name', 'short_name'),
  );
  return new Map(
    rows.map((o: { id: number; uid: string; code: string; name: string; short_name: string | null }) => [
      Number(o.id),
      o,
    ]),
  );
}

export const lmsCoursesSource: ExportSource = {
  name: 'lms.courses',
  async changed(db, _window, orgIds) {
    const classes = await currentClasses(db, orgIds);
    const orgs = await organizations(db, [...new Set(classes.map((c) => c.organizationId))]);
    const { byClass } = await lessonSubjects(
      db,
      classes.map((c) => c.id),
    );
    const rows: SourceRow[] = [...orgs.values()].map((o) => ({
      personId: null,
      publicId: o.uid,
      deleted: false,
      data: { kind: 'school', code: o.code, name: o.name, short_name: o.short_name },
    }));
    for (const c of classes) {
      const org = orgs.get(c.organizationId)!;
      rows.push({
        personId: null,
        publicId: c.uid,
        deleted: false,
        data: {
          kind: 'class',
          name: c.name,
          grade: c.grade,
          year: c.yearCode,
          starts_at: c.startsAt,
          ends_at: c.endsAt,
          organization: org.code,
          organization_id: org.uid,
          subjects: byClass.get(c.id) ?? [],
        },
      });
    }
    return rows;
  },
};

interface PersonRow {
  id: number;
  uid: string;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  deleted_at: string | null;
}

const names = (p: PersonRow) => ({ last_name: p.last_name, first_name: p.first_name, middle_name: p.middle_name });

export const lmsUsersSource: ExportSource = {
  name: 'lms.users',
  async changed(db, _window, orgIds) {
    const classes = await currentClasses(db, orgIds);
    const classById = new Map<number, CurrentClass>(classes.map((c) => [c.id, c]));
    const { byClass, byTeacher } = await lessonSubjects(
      db,
      classes.map((c) => c.id),
    );
    const enrollments = await db('enrollments as e')
      .join('classes as c', 'c.id', 'e.class_id')
      .whereIn('e.organization_id', orgIds)
      .whereNull('e.deleted_at')
      .orderBy(['e.person_id', 'e.from_date', 'e.id'])
      .select(
        'e.person_id',
        'e.class_id',
        'e.organization_id',
        'e.to_date',
        'c.uid as class_uid',
        'c.name as class_name',
        'c.grade',
      );
    const staff = await db('staff')
      .whereIn('organization_id', orgIds)
      .orderBy(['person_id', 'id'])
      .select('person_id', 'organization_id', 'position', 'deleted_at');
    const personIds = [...new Set([...enrollments, ...staff].map((r: { person_id: number }) => Number(r.person_id)))];
    const persons = new Map(
      (
        await inParts(personIds, (part) =>
          db('persons').whereIn('id', part).select('id', 'uid', 'last_name', 'first_name', 'middle_name', 'deleted_at'),
        )
      ).map((p: PersonRow) => [Number(p.id), p]),
    );
    const orgs = await organizations(db, orgIds);
    const rows: SourceRow[] = [];

    const byStudent = new Map<number, typeof enrollments>();
    for (const e of enrollments) byStudent.set(Number(e.person_id), [...(byStudent.get(Number(e.person_id)) ?? []), e]);
    for (const [personId, list] of byStudent) {
      const p = persons.get(personId);
      if (!p) continue;
      const open = list.filter((e: { to_date: string | null }) => e.to_date == null);
      const current = open.at(-1) ?? list.at(-1);
      rows.push({
        personId,
        publicId: p.uid,
        deleted: p.deleted_at != null,
        data: {
          role: 'student',
          ...names(p),
          active: open.length > 0,
          organization_id: orgs.get(Number(current.organization_id))?.uid ?? null,
          class_id: current.class_uid,
          class_name: current.class_name,
          grade: current.grade == null ? null : Number(current.grade),
          class_subjects: byClass.get(Number(current.class_id)) ?? [],
        },
      });
    }

    const byWorker = new Map<number, typeof staff>();
    for (const s of staff) byWorker.set(Number(s.person_id), [...(byWorker.get(Number(s.person_id)) ?? []), s]);
    for (const [personId, posts] of byWorker) {
      const p = persons.get(personId);
      if (!p) continue;
      const live = posts.filter((s: { deleted_at: string | null }) => s.deleted_at == null);
      const post = live[0] ?? posts[0];
      const teaches = (byTeacher.get(personId) ?? []).flatMap((t) => {
        const c = classById.get(t.classId);
        return c ? [{ class_id: c.uid, subject: t.subject }] : [];
      });
      rows.push({
        personId,
        publicId: p.uid,
        deleted: p.deleted_at != null,
        data: {
          role: 'teacher',
          ...names(p),
          active: live.length > 0,
          organization_id: orgs.get(Number(post.organization_id))?.uid ?? null,
          position: post.position,
          teaches,
        },
      });
    }
    return rows;
  },
};
