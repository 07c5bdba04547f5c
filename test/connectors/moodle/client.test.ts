import { HttpResponse, delay } from 'msw';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { CallLogEntry } from '../../../connectors/moodle/client.ts';
import { getSiteInfo } from '../../../connectors/moodle/site.ts';
import { PermanentError, RateLimitedError, TransientError } from '../../../src/core/errors.ts';
import { TOKEN, fixture, listField, useFakeMoodle } from './fake-moodle.ts';

const moodle = useFakeMoodle();

/** Everything an error could leak through: message, stack, own fields, cause. */
function everythingIn(err: unknown): string {
  const e = err as Error & { cause?: unknown };
  return [e.message, e.stack, JSON.stringify(e), String(e.cause ?? '')].join('\n');
}

describe('a call speaks Moodle REST', () => {
  it('POSTs wstoken, wsfunction, json format and bracket-encoded params', async () => {
    moodle.respond(() => fixture('create-users.json'));
    const client = moodle.client();
    const users = [
      { username: 'smirnov.ilia', firstname: 'Илья', lastname: 'Смирнов' },
      { username: 'kuznetsova.anna', firstname: 'Анна', lastname: 'Кузнецова' },
    ];
    const answer = await client.call(
      'core_user_create_users',
      { users },
      z.array(z.object({ id: z.number(), username: z.string() })),
    );
    expect(answer).toEqual([
      { id: 201, username: 'smirnov.ilia' },
      { id: 202, username: 'kuznetsova.anna' },
    ]);
    const [call] = moodle.calls;
    expect(call?.params.get('wstoken')).toBe(TOKEN);
    expect(call?.params.get('wsfunction')).toBe('core_user_create_users');
    expect(call?.params.get('moodlewsrestformat')).toBe('json');
    expect(listField(call!.params, 'users', 'lastname')).toEqual(['Смирнов', 'Кузнецова']);
  });

  it('parses the answer at the boundary: a wrong shape is a permanent error', async () => {
    moodle.respond(() => ({ unexpected: true }));
    await expect(getSiteInfo(moodle.client())).rejects.toMatchObject({
      code: 'moodle_unexpected_response',
      kind: 'permanent',
    });
    expect(moodle.calls).toHaveLength(1);
  });
});

describe('failures are classified once and retried only when it can help', () => {
  it('invalidtoken: PermanentError, exactly one request, no token in the error', async () => {
    moodle.respond(() => fixture('error-invalidtoken.json'));
    const err = await getSiteInfo(moodle.client({ retries: 5 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect(err).toMatchObject({ code: 'moodle_invalid_token' });
    expect(moodle.calls).toHaveLength(1);
    expect(everythingIn(err)).not.toContain(TOKEN);
  });

  it('sitemaintenance: retried after a backoff, then succeeds (2 requests)', async () => {
    let n = 0;
    moodle.respond(() =>
      ++n === 1 ? fixture('error-sitemaintenance.json') : fixture('site-info.json'),
    );
    const waits: number[] = [];
    const client = moodle.client({ backoffMs: 250, sleep: async (ms) => void waits.push(ms) });
    const info = await getSiteInfo(client);
    expect(info.sitename).toMatch(/Школа/);
    expect(moodle.calls).toHaveLength(2);
    expect(client.callCount).toBe(2);
    expect(waits).toEqual([250]);
  });

  it('an empty 200 body is a configuration error, not success', async () => {
    moodle.respond(() => new HttpResponse('', { status: 200 }));
    await expect(getSiteInfo(moodle.client())).rejects.toMatchObject({
      code: 'moodle_empty_response',
      kind: 'permanent',
    });
    expect(moodle.calls).toHaveLength(1);
  });

  it('HTTP 5xx is retried with exponential backoff up to `retries`', async () => {
    moodle.respond(() => new HttpResponse('Bad gateway', { status: 502 }));
    const waits: number[] = [];
    const client = moodle.client({
      retries: 3,
      backoffMs: 100,
      sleep: async (ms) => void waits.push(ms),
    });
    await expect(getSiteInfo(client)).rejects.toBeInstanceOf(TransientError);
    expect(moodle.calls).toHaveLength(4);
    expect(waits).toEqual([100, 200, 400]);
  });

  it('429 waits as long as Retry-After says', async () => {
    let n = 0;
    moodle.respond(() =>
      ++n === 1
        ? new HttpResponse(null, { status: 429, headers: { 'Retry-After': '3' } })
        : fixture('site-info.json'),
    );
    const waits: number[] = [];
    await getSiteInfo(moodle.client({ sleep: async (ms) => void waits.push(ms) }));
    expect(waits).toEqual([3000]);
  });

  it('a Retry-After beyond maxRetryWaitMs goes back to the queue as RateLimitedError', async () => {
    moodle.respond(
      () => new HttpResponse(null, { status: 429, headers: { 'Retry-After': '3600' } }),
    );
    const err = await getSiteInfo(moodle.client({ maxRetryWaitMs: 60_000 })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBe(3_600_000);
    expect(moodle.calls).toHaveLength(1);
  });

  it('network errors are transient and never leak the token', async () => {
    moodle.respond(() => HttpResponse.error());
    const err = await getSiteInfo(moodle.client({ retries: 1 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(moodle.calls).toHaveLength(2);
    expect(everythingIn(err)).not.toContain(TOKEN);
  });

  it('redacts the token even when Moodle echoes it back', async () => {
    moodle.respond(() => ({
      exception: 'moodle_exception',
      errorcode: 'invalidtoken',
      message: `Invalid token - token not found: ${TOKEN}`,
    }));
    const err = await getSiteInfo(moodle.client()).catch((e: unknown) => e);
    expect(everythingIn(err)).not.toContain(TOKEN);
    expect((err as Error).message).toContain('[redacted]');
  });
});

describe('limits', () => {
  it('never has more than `concurrency` calls in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    moodle.respond(async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await delay(20);
      inFlight -= 1;
      return fixture('site-info.json');
    });
    const client = moodle.client({ concurrency: 2 });
    await Promise.all(Array.from({ length: 6 }, () => getSiteInfo(client)));
    expect(peak).toBe(2);
    expect(client.callCount).toBe(6);
  });

  it('refuses a call whose params exceed max_input_vars instead of letting PHP truncate it', async () => {
    const client = moodle.client({ maxInputVars: 10 });
    const values = Array.from({ length: 8 }, (_, i) => `id-${i}`);
    await expect(
      client.call(
        'core_user_get_users_by_field',
        { field: 'idnumber', values },
        z.array(z.unknown()),
      ),
    ).rejects.toMatchObject({ code: 'moodle_too_many_input_vars' });
    expect(moodle.calls).toHaveLength(0);
  });

  it('reports every request to the call log without params', async () => {
    let n = 0;
    moodle.respond(() =>
      ++n === 1 ? fixture('error-sitemaintenance.json') : fixture('site-info.json'),
    );
    const log: CallLogEntry[] = [];
    await getSiteInfo(moodle.client({ onCall: (e) => log.push(e) }));
    expect(log.map((e) => [e.fn, e.attempt, e.outcome, e.code])).toEqual([
      ['core_webservice_get_site_info', 1, 'error', 'moodle_site_maintenance'],
      ['core_webservice_get_site_info', 2, 'ok', undefined],
    ]);
    expect(JSON.stringify(log)).not.toContain(TOKEN);
  });
});
