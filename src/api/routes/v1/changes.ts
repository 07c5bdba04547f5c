/**
 * The change feed (scope `changes:read`), modelled on Ed-Fi change queries (reference/anchors.md §1.3):
 * - GET /api/v1/changes/available -> { oldestChangeVersion, newestChangeVersion }
 * - GET /api/v1/changes?minChangeVersion&maxChangeVersion&limit -> lessons, marks, attendance and
 *   homework changed in the window, deletes as tombstones with natural keys, consent applied.
 * Page with `minChangeVersion = nextMinChangeVersion` while `hasMore`; then keep
 * `nextMinChangeVersion` for the next pull. Versions only become visible once every lower one is
 * committed, so a consumer never skips a late commit.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { recordAccess } from '../../audit.ts';
import { principal, requireScope } from '../../auth/guard.ts';
import { ApiError } from '../../errors.ts';
import { availableVersions, readFeed } from '../../../domain/diary/change-feed.ts';
import { countSchema, parseOr400 } from '../../v1/params.ts';
import { scopeOrgIds } from '../../v1/scope.ts';

export const MAX_CHANGES_LIMIT = 5000;
const DEFAULT_LIMIT = 500;
const MAX_VERSION = Number.MAX_SAFE_INTEGER;

export const changesQuery = z.strictObject({
  minChangeVersion: countSchema(MAX_VERSION).optional(),
  maxChangeVersion: countSchema(MAX_VERSION).optional(),
  limit: countSchema(MAX_CHANGES_LIMIT).refine((n) => n >= 1, 'must be at least 1').optional(),
});

export async function changesRoutes(app: FastifyInstance): Promise<void> {
  const guard = { preHandler: requireScope('changes:read') };

  app.get('/changes/available', guard, async (request) => {
    parseOr400(z.strictObject({}), request.query, 'query');
    return availableVersions(request.server.auth.rt.db);
  });

  app.get('/changes', guard, async (request) => {
    const q = parseOr400(changesQuery, request.query, 'query');
    const min = q.minChangeVersion ?? 0;
    if (q.maxChangeVersion !== undefined && q.maxChangeVersion < min) {
      throw new ApiError('invalid_request', 'query parameter "maxChangeVersion" is below "minChangeVersion"', {}, 'maxChangeVersion');
    }
    const rt = request.server.auth.rt;
    const client = principal(request);
    const orgIds = [...(await scopeOrgIds(rt.db, client))];
    const page = await readFeed(rt.db, { orgIds, purpose: client.purpose, unknownMeans: rt.hub.consent.unknownMeans[client.purpose] ?? 'refused' }, {
      after: min - 1,
      ...(q.maxChangeVersion !== undefined ? { upTo: q.maxChangeVersion } : {}),
      limit: q.limit ?? DEFAULT_LIMIT,
    });
    const at = request.server.auth.now();
    const entry = (personId: number, result: 'ok' | 'withheld') => ({ clientId: client.clientId, personId, resource: 'changes', result, requestId: String(request.id), at });
    await recordAccess(rt.db, [...page.sentPersons.map((p) => entry(p, 'ok')), ...page.withheldPersons.map((p) => entry(p, 'withheld'))]);
    return {
      minChangeVersion: min,
      maxChangeVersion: page.upTo,
      nextMinChangeVersion: page.next + 1,
      hasMore: page.hasMore,
      items: page.items,
    };
  });
}
