/** `rso-hub runs`, `rso-hub rejects <runId>`, `rso-hub replay <runId>`. */
import type { Command } from 'commander';
import { createRunFor } from '../../pipeline/execute.ts';
import { getRun, listRejects, listRuns } from '../../pipeline/runs-store.ts';
import { printTable, reportError, withRuntime } from '../context.ts';
import { formatSummary } from '../summary.ts';
import { runAndWait } from './run.ts';

export function register(program: Command): void {
  program.command('runs').description('recent runs').option('-i, --instance <name>').option('-n, --limit <n>', 'how many', '20').option('--json')
    .action(async (o: { instance?: string; limit: string; json?: boolean }, cmd: Command) => {
      try {
        await withRuntime(cmd, async (rt) => {
          const runs = await listRuns(rt.db, { ...(o.instance ? { instance: o.instance } : {}), limit: Number(o.limit) });
          if (o.json) return void process.stdout.write(`${JSON.stringify(runs)}\n`);
          printTable(runs.map((r) => {
            const t = Object.values(r.counts ?? {});
            const sum = (k: 'read' | 'rejected' | 'created' | 'updated') => t.reduce((a, c) => a + c[k], 0);
            return { id: r.id, instance: r.instance, kind: r.kind, status: r.status, started: r.started_at, finished: r.finished_at, read: sum('read'), created: sum('created'), updated: sum('updated'), rejected: sum('rejected'), error: r.error_code };
          }));
        });
      } catch (err) {
        reportError(err);
      }
    });

  program.command('rejects <runId>').description('rejected records of a run: where, which field, why').option('--json')
    .action(async (runId: string, o: { json?: boolean }, cmd: Command) => {
      try {
        await withRuntime(cmd, async (rt) => {
          const rows = await listRejects(rt.db, runId);
          if (o.json) return void process.stdout.write(`${JSON.stringify(rows)}\n`);
          printTable(rows.map((r: Record<string, unknown>) => ({ stream: r.stream, position: r.position, field: r.field, code: r.code, message: r.message, replayed_in: r.replayed_in })));
        });
      } catch (err) {
        reportError(err);
      }
    });

  program.command('replay <runId>').description('re-run only the rejected records of a run (after a mapping fix)').option('--json')
    .action(async (runId: string, o: { json?: boolean }, cmd: Command) => {
      try {
        await withRuntime(cmd, async (rt) => {
          const orig = await getRun(rt.db, runId);
          if (!orig) throw new Error(`run ${runId} does not exist`);
          const id = await createRunFor(rt, { instance: orig.instance, files: [], replayOf: runId });
          const s = await runAndWait(rt, id, orig.instance, !o.json);
          process.stdout.write(o.json ? `${JSON.stringify(s)}\n` : formatSummary(s));
          if (s.status !== 'succeeded') process.exitCode = 1;
        });
      } catch (err) {
        reportError(err);
      }
    });
}
