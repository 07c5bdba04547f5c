/**
 * The HTTP API as an app, separate from the listening server (server.ts), so tests drive it with
 * `app.inject()`. Routes are added after build() returns and before the first request, which is
 * how later capabilities (and tests) mount their route groups behind requireScope().
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { uuidv7 } from '../db/ids.ts';
import type { Runtime } from '../runtime.ts';
import { createAuthContext, type AuthOptions } from './auth/context.ts';
import { installErrorHandling } from './errors.ts';
import { addFormParser } from './form-body.ts';
import { healthRoutes } from './routes/health.ts';
import { tokenRoutes } from './routes/token.ts';
import { ingestRoutes } from './routes/ingest.ts';
import { v1Routes } from './routes/v1/index.ts';
import { myschoolRoutes } from './routes/myschool.ts';
import { sendFrameworkError } from './myschool/outcome.ts';
import type { HubQueue } from '../queue/types.ts';
// The guard declares `app.auth` and `request.client` on fastify's types.
import './auth/guard.ts';

export interface BuildOptions extends AuthOptions {
  rt: Runtime;
  /** Fastify's request log (pino, to stdout); off by default, the hub logs through rt.log. */
  logger?: boolean;
  /** Where pushed batches' runs are enqueued; without one they wait for the next recovery. */
  queue?: HubQueue;
}

/** A caller's own request id is kept (it ties our log to theirs) if it looks like an id. */
const requestIdPattern = /^[A-Za-z0-9._:-]{1,64}$/;

function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && requestIdPattern.test(given) ? given : uuidv7();
}

export async function build(opts: BuildOptions): Promise<FastifyInstance> {
  const { rt } = opts;
  const app = Fastify({
    logger: opts.logger ? { level: 'info', redact: ['req.headers.authorization'] } : false,
    bodyLimit: rt.hub.limits.maxBodyBytes,
    genReqId: requestId,
    // A slow client may not hold a connection open forever (applies once listening).
    requestTimeout: 30_000,
    // A malformed URL or an over-long path segment answers in the documented shape, URL not echoed.
    frameworkErrors: (_err, request, reply) => sendFrameworkError(request, reply),
  });

  app.decorate('auth', createAuthContext(rt, opts));
  app.decorateRequest('client', null);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  installErrorHandling(app, rt.log);
  addFormParser(app);

  await healthRoutes(app, rt);
  await tokenRoutes(app);
  await ingestRoutes(app, rt, opts.queue);
  await v1Routes(app);
  await myschoolRoutes(app);
  return app;
}
