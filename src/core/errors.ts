/**
 * The hub's error taxonomy (ARCHITECTURE.md, "Errors"). Every error carries a stable snake_case
 * code; the queue policy (src/queue/policy.ts) decides retries from the class alone.
 */
export abstract class HubError extends Error {
  abstract readonly kind: 'transient' | 'rate_limited' | 'permanent' | 'record';
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Network failures, 5xx answers, lock timeouts: retried with exponential backoff. */
export class TransientError extends HubError {
  readonly kind = 'transient' as const;
}

/** HTTP 429 or an explicit Retry-After: retried after `retryAfterMs`. */
export class RateLimitedError extends HubError {
  readonly kind = 'rate_limited' as const;
  constructor(
    code: string,
    message: string,
    readonly retryAfterMs: number,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** Bad credentials, bad configuration, unusable input file: the run fails at once, no retry. */
export class PermanentError extends HubError {
  readonly kind = 'permanent' as const;
}

/** One record is bad: it is stored as a rejected record, counted, and the run goes on. */
export class RecordRejected extends HubError {
  readonly kind = 'record' as const;
  constructor(
    code: string,
    message: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

export function isHubError(err: unknown): err is HubError {
  return err instanceof HubError;
}

/** Classifies anything thrown into the taxonomy; unknown errors are treated as transient once. */
export function classify(err: unknown): 'transient' | 'rate_limited' | 'permanent' | 'record' {
  if (isHubError(err)) return err.kind;
  return 'transient';
}
