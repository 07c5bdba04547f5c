/** Demo: the two schools' rosters, loaded twice to show that a re-run changes nothing. */
import { runNow } from '../pipeline/execute.ts';
import { formatSummary } from '../cli/summary.ts';
import { addDemoStep } from './steps.ts';

addDemoStep({
  name: 'roster',
  describe: 'import the rosters of both demo schools (students, guardians, staff, consents)',
  async run(rt, say) {
    for (const instance of ['roster-sch-001', 'roster-sch-002']) {
      say(formatSummary(await runNow(rt, { instance })));
    }
    const again = await runNow(rt, { instance: 'roster-sch-001' });
    say(`re-run of roster-sch-001: ${again.totals.created} created, ${again.totals.updated} updated, ${again.totals.unchanged} unchanged`);
    const [persons, open, reviews] = await Promise.all([
      rt.db('persons').whereNull('deleted_at').count({ n: '*' }).first(),
      rt.db('enrollments').whereNull('to_date').count({ n: '*' }).first(),
      rt.db('review_items').where({ status: 'open' }).count({ n: '*' }).first(),
    ]);
    say(`core: ${persons?.n} persons, ${open?.n} open enrollments, ${reviews?.n} probable duplicates for \`rso-hub persons review\``);
  },
});
