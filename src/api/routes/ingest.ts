/**
 * POST /ingest/:instance — pushed batches (turnstile controllers, school journals). The batch is
 * verified (device HMAC, or an API client with the connector's scope), parsed, and written to
 * ingest_batches together with its run row before the 2xx answer; only the run id goes on the
 * queue. The same body pushed twice is the same batch (idempotent by its SHA-256). Batches that
 * arrive while their instance's run is still queued join that run (ingest-store.ts).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isHubError, PermanentError } from '../../core/errors.ts';
import type { ReadEvent } from '../../core/contract.ts';
import type { HubQueue } from '../../queue/types.ts';
import type { Runtime } from '../../runtime.ts';
import { canSeeOrganization, requireScope } from '../auth/guard.ts';
import { ApiError } from '../errors.ts';
import { storeBatchGrouped } from './ingest-store.ts';

/** PermanentError codes of verify() -> the API's answer. */
const verifyCodes: Record<string, ConstructorParameters<typeof ApiError>[0]> = {
  bad_signature: 'bad_signature', unknown_device: 'bad_signature', missing_signature: 'bad_signature',
  stale_timestamp: 'stale_request', stale_request: 'stale_request',
};

export async function ingestRoutes(app: FastifyInstance, rt: Runtime, queue?: HubQueue): Promise<void> {
  await app.register(async (scope) => {
    // Signatures cover the raw bytes: this route group takes every body as a Buffer.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    // `/ingest/<instance>`, or `/ingest/<connector>/<instance>` (e.g. /ingest/turnstile/gate-7),
    // which also checks that the instance is of that connector.
    scope.post<{ Params: { instance: string; connector?: string } }>('/ingest/:connector/:instance', handler);
    scope.post<{ Params: { instance: string; connector?: string } }>('/ingest/:instance', handler);
    async function handler(request: FastifyRequest<{ Params: { instance: string; connector?: string } }>, reply: FastifyReply) {
      const inst = rt.hub.instances.find((i) => i.name === request.params.instance);
      const connector = inst ? rt.connectors.get(inst.connector) : undefined;
      const named = request.params.connector;
      if (!inst || !connector?.ingest || (named !== undefined && named !== inst.connector)) throw new ApiError('not_found', 'no push endpoint by that name');
      const config = connector.configSchema.parse(inst.config);
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      let source: string;
      if (connector.ingest.scope) {
        await guard(connector.ingest.scope, request, reply);
        if (!canSeeOrganization(request.client!, inst.organization)) throw new ApiError('not_found', 'no push endpoint by that name');
        source = `client:${request.client!.clientId}`;
      } else {
        source = (await verified(rt, inst.name, connector.ingest, request, body, config)).source;
      }
      let events: ReadEvent[];
      try {
        events = connector.ingest.parse(body, config) as ReadEvent[];
      } catch (err) {
        throw new ApiError('invalid_body', isHubError(err) ? err.message : 'the body could not be parsed');
      }
      const records = events.filter((e) => e.kind === 'record').length;
      const rejected = events.flatMap((e) => (e.kind === 'reject' ? [{ position: e.position, code: e.code, message: e.message }] : []));
      const sha = createHash('sha256').update(body).digest('hex');
      const stored = await storeBatchGrouped(rt.db, { instance: inst.name, source, sha, body: body.toString('utf8'), now: rt.now() });
      const { batchId, runId } = stored;
      if (stored.duplicate) return reply.code(202).send({ batchId, runId, duplicate: true, received: records, rejected });
      // Durable now; the queue only learns the id. A lost enqueue is recovered at the next start.
      await queue?.enqueue('run-instance', { runId, instance: inst.name }, { jobId: `run-${runId}` }).catch((e: unknown) => rt.log.warn('enqueue after ingest failed; the run will be recovered', { error: e instanceof Error ? e.message : String(e) }));
      return reply.code(202).send({ batchId, runId, received: records, rejected });
    }
  });
}

async function guard(scope: string, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  await requireScope(scope)(request, reply);
}

async function verified(rt: Runtime, instance: string, ingest: NonNullable<ReturnType<Runtime['connectors']['get']>>['ingest'] & object, request: FastifyRequest, body: Buffer, config: unknown): Promise<{ source: string }> {
  try {
    return await ingest.verify({
      headers: request.headers, rawBody: body, now: rt.now,
      secretFor: async (id) => {
        const row = await rt.db('ingest_devices').where({ instance, device_id: id }).whereNull('revoked_at').first('secret');
        return row?.secret as string | undefined;
      },
    }, config);
  } catch (err) {
    if (err instanceof PermanentError) throw new ApiError(verifyCodes[err.code] ?? 'bad_signature', err.message);
    throw err;
  }
}
