/**
 * GET /healthz (liveness: the process answers and the database answers a trivial query) and
 * GET /readyz (readiness: also every migration this build knows is applied, so a new build behind
 * a load balancer takes traffic only after `rso-hub migrate`). Neither needs a token.
 */
import type { FastifyInstance } from 'fastify';
import { migrations } from '../../db/migrate.ts';
import type { Runtime } from '../../runtime.ts';

async function databaseAnswers(rt: Runtime): Promise<boolean> {
  try {
    await rt.db.raw('select 1');
    return true;
  } catch {
    return false;
  }
}

async function pendingMigrations(rt: Runtime): Promise<string[]> {
  const applied = new Set<string>(await rt.db('knex_migrations').pluck('name'));
  return migrations.map((m) => m.name).filter((n) => !applied.has(n));
}

export async function healthRoutes(app: FastifyInstance, rt: Runtime): Promise<void> {
  app.get('/healthz', async (_request, reply) => {
    if (await databaseAnswers(rt)) return reply.send({ status: 'ok' });
    return reply.code(503).send({ status: 'unavailable', checks: { database: 'down' } });
  });

  app.get('/readyz', async (_request, reply) => {
    if (!(await databaseAnswers(rt))) return reply.code(503).send({ status: 'unavailable', checks: { database: 'down' } });
    const pending = await pendingMigrations(rt).catch(() => ['(migrations table unreadable)']);
    if (pending.length) return reply.code(503).send({ status: 'unavailable', checks: { database: 'ok', migrations: 'pending' }, pending });
    return reply.send({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });
  });
}
