/**
 * Every Moodle failure mapped to the hub's error taxonomy, in one place (STYLE.md: "HTTP statuses
 * classified in one method"). The client only asks this file what a response means and whether to
 * try again.
 *
 * Moodle reports errors as HTTP 200 with `{exception, errorcode, message}`
 * (webservice/rest/locallib.php `generate_error()`,
 * https://github.com/moodle/moodle/blob/main/webservice/rest/locallib.php); the error codes and
 * their classes are tabulated in /work/shared/reference/moodle.md §2.
 */
import { z } from 'zod';
import {
  type HubError,
  PermanentError,
  RateLimitedError,
  RecordRejected,
  TransientError,
} from '../../src/core/errors.ts';

export const moodleExceptionSchema = z.object({
  exception: z.string(),
  errorcode: z.string(),
  message: z.string(),
  /** Only present when the site has debugging on. */
  debuginfo: z.string().optional(),
});
export type MoodleException = z.infer<typeof moodleExceptionSchema>;

/** The site is fine but busy: try again later. */
const TRANSIENT: Record<string, string> = {
  sitemaintenance: 'moodle_site_maintenance',
};

/**
 * DB-layer errors: a lock timeout or a duplicate key look the same from outside, so they get one
 * retry and then count as what they most likely are (moodle.md §2, "ambiguous").
 */
const DML: Record<string, string> = {
  dmlwriteexception: 'moodle_dml_write',
  dmlreadexception: 'moodle_dml_read',
  dmltransactionexception: 'moodle_dml_transaction',
};

/** Token, service or role setup is wrong: every further call would fail the same way. */
const CONFIG: Record<string, { code: string; hint: string }> = {
  invalidtoken: { code: 'moodle_invalid_token', hint: 'check the token (and its ${ENV} variable)' },
  invalidtimedtoken: { code: 'moodle_token_expired', hint: 'issue a new token' },
  invalidiptoken: { code: 'moodle_token_ip_denied', hint: "add the hub's IP to the token" },
  accessexception: {
    code: 'moodle_access_denied',
    hint:
      'the token may be expired or IP-restricted, the web service user suspended or without ' +
      'webservice/rest:use, or the function missing from the external service',
  },
  servicenotavailable: { code: 'moodle_service_not_available', hint: 'enable the service' },
  usernotallowed: { code: 'moodle_user_not_allowed', hint: 'authorise the user on the service' },
  webservicesnotenabled: { code: 'moodle_webservices_disabled', hint: 'enable web services' },
  enablewsdescription: { code: 'moodle_webservices_disabled', hint: 'enable web services' },
  nopermissions: { code: 'moodle_no_permission', hint: 'grant the capability to the WS role' },
  requireloginerror: { code: 'moodle_require_login', hint: 'check the web service user' },
  wsusercannotassign: { code: 'moodle_cannot_assign_role', hint: 'allow the WS role to assign it' },
  wscannotenrol: { code: 'moodle_cannot_enrol', hint: 'grant enrol/manual:enrol' },
  wscannotunenrol: { code: 'moodle_cannot_unenrol', hint: 'grant enrol/manual:unenrol' },
  nopermissiontoviewgrades: { code: 'moodle_cannot_view_grades', hint: 'grant grade:viewall' },
};

/** One record (or one course/user pair) is bad: reject it, the run goes on. */
const RECORD: Record<string, string> = {
  invalidparameter: 'moodle_invalid_parameter',
  errorinvalidparam: 'moodle_invalid_parameter',
  usernametaken: 'moodle_username_taken',
  useremailduplicate: 'moodle_email_taken',
  shortnametaken: 'moodle_shortname_taken',
  courseidnumbertaken: 'moodle_course_idnumber_taken',
  categoryidnumbertaken: 'moodle_category_idnumber_taken',
  idnumbertaken: 'moodle_idnumber_taken',
  invalidrecord: 'moodle_record_not_found',
  invalidrecordunknown: 'moodle_record_not_found',
  wsnoinstance: 'moodle_no_manual_enrol_instance',
  usernotenroled: 'moodle_user_not_enrolled',
  nocriteriaset: 'moodle_no_completion_criteria',
  cannotviewreport: 'moodle_cannot_view_report',
};

const DETAIL_LIMIT = 300;

export function classifyMoodleException(e: MoodleException, fn: string): HubError {
  const what = `${fn}: ${e.message} (${e.errorcode})`;
  const transient = TRANSIENT[e.errorcode] ?? DML[e.errorcode];
  if (transient) return new TransientError(transient, `Moodle is unavailable for ${what}`);
  const config = CONFIG[e.errorcode];
  if (config) return new PermanentError(config.code, `Moodle refused ${what}; ${config.hint}`);
  const record = RECORD[e.errorcode];
  // debuginfo names the offending value ("Username already exists: ivanov"), which is what a
  // person reading the rejected record needs; the generic message alone does not say which.
  if (record) return new RecordRejected(record, withDetail(`Moodle rejected ${what}`, e.debuginfo));
  return new PermanentError('moodle_exception', `Moodle failed ${what} [${e.exception}]`);
}

function withDetail(message: string, detail: string | undefined): string {
  if (!detail) return message;
  const short = detail.length > DETAIL_LIMIT ? `${detail.slice(0, DETAIL_LIMIT)}…` : detail;
  return `${message}: ${short}`;
}

/**
 * The meaning of a raw answer: parsed JSON on success, an error thrown otherwise. `status` is the
 * HTTP status, `retryAfter` its Retry-After header, `nowMs` the clock for HTTP-date values.
 */
export function interpretResponse(
  fn: string,
  status: number,
  body: string,
  retryAfter: string | undefined,
  nowMs: number,
): unknown {
  if (status === 429) {
    const waitMs = parseRetryAfter(retryAfter, nowMs) ?? 0;
    return failWith(new RateLimitedError('moodle_rate_limited', `${fn}: HTTP 429`, waitMs));
  }
  if (status >= 500 || status === 408) {
    return failWith(new TransientError(`moodle_http_${status}`, `${fn}: HTTP ${status}`));
  }
  if (status >= 300 && status < 400) {
    // A redirect turns the POST into a GET and loses the body; the URL is simply wrong.
    return failWith(
      new PermanentError('moodle_redirect', `${fn}: HTTP ${status}; set baseUrl to the final URL`),
    );
  }
  if (status >= 400) {
    return failWith(new PermanentError(`moodle_http_${status}`, `${fn}: HTTP ${status}`));
  }
  if (body.trim() === '') {
    // server.php `die`s silently when web services or the REST protocol are disabled:
    // https://github.com/moodle/moodle/blob/main/webservice/rest/server.php
    return failWith(
      new PermanentError(
        'moodle_empty_response',
        `${fn}: Moodle answered with an empty body; check baseUrl and that web services and ` +
          'the REST protocol are enabled (Site administration › Server › Web services)',
      ),
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    // An HTML page from a proxy or a PHP fatal error: judged transient (moodle.md §2).
    return failWith(new TransientError('moodle_non_json_response', `${fn}: answer is not JSON`));
  }
  const exception = moodleExceptionSchema.safeParse(data);
  if (exception.success) return failWith(classifyMoodleException(exception.data, fn));
  return data;
}

function failWith(error: HubError): never {
  throw error;
}

/** A transport failure (no HTTP answer): always transient. Never keeps axios' error as cause,
 * since its `config` holds the request body with the token. */
export function classifyNetworkError(err: unknown, fn: string): HubError {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    return new TransientError('moodle_timeout', `${fn}: request timed out`);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new TransientError('moodle_network_error', `${fn}: ${code || 'network error'} ${message}`);
}

/** Retry-After is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** How many retries this error deserves, given the client's configured budget. */
export function retryBudget(err: HubError, retries: number): number {
  if (err.kind !== 'transient' && err.kind !== 'rate_limited') return 0;
  if (Object.values(DML).includes(err.code)) return Math.min(1, retries);
  return retries;
}

/**
 * What an error means once its retries are spent. A DB write that fails twice is most likely a
 * duplicate key in one record (moodle.md §2), so it becomes a rejection and a batch can bisect.
 */
export function afterRetries(err: HubError): HubError {
  if (err.code === DML.dmlwriteexception) {
    return new RecordRejected(err.code, `${err.message}; failed again after a retry`);
  }
  return err;
}

/** Replaces every occurrence of the secrets in a text: errors and logs never carry the token. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text.replace(/(wstoken=)[^&\s]+/gi, '$1[redacted]');
  for (const secret of secrets) if (secret) out = out.split(secret).join('[redacted]');
  return out;
}
