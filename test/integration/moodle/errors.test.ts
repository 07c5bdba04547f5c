/**
 * Issue 7: what Moodle's errors do to a sync run. A bad record inside an all-or-nothing batch is
 * isolated by bisection and the rest go through; a bad token fails the run at once; maintenance
 * mode is waited out.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { listRejects } from '../../../src/pipeline/runs-store.ts';
import { TOKEN } from '../../connectors/moodle/fake-moodle.ts';
import { type MoodleHub, moodleHubs, tally, writes } from './moodle-hub.ts';

const start = moodleHubs();
let m: MoodleHub | undefined;
afterEach(async () => {
  await m?.close();
  m = undefined;
});

describe('a bad record inside a batch', () => {
  it('is bisected out: 7 create calls for 8 accounts with 1 rejected, the other 7 created and enrolled', async () => {
    m = await start();
    await m.roster();
    // Someone created an account by hand with the username the hub derives for Гарипова.
    m.site.state.users.push({
      id: 900,
      fullname: 'Алсу Гарипова',
      username: 'garipova.alsu',
      firstname: 'Алсу',
      lastname: 'Гарипова',
      email: 'alsu@home.example',
      idnumber: '',
      suspended: false,
    });
    const s = await m.sync();
    expect(s.status).toBe('succeeded');
    const creates = writes(m.calls).filter((c) => c.fn === 'core_user_create_users');
    // Halves are tried depth first: 8 fails, its left 4 pass, the right 4 fail, their left 2 fail,
    // 1 + 1, then the right 2 pass. One bad record in 8: 1 + 2·log2(8) = 7 calls.
    expect(
      creates.map((c) => (c.params.users as Array<{ username: string }>).map((u) => u.username).join(' ')),
    ).toEqual([
      'orlova.anna zaitsev.ilia belova.sofia elkin.petr garipova.alsu nesterov.gleb ivanova.anna sidorov.oleg',
      'orlova.anna zaitsev.ilia belova.sofia elkin.petr',
      'garipova.alsu nesterov.gleb ivanova.anna sidorov.oleg',
      'garipova.alsu nesterov.gleb',
      'garipova.alsu',
      'nesterov.gleb',
      'ivanova.anna sidorov.oleg',
    ]);
    expect(m.site.state.users.filter((u) => u.idnumber)).toHaveLength(7);
    // Her enrolments are not sent; everyone else's are, in one call.
    const enrol = writes(m.calls).filter((c) => c.fn === 'enrol_manual_enrol_users');
    expect(enrol).toHaveLength(1);
    expect((enrol[0]!.params.enrolments as unknown[]).length).toBe(10);
    expect(s.streams.users).toMatchObject({ sent: 7, failed: 1, withheld: 1 });
    const rejects = await listRejects(m.h.rt.db, s.runId);
    expect(
      rejects.map((r: { stream: string; position: string; code: string; message: string }) => [
        r.stream,
        r.position,
        r.code,
        r.message,
      ]),
    ).toEqual([
      [
        'users',
        await m.uid('Гарипова'),
        'moodle_invalid_parameter',
        expect.stringContaining('Username already exists: garipova.alsu'),
      ],
    ]);
  });
});

describe('an invalid token', () => {
  it('fails the run at once with a clear message: one call, no retry', async () => {
    m = await start();
    await m.roster();
    m.site.failNext('*', 'invalidtoken', Number.POSITIVE_INFINITY);
    const s = await m.sync();
    expect(s.status).toBe('failed');
    expect(s.error?.code).toBe('moodle_invalid_token');
    expect(s.error?.message).toMatch(/Invalid token - token not found.*check the token/);
    expect(s.error?.message).not.toContain(TOKEN);
    expect(m.calls.map((c) => c.fn)).toEqual(['core_course_get_categories']);
    const run = await m.h.rt.db('runs').where({ id: s.runId }).first('status', 'error_code');
    expect(run).toEqual({ status: 'failed', error_code: 'moodle_invalid_token' });
    expect(await m.h.rt.db('external_ids').where({ source: 'lms' }).count({ n: '*' }).first()).toEqual({ n: 0 });
  });
});

describe('maintenance mode', () => {
  it('is retried with backoff and the sync completes', async () => {
    m = await start();
    await m.roster();
    m.site.failNext('core_course_get_categories', 'sitemaintenance', 2);
    const s = await m.sync();
    expect(s.status).toBe('succeeded');
    expect(m.calls.slice(0, 3).map((c) => c.fn)).toEqual([
      'core_course_get_categories',
      'core_course_get_categories',
      'core_course_get_categories',
    ]);
    expect(tally(m.calls).core_course_get_categories).toBe(4);
    expect(s.streams.users).toMatchObject({ sent: 8, failed: 0 });
  });

  it('that outlasts the retries interrupts the run for the queue to retry later', async () => {
    m = await start();
    await m.roster();
    m.site.failNext('*', 'sitemaintenance', Number.POSITIVE_INFINITY);
    await expect(m.sync()).rejects.toMatchObject({ code: 'moodle_site_maintenance' });
    // The first try and the 3 configured retries.
    expect(m.calls).toHaveLength(4);
    expect(await m.h.rt.db('runs').orderBy('queued_at', 'desc').first('status')).toEqual({ status: 'interrupted' });
  });
});
