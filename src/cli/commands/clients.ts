/** `rso-hub clients add|list|revoke|rotate`: API clients and their one-time secrets. */
import type { Command } from 'commander';
import { purposes, type Purpose } from '../../config/schema.ts';
import { PermanentError } from '../../core/errors.ts';
import { createClient, listClients, revokeClient, rotateSecret, type ApiClient } from '../../api/auth/clients-store.ts';
import { printTable, reportError, withRuntime } from '../context.ts';

/** The secret is printed here and nowhere else: the hub keeps only its hash. */
function printSecret(client: ApiClient, secret: string, json: boolean | undefined): void {
  if (json) return void process.stdout.write(`${JSON.stringify({ client_id: client.clientId, client_secret: secret })}\n`);
  process.stdout.write(`client_id:     ${client.clientId}\nclient_secret: ${secret}\n`);
  process.stderr.write('store the secret now: it is not shown again (rotate to get a new one)\n');
}

function row(c: ApiClient): Record<string, unknown> {
  return { client_id: c.clientId, name: c.name, organizations: c.organizations.join(' '), resources: c.resources.join(' '), purpose: c.purpose, created: c.createdAt, secret_rotated: c.secretRotatedAt, revoked: c.revokedAt };
}

export function register(program: Command): void {
  const clients = program.command('clients').description('API clients (OAuth client credentials)');

  clients.command('add').description('create a client; prints its id and secret once')
    .requiredOption('--name <name>', 'who this is, e.g. "Региональный портал госуслуг"')
    .requiredOption('--org <code...>', 'organization codes; each grants its whole subtree')
    .requiredOption('--resource <name...>', 'resources, e.g. diary:read changes:read')
    .option('--purpose <purpose>', `consent purpose (${purposes.join(', ')})`, 'diary_portal')
    .option('--json')
    .action(async (o: { name: string; org: string[]; resource: string[]; purpose: string; json?: boolean }, cmd: Command) => {
      try {
        if (!(purposes as readonly string[]).includes(o.purpose)) throw new PermanentError('invalid_purpose', `purpose must be one of ${purposes.join(', ')}`);
        await withRuntime(cmd, async (rt) => {
          const { client, secret } = await createClient(rt, { name: o.name, organizations: o.org, resources: o.resource, purpose: o.purpose as Purpose });
          printSecret(client, secret, o.json);
        });
      } catch (err) {
        reportError(err);
      }
    });

  clients.command('list').description('every client with its grants (secrets are never shown)').option('--json')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      try {
        await withRuntime(cmd, async (rt) => {
          const all = await listClients(rt.db);
          if (o.json) return void process.stdout.write(`${JSON.stringify(all)}\n`);
          printTable(all.map(row));
        });
      } catch (err) {
        reportError(err);
      }
    });

  clients.command('revoke <clientId>').description('end a client: its tokens stop working within seconds')
    .action(async (clientId: string, _o: unknown, cmd: Command) => {
      try {
        await withRuntime(cmd, async (rt) => {
          const c = await revokeClient(rt.db, clientId, rt.now());
          process.stdout.write(`revoked ${c.clientId} (${c.name}) at ${c.revokedAt ?? ''}\n`);
        });
      } catch (err) {
        reportError(err);
      }
    });

  clients.command('rotate <clientId>').description('new secret; the old one and its tokens stop working').option('--json')
    .action(async (clientId: string, o: { json?: boolean }, cmd: Command) => {
      try {
        await withRuntime(cmd, async (rt) => {
          const { client, secret } = await rotateSecret(rt.db, clientId, rt.now());
          printSecret(client, secret, o.json);
        });
      } catch (err) {
        reportError(err);
      }
    });
}
