/** The listening server around build(): `rso-hub serve` calls listen() and close() on shutdown. */
import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../runtime.ts';
import { build, type BuildOptions } from './app.ts';

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
  opts: Omit<BuildOptions, 'rt'> = {},
): Promise<ListeningServer> {
  const app = await build({ ...opts, rt });
  await app.listen({ port: where.port, host: where.host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : where.port;
  const host = where.host.includes(':') ? `[${where.host}]` : where.host;
  rt.log.info('api listening', { url: `http://${host}:${port}` });
  return { app, url: `http://${host}:${port}`, close: () => app.close() };
}
