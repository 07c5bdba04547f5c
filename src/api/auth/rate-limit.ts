/**
 * Per-key token bucket, in memory (per process): a key may spend `perMinute` requests at once and
 * then refills at `perMinute` per minute. With several API processes each enforces its own share;
 * that is accepted for now (a shared limiter would need Redis on every request).
 */
export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  readonly perMinute: number;
  take(key: string, now: Date): RateDecision;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function createRateLimiter(opts: { perMinute: number; maxKeys?: number }): RateLimiter {
  const capacity = opts.perMinute;
  const perMs = opts.perMinute / 60_000;
  const maxKeys = opts.maxKeys ?? 10_000;
  const buckets = new Map<string, Bucket>();

  const level = (b: Bucket, t: number) => Math.min(capacity, b.tokens + (t - b.at) * perMs);

  // A full bucket is the same as no bucket, so those go first when memory must be bounded.
  const sweep = (t: number) => {
    for (const [k, b] of buckets) if (level(b, t) >= capacity) buckets.delete(k);
    for (const k of buckets.keys()) {
      if (buckets.size <= maxKeys / 2) break;
      buckets.delete(k);
    }
  };

  return {
    perMinute: opts.perMinute,
    take(key, now) {
      const t = now.getTime();
      let b = buckets.get(key);
      if (!b) {
        if (buckets.size >= maxKeys) sweep(t);
        b = { tokens: capacity, at: t };
        buckets.set(key, b);
      }
      // max(): a clock stepping backwards must not mint tokens.
      b.tokens = level(b, Math.max(t, b.at));
      b.at = Math.max(t, b.at);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000)) };
    },
  };
}
