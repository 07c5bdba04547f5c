/**
 * Batching for Moodle's write functions.
 *
 * Two Moodle facts shape it (moodle.md §4):
 * - PHP drops every input variable past `max_input_vars`, so a batch is sized by the number of
 *   `users[i][field]` pairs it encodes, not by a record count;
 * - `core_user_create_users`, `core_course_create_courses`, `core_course_create_categories` and
 *   `enrol_manual_enrol_users` run the whole call in one transaction: one bad record rolls back
 *   all of them. `bisect` isolates the bad records by halving.
 */
import { RecordRejected, isHubError } from '../../src/core/errors.ts';
import { type FormParams, countInputVars } from './encode.ts';
import type { MoodleWarning } from './schemas.ts';

export type RecordOutcome<T, R> =
  { record: T; ok: true; value: R } | { record: T; ok: false; error: RecordRejected };

/** Per-call options of the write operations (`batchSize` in the instance config). */
export interface WriteOptions {
  maxRecords?: number;
}

export interface SplitOptions<T> {
  /** Input variables available to one call's params (`client.paramBudget`). */
  budget: number;
  /** The record as it sits in the call's list, e.g. `(u) => ({ users: [u] })`. */
  paramsOf: (record: T) => FormParams;
  /** Variables of the call's other params (`field`, `since`, ...), spent once per call. */
  sharedVars?: number;
  /** Extra cap on records per call (`post_max_size`, or to keep one call's transaction short). */
  maxRecords?: number;
}

/**
 * Greedy split in input order: each batch's encoded variables stay within `budget`. A record that
 * cannot fit even alone lands in `oversized` (sending it would be truncated by PHP).
 * With N fields per record and PHP's default 1000: floor((1000 − 3) / N) records per call.
 */
export function splitByInputVars<T>(
  records: readonly T[],
  options: SplitOptions<T>,
): { batches: T[][]; oversized: T[] } {
  const maxRecords = options.maxRecords ?? Number.POSITIVE_INFINITY;
  const budget = options.budget - (options.sharedVars ?? 0);
  const batches: T[][] = [];
  const oversized: T[] = [];
  let current: T[] = [];
  let used = 0;
  for (const record of records) {
    // Keys do not change a record's variable count (users[0][x] and users[57][x] are one each).
    const vars = countInputVars(options.paramsOf(record));
    if (vars > budget) {
      oversized.push(record);
      continue;
    }
    if (current.length > 0 && (used + vars > budget || current.length >= maxRecords)) {
      batches.push(current);
      current = [];
      used = 0;
    }
    current.push(record);
    used += vars;
  }
  if (current.length > 0) batches.push(current);
  return { batches, oversized };
}

/**
 * Sends `records` as one call; when Moodle rejects the call with a RecordRejected, splits it into
 * halves (left = ceil(n/2)) and retries each, down to single records, which are then rejected.
 * Any other error (transient after retries, permanent) aborts: it is not about one record.
 *
 * `send` returns one result per record, in order (create calls return `[{id, ...}]` in input
 * order; calls that return `null` map each record to `undefined`).
 *
 * Calls made for a batch of n records (n a power of two):
 * - no bad record: 1;
 * - exactly one bad record: 1 + 2·log2(n) (8 records: 7 calls);
 * - k bad records: at most 1 + 2·k·log2(n), and never more than 2n − 1.
 */
export async function bisect<T, R>(
  records: readonly T[],
  send: (batch: readonly T[]) => Promise<readonly R[]>,
): Promise<Array<RecordOutcome<T, R>>> {
  if (records.length === 0) return [];
  try {
    const values = await send(records);
    if (values.length !== records.length) {
      throw new RangeError(`expected ${records.length} results, got ${values.length}`);
    }
    return records.map((record, i) => ({ record, ok: true, value: values[i] as R }));
  } catch (err) {
    if (!(isHubError(err) && err instanceof RecordRejected)) throw err;
    if (records.length === 1) return [{ record: records[0] as T, ok: false, error: err }];
    const middle = Math.ceil(records.length / 2);
    const left = await bisect(records.slice(0, middle), send);
    const right = await bisect(records.slice(middle), send);
    return [...left, ...right];
  }
}

/**
 * Splits by input variables, then bisects every batch. Batches go out together; the client's
 * concurrency limit paces them. Outcomes come back in input order.
 */
export async function writeInBatches<T, R>(
  records: readonly T[],
  options: SplitOptions<T> & { send: (batch: readonly T[]) => Promise<readonly R[]> },
): Promise<Array<RecordOutcome<T, R>>> {
  const indexed = records.map((record, index) => ({ record, index }));
  const { batches, oversized } = splitByInputVars(indexed, {
    ...options,
    paramsOf: (item) => options.paramsOf(item.record),
  });
  const outcomes: Array<RecordOutcome<T, R> | undefined> = new Array(records.length);
  for (const item of oversized) {
    outcomes[item.index] = {
      record: item.record,
      ok: false,
      error: new RecordRejected(
        'moodle_record_too_large',
        `record needs more input variables than max_input_vars allows (${options.budget})`,
      ),
    };
  }
  const results = await Promise.all(
    batches.map((batch) => bisect(batch, (part) => options.send(part.map((item) => item.record)))),
  );
  for (const outcome of results.flat()) {
    const { index, record } = outcome.record;
    outcomes[index] = outcome.ok
      ? { record, ok: true, value: outcome.value }
      : { record, ok: false, error: outcome.error };
  }
  return outcomes.filter((o): o is RecordOutcome<T, R> => o !== undefined);
}

/** For functions that return `null` (enrol/unenrol): one `undefined` result per record. */
export function nothingPerRecord<T>(batch: readonly T[]): undefined[] {
  return batch.map(() => undefined);
}

/**
 * Turns per-record `warnings` of a successful update call (`itemid` = the record's Moodle id)
 * into rejections: Moodle skipped those records but committed the others.
 */
export function rejectWarned<T>(
  outcomes: ReadonlyArray<RecordOutcome<T, MoodleWarning | undefined>>,
): Array<RecordOutcome<T, undefined>> {
  return outcomes.map((o) => {
    if (!o.ok) return o;
    if (!o.value) return { record: o.record, ok: true, value: undefined };
    const { warningcode, message } = o.value;
    return {
      record: o.record,
      ok: false,
      error: new RecordRejected(`moodle_${warningcode}`, `Moodle skipped the record: ${message}`),
    };
  });
}
