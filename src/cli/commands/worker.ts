/** `rso-hub worker`: processes queued jobs until SIGTERM/SIGINT, then shuts down gracefully. */
import type { Command } from 'commander';
import { createQueue } from '../../queue/index.ts';
import { reportError, withRuntime } from '../context.ts';
import { recoverRuns } from '../../pipeline/recover.ts';

export function register(program: Command): void {
  program.command('worker').description('process queued runs (BullMQ when REDIS_URL is set, else in-process)')
    .option('--concurrency <n>', 'jobs at once', '2')
    .action(async (o: { concurrency: string }, cmd: Command) => {
      try {
        await withRuntime(cmd, async (rt) => {
          const queue = await createQueue(rt);
          await queue.startWorker({ concurrency: Number(o.concurrency) });
          await recoverRuns(rt, queue);
          rt.log.info(`worker started (${queue.driver}, concurrency ${o.concurrency})`);
          await untilSignal();
          rt.log.info('shutting down: finishing the current chunk of each run');
          await queue.close();
        });
      } catch (err) {
        reportError(err);
      }
    });
}

export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (s: string) => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolve(s);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}
