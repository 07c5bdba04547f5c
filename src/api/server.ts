/** The listening server around build(): `rso-hub serve` calls listen() and close() on shutdown. */
import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../runtime.ts';
import { build, type BuildOptions } from './app.ts';
import { refreshDiaryWeeks } from '../domain/diary/class-weeks.ts';

/** How often a listening server builds the diary's class-weeks that writers made stale. */
const DIARY_REFRESH_MS = 5_000;
/** Class-weeks built per tick at most: a big import is caught up over a few ticks, reads never wait on it. */
const DIARY_REFRESH_LIMIT = 5_000;

/**
 * Keeps the diary's class-week read model fresh while the server listens, so that portal reads
 * find the weeks a timetable import or a journal changed already built. A read of a stale week
 * builds it itself; this only moves that work off the request path.
 */
function keepDiaryWeeks(rt: Runtime, everyMs: number): () => Promise<void> {
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = refreshDiaryWeeks(rt.db, { limit: DIARY_REFRESH_LIMIT })
      .then(({ built }) => {
        if (built > 0) rt.log.info('diary weeks built', { built });
      })
      .catch((err: unknown) => rt.log.warn('diary weeks refresh failed', { error: err instanceof Error ? err.message : String(err) }))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

export interface ListeningServer {
  app: FastifyInstance;
  /** e.g. http://127.0.0.1:8080 (the real port when 0 was asked). */
  url: string;
  /** Stops accepting, lets in-flight requests finish; the runtime stays open (its owner closes it). */
  close(): Promise<void>;
}

export async function listen(
  rt: Runtime,
  where: { port: number; host: string },
  opts: Omit<BuildOptions, 'rt'> & { diaryRefreshMs?: number } = {},
): Promise<ListeningServer> {
  const { diaryRefreshMs = DIARY_REFRESH_MS, ...buildOpts } = opts;
  const app = await build({ ...buildOpts, rt });
  await app.listen({ port: where.port, host: where.host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : where.port;
  const host = where.host.includes(':') ? `[${where.host}]` : where.host;
  rt.log.info('api listening', { url: `http://${host}:${port}` });
  const stopKeeping = keepDiaryWeeks(rt, diaryRefreshMs);
  return {
    app,
    url: `http://${host}:${port}`,
    close: async () => {
      await stopKeeping();
      await app.close();
    },
  };
}
