/**
 * Rows of a voting export gathered into sessions and turned into one result per participant:
 * the sum of the points of their answers out of the sum of the questions' maxima (a question
 * left unanswered counts as 0). A session with no identified participant at all (anonymous mode)
 * gives one record marked anonymous, which the pipeline skips and counts; unidentified rows in an
 * identified session (TurningPoint's `*` for an unlicensed remote) are rejected, since their
 * answers belong to someone the teacher can find.
 */
import type { RejectEvent } from '../../src/core/contract.ts';
import { answerPoints, isAnonymous, type Layout } from './layout.ts';

interface Session {
  id: string;
  date: string | undefined;
  /** question -> its maximum. */
  questions: Map<string, number>;
  devices: Map<string, { points: number; position: string }>;
  anonymous: string[];
  position: string;
}

export class SessionBook {
  private readonly sessions = new Map<string, Session>();
  readonly rejects: RejectEvent[] = [];

  constructor(private readonly layout: Layout, private readonly fallbackSession: string, private readonly perQuestion: number) {}

  add(values: Record<string, string>, position: string): void {
    const c = this.layout.columns;
    const id = (c.session ? values[c.session]?.trim() : '') || this.fallbackSession;
    let s = this.sessions.get(id);
    if (!s) this.sessions.set(id, (s = { id, date: undefined, questions: new Map(), devices: new Map(), anonymous: [], position }));
    const date = c.date ? values[c.date]?.trim() : '';
    if (date && !s.date) s.date = date;
    const answers = this.layout.kind === 'long' ? this.longAnswer(values, position) : this.wideAnswers(values, position);
    if (!answers) return;
    for (const [q, max] of answers.maxima) s.questions.set(q, Math.max(s.questions.get(q) ?? 0, max));
    const device = values[c.device!]?.trim() ?? '';
    if (isAnonymous(device)) {
      s.anonymous.push(position);
      return;
    }
    const d = s.devices.get(device) ?? { points: 0, position };
    d.points += answers.points;
    s.devices.set(device, d);
  }

  private longAnswer(values: Record<string, string>, position: string) {
    const c = this.layout.columns;
    const q = values[c.question!]?.trim() ?? '';
    if (q === '') return this.reject(values, position, c.question!, 'no_question', 'the row names no question');
    const cell = c.points ? (values[c.points] ?? '') : (values[c.correct!] ?? '');
    const points = answerPoints(cell, this.perQuestion, c.points !== undefined);
    if (points === undefined) return this.reject(values, position, c.points ?? c.correct!, 'bad_answer', `"${cell}" is neither points nor a correct/incorrect mark`);
    const maxCell = c.maxPoints ? values[c.maxPoints]?.trim().replace(',', '.') : '';
    const max = maxCell && Number.isFinite(Number(maxCell)) ? Number(maxCell) : this.perQuestion;
    return { points, maxima: [[q, max]] as [string, number][] };
  }

  private wideAnswers(values: Record<string, string>, position: string) {
    let points = 0;
    for (const q of this.layout.questions) {
      const p = answerPoints(values[q] ?? '', this.perQuestion, true);
      if (p === undefined) return this.reject(values, position, q, 'bad_answer', `column "${q}": "${values[q]}" is neither points nor a correct/incorrect mark`);
      points += p;
    }
    return { points, maxima: this.layout.questions.map((q) => [q, this.perQuestion] as [string, number]) };
  }

  private reject(values: Record<string, string>, position: string, field: string, code: string, message: string): undefined {
    this.rejects.push({ kind: 'reject', stream: 'results', data: values, position, field, code, message });
    return undefined;
  }

  /** Raw records, one per participant and session (one per wholly anonymous session). */
  *results(): Generator<{ data: Record<string, unknown>; position: string } | RejectEvent> {
    for (const s of this.sessions.values()) {
      const max = [...s.questions.values()].reduce((a, b) => a + b, 0);
      const base = { layout: this.layout.kind, test_id: s.id, taken_at: s.date ?? null, questions: s.questions.size, max_score: String(max) };
      if (s.devices.size === 0) {
        yield { data: { ...base, participant: null, status: 'anonymous', score: null }, position: s.position };
        continue;
      }
      if (s.anonymous.length > 0) {
        yield { kind: 'reject', stream: 'results', data: { ...base, rows: s.anonymous.join(', ') }, position: s.anonymous[0]!, field: this.layout.columns.device!, code: 'anonymous_participant',
          message: `session ${s.id}: ${s.anonymous.length} answer row(s) with no device id (anonymous or unlicensed remote) cannot be given to a student` };
      }
      for (const [device, d] of s.devices) {
        yield { data: { ...base, participant: device, status: 'final', score: String(Math.round(d.points * 100) / 100) }, position: d.position };
      }
    }
  }
}
