/** `rso-hub audit --person <uuid|snils> --from <date> [--to <date>]`: who read this child's data. */
import type { Command } from 'commander';
import { todayIn } from '../../config/organizations.ts';
import { PermanentError } from '../../core/errors.ts';
import { findAccess, resolveAuditPerson, startOfDayIn } from '../../api/audit.ts';
import { printTable, reportError, withRuntime } from '../context.ts';

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

export function register(program: Command): void {
  program.command('audit').description("who read a person's data through the API, and with what result")
    .requiredOption('--person <key>', 'public uuid or СНИЛС of the person')
    .requiredOption('--from <date>', 'first day (YYYY-MM-DD, hub time zone)')
    .option('--to <date>', 'last day, inclusive (default: today)')
    .option('--json')
    .action(async (o: { person: string; from: string; to?: string; json?: boolean }, cmd: Command) => {
      try {
        await withRuntime(cmd, async (rt) => {
          const zone = rt.hub.timeZone;
          const to = o.to ?? todayIn(zone, rt.now());
          for (const d of [o.from, to]) if (!isoDate.test(d) || Number.isNaN(Date.parse(d))) throw new PermanentError('invalid_date', `"${d}" is not a date YYYY-MM-DD`);
          if (to < o.from) throw new PermanentError('invalid_date', `--to ${to} is before --from ${o.from}`);
          const person = await resolveAuditPerson(rt.db, o.person);
          if (!person) throw new PermanentError('unknown_person', 'no person with this uuid or СНИЛС');
          const next = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
          const rows = await findAccess(rt.db, { personIds: person.ids, from: startOfDayIn(zone, o.from), to: startOfDayIn(zone, next) });
          if (o.json) return void process.stdout.write(`${JSON.stringify({ person: person.uid, from: o.from, to, accesses: rows })}\n`);
          process.stdout.write(`person ${person.uid}, ${o.from}..${to} (${zone}): ${rows.length} access(es)\n`);
          printTable(rows.map((r) => ({ at: r.at, client: r.clientId, name: r.clientName, resource: r.resource, result: r.result, request: r.requestId })));
        });
      } catch (err) {
        reportError(err);
      }
    });
}
