/**
 * Load targets of a timetable's master data (Untis GPU003–GPU006): `timetable.class` and
 * `timetable.teacher` only check against the roster (classes and people come from it) and remember
 * name-matched teachers in the crosswalk; `timetable.room` and `timetable.subject` create what
 * the organization does not have yet. Nothing here is removed when a file no longer lists it:
 * lessons of other sources and past lessons still point at it.
 */
import { z } from 'zod';
import type { LoadTarget, TargetReject } from '../../pipeline/target.ts';
import { timetableRun } from './timetable-run.ts';

const name = z.string().trim().min(1).max(191);
const optional = z.string().nullish();

export const classRecord = z.object({ short: name, name: optional });
export const teacherRecord = z.object({ short: name, name: optional, lastName: optional, firstName: optional, email: optional });
export const roomRecord = z.object({ short: name, name: optional });
export const subjectRecord = z.object({ short: name, name: optional });

export const classTarget: LoadTarget<z.infer<typeof classRecord>> = {
  name: 'timetable.class',
  schema: classRecord,
  async loadChunk(trx, _versions, records, ctx) {
    const { refs } = await timetableRun(trx, ctx);
    const rejects: TargetReject[] = [];
    for (const r of records) {
      const id = refs.classId(r.data.short);
      if (!('ok' in id)) rejects.push({ index: r.index, field: 'short', code: id.code, message: id.message });
    }
    return { created: 0, updated: 0, unchanged: records.length - rejects.length, rejects };
  },
};

export const teacherTarget: LoadTarget<z.infer<typeof teacherRecord>> = {
  name: 'timetable.teacher',
  schema: teacherRecord,
  async loadChunk(trx, _versions, records, ctx) {
    const { refs } = await timetableRun(trx, ctx);
    const rejects: TargetReject[] = [];
    for (const r of records) {
      const t = r.data;
      const id = refs.teacherId({
        short: t.short, ...(t.name ? { name: t.name } : {}), ...(t.lastName ? { lastName: t.lastName } : {}), ...(t.firstName ? { firstName: t.firstName } : {}),
      });
      if (!('ok' in id)) rejects.push({ index: r.index, field: 'short', code: id.code, message: id.message });
    }
    await refs.saveTeacherLinks(trx, ctx);
    return { created: 0, updated: 0, unchanged: records.length - rejects.length, rejects };
  },
};

export const roomTarget: LoadTarget<z.infer<typeof roomRecord>> = {
  name: 'timetable.room',
  schema: roomRecord,
  async loadChunk(trx, versions, records, ctx) {
    const { refs } = await timetableRun(trx, ctx);
    // Lessons name a room by its short code ("201"), so that is the room's name in the hub.
    const created = await refs.ensureRooms(trx, versions, ctx, records.map((r) => r.data.short));
    return { created, updated: 0, unchanged: records.length - created, rejects: [] };
  },
};

export const subjectTarget: LoadTarget<z.infer<typeof subjectRecord>> = {
  name: 'timetable.subject',
  schema: subjectRecord,
  async loadChunk(trx, versions, records, ctx) {
    const { refs } = await timetableRun(trx, ctx);
    const created = await refs.ensureSubjects(trx, versions, ctx, records.map((r) => ({ name: r.data.name ?? r.data.short, short: r.data.short })));
    return { created, updated: 0, unchanged: records.length - created, rejects: [] };
  },
};
