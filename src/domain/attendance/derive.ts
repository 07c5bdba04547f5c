/**
 * Derives one school-day's attendance from the turnstile: a day-level row (lesson_id null,
 * precedence 10) per student with lessons that day, written only when it changes, so re-running
 * is free and new passes (late, out of order) replace what was derived before. A teacher's
 * day-level journal entry (higher precedence) is never touched, and its student gets no derived
 * row or signal. Nothing is derived on holidays, for days ahead, or for a day on which the school's
 * turnstile reported no pass at all (a dead turnstile must not mark a school absent).
 * Today, a student absent with no entry also gets one "absent, no entry" signal (the SMS alert).
 */
import type { Knex } from 'knex';
import { todayIn, type OrgTree } from '../../config/organizations.ts';
import { writeTransaction, type VersionSource } from '../../db/change-versions.ts';
import { contentHash, nowIso, uuidv7 } from '../../db/ids.ts';
import { organizationId } from '../../db/organizations-store.ts';
import { softDelete, upsertByNk } from '../../db/upsert.ts';
import type { AttendanceSettings } from '../access/settings.ts';
import { absenceDeadline, judgeDay, TURNSTILE_PRECEDENCE } from './rules.ts';
import { loadSchoolDay } from './school-day.ts';

export const SIGNAL_ABSENT_NO_ENTRY = 'absent_no_entry';

export interface DeriveRequest {
  organization: string;
  date: string;
  settings: AttendanceSettings;
  now: Date;
  /** Written into the rows' `source` (the instance whose passes and settings these are). */
  source: string;
}

export interface DeriveSummary {
  organization: string;
  date: string;
  skipped?: 'holiday' | 'future' | 'no_passes';
  students: number;
  statuses: Record<string, number>;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  /** Students whose day a teacher's journal entry decides. */
  keptJournal: number;
  /** Students with no pass whose absence deadline has not come yet. */
  pending: number;
  signals: number;
  /** The next absence deadline of the day still to come, if any. */
  nextDeadline?: Date;
}

export const derivedNk = (studentId: number, date: string) => `turnstile|${studentId}|${date}`;

export async function deriveSchoolDay(db: Knex, orgs: OrgTree, req: DeriveRequest): Promise<DeriveSummary> {
  const zone = orgs.get(req.organization).timeZone;
  const summary: DeriveSummary = { organization: req.organization, date: req.date, students: 0, statuses: {}, created: 0, updated: 0, unchanged: 0, deleted: 0, keptJournal: 0, pending: 0, signals: 0 };
  const today = todayIn(zone, req.now);
  if (req.date > today) return { ...summary, skipped: 'future' };
  if (orgs.isHoliday(req.organization, req.date)) return { ...summary, skipped: 'holiday' };
  return writeTransaction(db, async (trx, versions) => {
    const orgId = await organizationId(trx, req.organization);
    const data = await loadSchoolDay(trx, orgId, req.date, zone);
    if (data.passCount === 0) return { ...summary, skipped: 'no_passes' };
    const existing: { id: number; nk: string; student_id: number; precedence: number }[] = await trx('attendance')
      .where({ organization_id: orgId, date: req.date }).whereNull('lesson_id').whereNull('deleted_at')
      .select('id', 'nk', 'student_id', 'precedence');
    const journal = new Set(existing.filter((r) => Number(r.precedence) > TURNSTILE_PRECEDENCE).map((r) => Number(r.student_id)));
    const now = req.now.getTime();
    const rows: { nk: string; attrs: Record<string, unknown> }[] = [];
    const absentNoEntry: { studentId: number; firstLessonAt: number; deadline: number }[] = [];
    let next = Infinity;
    for (const [studentId, day] of data.days) {
      summary.students++;
      if (journal.has(studentId)) {
        summary.keptJournal++;
        continue;
      }
      const verdict = judgeDay(day, now, req.settings);
      if (!verdict) {
        summary.pending++;
        next = Math.min(next, absenceDeadline(day, req.settings));
        continue;
      }
      summary.statuses[verdict.status] = (summary.statuses[verdict.status] ?? 0) + 1;
      rows.push({ nk: derivedNk(studentId, req.date), attrs: { student_id: studentId, date: req.date, lesson_id: null, organization_id: orgId, status: verdict.status, minutes_late: verdict.minutesLate, precedence: TURNSTILE_PRECEDENCE } });
      if (verdict.noEntry) absentNoEntry.push({ studentId, firstLessonAt: day.firstLessonAt, deadline: absenceDeadline(day, req.settings) });
    }
    const res = await upsertByNk(trx, versions, 'attendance', rows, { source: req.source, now: req.now });
    // Derived rows nothing stands behind any more (the timetable or the enrollment changed).
    const wanted = new Set(rows.map((r) => r.nk));
    const stale = existing.filter((r) => r.nk.startsWith('turnstile|') && !wanted.has(r.nk) && !journal.has(Number(r.student_id))).map((r) => Number(r.id));
    summary.deleted = await softDelete(trx, versions, 'attendance', stale, req.now);
    if (req.date === today) summary.signals = await raiseSignals(trx, versions, orgId, req, absentNoEntry);
    return { ...summary, created: res.created, updated: res.updated, unchanged: res.unchanged, ...(Number.isFinite(next) ? { nextDeadline: new Date(next) } : {}) };
  });
}

/** One signal per student, day and kind, ever: a repeated derivation finds it and adds nothing. */
async function raiseSignals(trx: Knex.Transaction, versions: VersionSource, orgId: number, req: DeriveRequest, absent: { studentId: number; firstLessonAt: number; deadline: number }[]): Promise<number> {
  if (absent.length === 0) return 0;
  const known = new Set((await trx('attendance_signals').where({ organization_id: orgId, date: req.date, kind: SIGNAL_ABSENT_NO_ENTRY }).select('student_id')).map((r: { student_id: number }) => Number(r.student_id)));
  const stamp = nowIso(req.now);
  const rows = [];
  for (const a of absent.filter((x) => !known.has(x.studentId))) {
    const attrs = { student_id: a.studentId, organization_id: orgId, date: req.date, kind: SIGNAL_ABSENT_NO_ENTRY, first_lesson_at: nowIso(new Date(a.firstLessonAt)), deadline_at: nowIso(new Date(a.deadline)) };
    rows.push({ ...attrs, uid: uuidv7(req.now.getTime()), nk: `${SIGNAL_ABSENT_NO_ENTRY}|${a.studentId}|${req.date}`, content_hash: contentHash(attrs), change_version: await versions.take(), created_at: stamp, updated_at: stamp, deleted_at: null, source: req.source });
  }
  for (let i = 0; i < rows.length; i += 500) await trx('attendance_signals').insert(rows.slice(i, i + 500)).onConflict('nk').ignore();
  return rows.length;
}
