/**
 * `rso-hub serve`: the API; with the inline queue it also processes jobs and runs the scheduler in
 * this process (the embedded setup). `rso-hub scheduler` runs only the scheduler (grown setup).
 */
import type { Command } from 'commander';
import { createQueue } from '../../queue/index.ts';
import { recoverRuns } from '../../pipeline/recover.ts';
import { startScheduler } from '../../scheduler/index.ts';
import { reportError, withRuntime } from '../context.ts';
import { untilSignal } from './worker.ts';

export function register(program: Command): void {
  program.command('serve').description('serve the HTTP API (embedded: also the worker and the scheduler)')
    .option('-p, --port <port>', 'port', process.env.PORT ?? '8080')
    .option('--host <host>', 'interface', process.env.HOST ?? '127.0.0.1')
    .action(async (o: { port: string; host: string }, cmd: Command) => {
      try {
        await withRuntime(cmd, async (rt) => {
          const { listen } = await import('../../api/server.ts');
          const queue = await createQueue(rt);
          let sched: { stop(): void } | undefined;
          if (queue.driver === 'inline') {
            await queue.startWorker();
            await recoverRuns(rt, queue);
            sched = startScheduler(rt, queue);
          }
          const app = await listen(rt, { port: Number(o.port), host: o.host }, { queue });
          rt.log.info(`listening on http://${o.host}:${o.port}`);
          await untilSignal();
          sched?.stop();
          await app.close();
          await queue.close();
        });
      } catch (err) {
        reportError(err);
      }
    });

  program.command('scheduler').description('fire scheduled runs onto the queue (grown setup)')
    .action(async (_o: unknown, cmd: Command) => {
      try {
        await withRuntime(cmd, async (rt) => {
          const queue = await createQueue(rt);
          const sched = startScheduler(rt, queue);
          await untilSignal();
          sched.stop();
          await queue.close();
        });
      } catch (err) {
        reportError(err);
      }
    });
}
