/** `rso-hub marks period <organization>`: proposes period marks now and prints what it did. */
import type { Command } from 'commander';
import { computePeriodMarks } from '../../domain/marks/period.ts';
import { printTable, reportError, withRuntime } from '../context.ts';

interface PeriodOpts { year?: string; term?: string; json?: boolean }

export function register(program: Command): void {
  const marks = program.command('marks').description('marks from tests, quizzes, voting and the journal');
  marks
    .command('period <organization>')
    .description('propose period marks (weighted average per student, subject and term); teacher-set period marks are kept')
    .option('--year <code>', 'academic year code, e.g. 2026/2027 (default: the current one)')
    .option('--term <code>', 'term code from hub.yaml (default: the term containing today, or the last one begun)')
    .option('--json', 'print the result as one JSON object')
    .action(async (organization: string, o: PeriodOpts, cmd: Command) => {
      try {
        await withRuntime(cmd, async (rt) => {
          const started = performance.now();
          const r = await computePeriodMarks(rt, { organization, year: o.year, term: o.term, now: rt.now() });
          const seconds = (performance.now() - started) / 1000;
          if (o.json) {
            process.stdout.write(`${JSON.stringify({ ...r, seconds })}\n`);
            return;
          }
          printTable(r.terms.map((t) => ({ organization: t.organization, year: t.year, term: t.term })));
          process.stdout.write(`${r.studentSubjects} student-subject pairs in ${seconds.toFixed(1)} s: ${r.created} proposed, ${r.updated} updated, ${r.unchanged} unchanged, ${r.keptTeacherMarks} teacher marks kept, ${r.removed} withdrawn\n`);
        });
      } catch (err) {
        reportError(err);
      }
    });
}
