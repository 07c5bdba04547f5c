/** `rso-hub run <instance>`: runs now and waits; prints the run summary (or one JSON object). */
import type { Command } from 'commander';
import { createRunFor, executeRun, type RunSummary } from '../../pipeline/execute.ts';
import { getRun } from '../../pipeline/runs-store.ts';
import { createQueue } from '../../queue/index.ts';
import { relayOutbox } from '../../queue/outbox.ts';
import type { InlineQueue } from '../../queue/inline.ts';
import { workerName } from '../../queue/runner.ts';
import { tryLock, withLock } from '../../queue/instance-lock.ts';
import type { Runtime } from '../../runtime.ts';
import { reportError, withRuntime } from '../context.ts';
import { formatSummary, progressPrinter } from '../summary.ts';
import { setTimeout as sleep } from 'node:timers/promises';

interface RunOpts { file?: string[]; from?: string; to?: string; dryRun?: boolean; json?: boolean; confirm?: boolean; stream?: string[] }

export function register(program: Command): void {
  program
    .command('run <instance>')
    .description('run a connector instance now and wait for it (imports: read -> map -> load)')
    .option('-f, --file <path...>', 'input file(s) instead of the drop folder')
    .option('--from <date>', 'narrow the run to dates from (YYYY-MM-DD)')
    .option('--to <date>', 'narrow the run to dates up to (YYYY-MM-DD)')
    .option('--stream <name...>', 'only these streams')
    .option('--dry-run', 'do everything but commit nothing')
    .option('--confirm', 'allow a snapshot to close more than the configured share of rows')
    .option('--json', 'print the run summary as one JSON object')
    .action(async (instance: string, o: RunOpts, cmd: Command) => {
      try {
        await withRuntime(cmd, async (rt) => {
          const runId = await createRunFor(rt, { instance, files: o.file, from: o.from, to: o.to, dryRun: o.dryRun, confirm: o.confirm, streams: o.stream });
          const summary = await runAndWait(rt, runId, instance, !o.json);
          process.stdout.write(o.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
          if (summary.status !== 'succeeded') process.exitCode = 1;
        });
      } catch (err) {
        reportError(err);
      }
    });
}

/** Inline: execute here under the instance lock. BullMQ: enqueue and wait for a worker. */
export async function runAndWait(rt: Runtime, runId: string, instance: string, progress: boolean): Promise<RunSummary> {
  const queue = await createQueue(rt);
  try {
    if (queue.driver === 'inline') {
      const key = `instance:${instance}`;
      const holder = `${workerName()}:${runId}`;
      while (!(await tryLock(rt.db, key, holder))) await sleep(500);
      const onProgress = progress && process.stderr.isTTY ? progressPrinter() : undefined;
      const summary = await withLock(rt.db, key, holder, () => executeRun(rt, runId, { worker: workerName(), ...(onProgress ? { onProgress } : {}) }));
      // Embedded, nothing else may be running to take the follow-ups the run queued (attendance of
      // the school-days it loaded): they run here, now, without their debounce (the load is over).
      const followUps = await relayOutbox(rt.db, (job, data, opts) => queue.enqueue(job, data, { jobId: opts.jobId }));
      // Not the re-checks a derivation schedules for later (a worker or `serve` runs those).
      await (queue as InlineQueue).settled({ delayed: false });
      return followUps ? { ...summary, followUps } : summary;
    }
    await queue.enqueue('run-instance', { runId, instance }, { jobId: `run-${runId}` });
    for (;;) {
      await sleep(300);
      const run = await getRun(rt.db, runId);
      if (run && (run.status === 'succeeded' || run.status === 'failed')) {
        return {
          runId, instance, status: run.status, dryRun: run.dry_run,
          streams: Object.fromEntries(Object.entries(run.counts ?? {}).map(([k, v]) => [k, { ...v, notes: (v as { notes?: Record<string, number> }).notes ?? {} }])),
          totals: Object.values(run.counts ?? {}).reduce((a, c) => ({ read: a.read + c.read, created: a.created + c.created, updated: a.updated + c.updated, unchanged: a.unchanged + c.unchanged, deleted: a.deleted + c.deleted, rejected: a.rejected + c.rejected }), { read: 0, created: 0, updated: 0, unchanged: 0, deleted: 0, rejected: 0 }),
          ...(run.error_code ? { error: { code: run.error_code, message: run.error_message ?? '' } } : {}),
        };
      }
    }
  } finally {
    await queue.close();
  }
}
