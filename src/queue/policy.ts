/** Queue policy in one place: what is retried, how often, how long to wait. */
import { classify } from '../core/errors.ts';

export const RETRY = { attempts: 5, baseDelayMs: 1000 } as const;

export function shouldRetry(err: unknown): boolean {
  const k = classify(err);
  return k === 'transient' || k === 'rate_limited';
}

/** Exponential backoff: base * 2^(attempt-1), attempt counted from 1. */
export function backoffMs(attempt: number, baseMs: number = RETRY.baseDelayMs): number {
  return baseMs * 2 ** Math.max(0, attempt - 1);
}
