/**
 * API clients (the `api_clients` table): who may call the API, for which organization subtrees,
 * which resources and which consent purpose. A secret is shown once at creation or rotation and
 * only its scrypt hash is kept. Ed-Fi binds a key/secret to education organizations the same way
 * (reference/anchors.md §1.4).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { OrgTree } from '../../config/organizations.ts';
import { purposes, type Purpose } from '../../config/schema.ts';
import { PermanentError } from '../../core/errors.ts';
import { nowIso } from '../../db/ids.ts';
import { burnSecretCheck, generateSecret, hashSecret, verifySecret } from './secret-hash.ts';

export interface ApiClient {
  clientId: string;
  name: string;
  /** Granted organization codes; each grants its whole subtree. */
  organizations: string[];
  resources: string[];
  purpose: Purpose;
  createdAt: string;
  secretRotatedAt: string;
  revokedAt: string | null;
  /**
   * A fingerprint of the current secret hash. Tokens carry it, so rotating the secret ends every
   * token issued before, whatever the clocks say (the salt changes on every rotation).
   */
  secretVersion: string;
}

export interface NewClient {
  name: string;
  organizations: string[];
  resources: string[];
  purpose?: Purpose | undefined;
}

/** `diary:read`, `ingest:journal`, `changes:read`: a family and an action. */
const resourcePattern = /^[a-z][a-z0-9_-]*:[a-z0-9_-]+$/;
/** `org:<code>` is how a token request narrows organizations, so no resource may look like it. */
export const ORG_SCOPE_PREFIX = 'org:';

const rowSchema = z.object({
  client_id: z.string(),
  name: z.string(),
  secret_hash: z.string(),
  organizations: z.string().transform((s) => z.array(z.string()).parse(JSON.parse(s))),
  resources: z.string().transform((s) => z.array(z.string()).parse(JSON.parse(s))),
  purpose: z.enum(purposes),
  created_at: z.string(),
  secret_rotated_at: z.string(),
  revoked_at: z.string().nullable(),
});

export function secretVersion(secretHash: string): string {
  return createHash('sha256').update(secretHash).digest('base64url').slice(0, 16);
}

function toClient(raw: unknown): ApiClient & { secretHash: string } {
  const r = rowSchema.parse(raw);
  return {
    clientId: r.client_id,
    name: r.name,
    organizations: r.organizations,
    resources: r.resources,
    purpose: r.purpose,
    createdAt: r.created_at,
    secretRotatedAt: r.secret_rotated_at,
    revokedAt: r.revoked_at,
    secretVersion: secretVersion(r.secret_hash),
    secretHash: r.secret_hash,
  };
}

function publicView({ secretHash: _hidden, ...client }: ApiClient & { secretHash: string }): ApiClient {
  return client;
}

/** Every problem with a grant at once, so the CLI user fixes them in one go. */
export function checkGrant(orgs: OrgTree, input: NewClient): void {
  const problems: string[] = [];
  if (!input.name.trim()) problems.push('a name is required');
  if (input.organizations.length === 0) problems.push('at least one organization is required');
  for (const code of input.organizations) if (!orgs.byCode.has(code)) problems.push(`unknown organization "${code}"`);
  if (input.resources.length === 0) problems.push('at least one resource is required (e.g. diary:read)');
  for (const r of input.resources) {
    if (!resourcePattern.test(r) || r.startsWith(ORG_SCOPE_PREFIX)) problems.push(`"${r}" is not a resource name (family:action, e.g. diary:read)`);
  }
  if (problems.length) throw new PermanentError('invalid_client_grant', problems.join('; '));
}

export async function createClient(
  deps: { db: Knex; orgs: OrgTree; now(): Date },
  input: NewClient,
): Promise<{ client: ApiClient; secret: string }> {
  checkGrant(deps.orgs, input);
  const secret = generateSecret();
  const at = nowIso(deps.now());
  const row = {
    client_id: `c_${randomBytes(10).toString('hex')}`,
    name: input.name.trim(),
    secret_hash: await hashSecret(secret),
    organizations: JSON.stringify([...new Set(input.organizations)]),
    resources: JSON.stringify([...new Set(input.resources)]),
    purpose: input.purpose ?? 'diary_portal',
    created_at: at,
    secret_rotated_at: at,
    revoked_at: null,
  };
  await deps.db('api_clients').insert(row);
  return { client: publicView(toClient(row)), secret };
}

async function findRow(db: Knex, clientId: string): Promise<(ApiClient & { secretHash: string }) | undefined> {
  const raw: unknown = await db('api_clients').where({ client_id: clientId }).first();
  return raw ? toClient(raw) : undefined;
}

async function mustFind(db: Knex, clientId: string): Promise<ApiClient & { secretHash: string }> {
  const c = await findRow(db, clientId);
  if (!c) throw new PermanentError('unknown_client', `no API client "${clientId}"`);
  return c;
}

export async function getClient(db: Knex, clientId: string): Promise<ApiClient | undefined> {
  const c = await findRow(db, clientId);
  return c && publicView(c);
}

export async function listClients(db: Knex): Promise<ApiClient[]> {
  const rows: unknown[] = await db('api_clients').orderBy('created_at').orderBy('id');
  return rows.map((r) => publicView(toClient(r)));
}

/** Revoking twice keeps the first date: it is the moment access ended. */
export async function revokeClient(db: Knex, clientId: string, now: Date): Promise<ApiClient> {
  const c = await mustFind(db, clientId);
  if (!c.revokedAt) await db('api_clients').where({ client_id: clientId }).update({ revoked_at: nowIso(now) });
  return publicView((await findRow(db, clientId))!);
}

/** A new secret; the old secret and every token issued with it stop working. */
export async function rotateSecret(db: Knex, clientId: string, now: Date): Promise<{ client: ApiClient; secret: string }> {
  const c = await mustFind(db, clientId);
  if (c.revokedAt) throw new PermanentError('client_revoked', `API client "${clientId}" was revoked on ${c.revokedAt}`);
  const secret = generateSecret();
  await db('api_clients').where({ client_id: clientId }).update({ secret_hash: await hashSecret(secret), secret_rotated_at: nowIso(now) });
  return { client: publicView((await findRow(db, clientId))!), secret };
}

/** The client if the id exists, is not revoked and the secret matches; otherwise undefined. */
export async function authenticateClient(db: Knex, clientId: string, secret: string): Promise<ApiClient | undefined> {
  const c = clientId.length <= 64 ? await findRow(db, clientId) : undefined;
  if (!c) return burnSecretCheck(secret).then(() => undefined);
  const ok = await verifySecret(secret, c.secretHash);
  return ok && !c.revokedAt ? publicView(c) : undefined;
}
