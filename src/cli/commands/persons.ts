/** `rso-hub persons review|merge|unmerge`: probable duplicates and their resolution. */
import type { Command } from 'commander';
import { mergePersons, personIdOf, reviewItems, unmergePersons } from '../../domain/persons/merge.ts';
import { printTable, reportError, withRuntime } from '../context.ts';

export function register(program: Command): void {
  const persons = program.command('persons').description('identity: probable duplicates, merge and unmerge');
  persons.command('review').description('probable duplicates waiting for a decision').option('--json')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      try {
        await withRuntime(cmd, async (rt) => {
          const items = await reviewItems(rt.db);
          if (o.json) process.stdout.write(`${JSON.stringify(items)}\n`);
          else printTable(items);
        });
      } catch (err) {
        reportError(err);
      }
    });
  persons.command('merge <kept> <merged>').description('merge person <merged> into <kept> (public ids or SNILS)')
    .action(async (kept: string, merged: string, _o: unknown, cmd: Command) => {
      try {
        await withRuntime(cmd, async (rt) => {
          const moved = await mergePersons(rt.db, await personIdOf(rt.db, kept), await personIdOf(rt.db, merged), rt.now());
          process.stdout.write(`merged ${merged} into ${kept}: ${JSON.stringify(moved)}\n`);
        });
      } catch (err) {
        reportError(err);
      }
    });
  persons.command('unmerge <merged>').description('undo the last merge of a person')
    .action(async (merged: string, _o: unknown, cmd: Command) => {
      try {
        await withRuntime(cmd, async (rt) => {
          const row = await rt.db('persons').where({ uid: merged }).first('id');
          if (!row) throw new Error(`no person ${merged}`);
          const moved = await unmergePersons(rt.db, Number(row.id), rt.now());
          process.stdout.write(`unmerged ${merged}: ${JSON.stringify(moved)}\n`);
        });
      } catch (err) {
        reportError(err);
      }
    });
}
