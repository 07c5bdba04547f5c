/** One attempt of a student at a quiz, as both export formats are read into. */
export interface Attempt {
  participant: string;
  name: string;
  /** final: graded and submitted; in_progress: not submitted; pending: submitted, not yet graded. */
  status: 'final' | 'in_progress' | 'pending';
  /** Local `YYYY-MM-DDTHH:mm:ss`, with an offset when the export gives one. */
  takenAt: string | null;
  /** As written ("7.50", "7,50"); the mapping casts it. Null when there is none ("-"). */
  score: string | null;
  maxScore: string;
  position: string;
}

export type RowOutcome = { attempt: Attempt } | { reject: { code: string; message: string; field?: string } } | { skip: string };

export type AttemptPolicy = 'highest' | 'last' | 'first';

const num = (s: string | null): number => (s === null ? Number.NEGATIVE_INFINITY : Number(s.replace(',', '.')));

/**
 * One attempt per student: among the final ones by the policy (ties go to the earlier attempt);
 * a student with no final attempt keeps the latest, so the run counts it as skipped.
 */
export function chooseAttempts(attempts: Attempt[], policy: AttemptPolicy): (Attempt & { attempt: string })[] {
  const byStudent = new Map<string, Attempt[]>();
  for (const a of attempts) {
    const k = a.participant.trim().toLowerCase();
    byStudent.set(k, [...(byStudent.get(k) ?? []), a]);
  }
  const out: (Attempt & { attempt: string })[] = [];
  for (const list of byStudent.values()) {
    // Exports list attempts in the order they were made; a time, when there is one, decides.
    const ordered = list.map((a, i) => ({ a, i })).sort((x, y) => (x.a.takenAt ?? '').localeCompare(y.a.takenAt ?? '') || x.i - y.i).map((x) => x.a);
    const final = ordered.filter((a) => a.status === 'final');
    let pick: Attempt;
    if (final.length === 0) pick = ordered[ordered.length - 1]!;
    else if (policy === 'first') pick = final[0]!;
    else if (policy === 'last') pick = final[final.length - 1]!;
    else pick = final.reduce((best, a) => (num(a.score) > num(best.score) ? a : best));
    out.push({ ...pick, attempt: `${ordered.indexOf(pick) + 1}/${ordered.length}` });
  }
  return out;
}
