/**
 * The one way this connector talks to Moodle: a REST web service call with retries, a concurrency
 * limit, response validation and token redaction.
 *
 * Protocol: `POST {site}/webservice/rest/server.php`, form-encoded, with `wstoken`, `wsfunction`
 * and `moodlewsrestformat=json` (the default format is XML)
 * (https://docs.moodle.org/dev/Creating_a_web_service_client,
 * https://github.com/moodle/moodle/blob/main/webservice/rest/locallib.php).
 * The token travels in the body, never in the URL, so proxies' access logs do not record it.
 */
import axios from 'axios';
import type { z } from 'zod';
import {
  type HubError,
  PermanentError,
  RateLimitedError,
  isHubError,
} from '../../src/core/errors.ts';
import {
  afterRetries,
  classifyNetworkError,
  interpretResponse,
  redact,
  retryBudget,
} from './classify.ts';
import { type FormParams, countInputVars, toSearchParams } from './encode.ts';
import { createSemaphore } from './semaphore.ts';

/** `wstoken`, `wsfunction` and `moodlewsrestformat`: input variables every call spends. */
export const FIXED_INPUT_VARS = 3;

export interface MoodleClientOptions {
  /** Site root, e.g. `https://lms.school.example`; no trailing `/webservice/...`. */
  baseUrl: string;
  token: string;
  /** The site's PHP `max_input_vars` (PHP default 1000; Moodle's environment check wants 5000). */
  maxInputVars?: number;
  /** Calls in flight at once (default 2). */
  concurrency?: number;
  /** Retries of a transient failure after the first attempt (default 3). */
  retries?: number;
  /** First backoff delay; doubles with each retry (default 500 ms). */
  backoffMs?: number;
  /** Per-request timeout (default 60 s: a 100-user create can be slow on a busy site). */
  timeoutMs?: number;
  /** A Retry-After longer than this is not waited out here: the error goes to the queue. */
  maxRetryWaitMs?: number;
  /** Observes every HTTP request: tests and benchmarks count calls with it. Never sees params. */
  onCall?: (entry: CallLogEntry) => void;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface CallLogEntry {
  fn: string;
  /** 1 for the first try, 2 for the first retry, ... */
  attempt: number;
  /** Input variables of the function's params (the three fixed ones not included). */
  inputVars: number;
  durationMs: number;
  outcome: 'ok' | 'error';
  /** The error code when `outcome` is `error`. */
  code?: string;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface MoodleClient {
  /** Calls a web service function and parses its answer with `schema`. */
  call<T>(fn: string, params: FormParams, schema: z.ZodType<T>, options?: CallOptions): Promise<T>;
  /** HTTP requests sent so far, retries included. */
  readonly callCount: number;
  /** Input variables a single call may spend on its own params (max_input_vars minus fixed). */
  readonly paramBudget: number;
}

export function createMoodleClient(options: MoodleClientOptions): MoodleClient {
  const maxInputVars = options.maxInputVars ?? 1000;
  const retries = options.retries ?? 3;
  const backoffMs = options.backoffMs ?? 500;
  const maxRetryWaitMs = options.maxRetryWaitMs ?? 60_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const semaphore = createSemaphore(options.concurrency ?? 2);
  const endpoint = `${options.baseUrl.replace(/\/+$/, '')}/webservice/rest/server.php`;
  const secrets = [options.token, encodeURIComponent(options.token)];
  const http = axios.create({
    timeout: options.timeoutMs ?? 60_000,
    // Statuses and bodies are judged by classify.ts, not by axios.
    validateStatus: () => true,
    maxRedirects: 0,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
  });
  let callCount = 0;

  async function attemptOnce(fn: string, body: URLSearchParams, signal?: AbortSignal) {
    callCount += 1;
    let response;
    try {
      response = await http.post<string>(endpoint, body, signal ? { signal } : {});
    } catch (err) {
      if (signal?.aborted) throw new PermanentError('moodle_aborted', `${fn}: aborted`);
      throw classifyNetworkError(err, fn);
    }
    const retryAfter = response.headers['retry-after'];
    const text = typeof response.data === 'string' ? response.data : '';
    return interpretResponse(
      fn,
      response.status,
      text,
      typeof retryAfter === 'string' ? retryAfter : undefined,
      now(),
    );
  }

  function delayFor(err: HubError, retry: number): number | undefined {
    if (err instanceof RateLimitedError) {
      if (err.retryAfterMs > maxRetryWaitMs) return undefined;
      if (err.retryAfterMs > 0) return err.retryAfterMs;
    }
    // No jitter: with 2–4 calls in flight there is no herd to spread out, and tests stay exact.
    return backoffMs * 2 ** (retry - 1);
  }

  async function call<T>(
    fn: string,
    params: FormParams,
    schema: z.ZodType<T>,
    callOptions: CallOptions = {},
  ): Promise<T> {
    const inputVars = countInputVars(params);
    if (inputVars + FIXED_INPUT_VARS > maxInputVars) {
      // PHP would silently drop the excess and Moodle would act on a truncated request.
      throw new PermanentError(
        'moodle_too_many_input_vars',
        `${fn}: ${inputVars + FIXED_INPUT_VARS} input variables exceed max_input_vars ` +
          `${maxInputVars}; split the batch`,
      );
    }
    const body = toSearchParams({
      ...params,
      wstoken: options.token,
      wsfunction: fn,
      moodlewsrestformat: 'json',
    });
    for (let attempt = 1; ; attempt += 1) {
      const started = now();
      let data: unknown;
      try {
        data = await semaphore.run(() => attemptOnce(fn, body, callOptions.signal));
      } catch (raw) {
        const err = scrub(isHubError(raw) ? raw : classifyNetworkError(raw, fn), secrets);
        const durationMs = now() - started;
        options.onCall?.({ fn, attempt, inputVars, durationMs, outcome: 'error', code: err.code });
        const delay = attempt <= retryBudget(err, retries) ? delayFor(err, attempt) : undefined;
        if (delay === undefined) throw afterRetries(err);
        await sleep(delay);
        continue;
      }
      options.onCall?.({ fn, attempt, inputVars, durationMs: now() - started, outcome: 'ok' });
      return parseAnswer(fn, data, schema);
    }
  }

  return {
    call,
    get callCount() {
      return callCount;
    },
    paramBudget: maxInputVars - FIXED_INPUT_VARS,
  };
}

/** A successful answer that does not match the documented shape means a version or plugin
 * mismatch: retrying will not help, and guessing at the data would corrupt the sync. */
function parseAnswer<T>(fn: string, data: unknown, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  throw new PermanentError('moodle_unexpected_response', `${fn}: unexpected answer (${issues})`);
}

function scrub(err: HubError, secrets: readonly string[]): HubError {
  err.message = redact(err.message, secrets);
  if (err.stack) err.stack = redact(err.stack, secrets);
  return err;
}
