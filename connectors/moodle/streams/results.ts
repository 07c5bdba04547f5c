/**
 * Per-row results of a push (the export run counts them and stores external ids in the crosswalk):
 * `failed` when an op about one of the row's keys failed or conflicted, `sent` when something was
 * written for it, `skipped` when Moodle already matched.
 */
import type { WriteResult } from '../../../src/core/contract.ts';
import type { Applied } from '../apply-plan.ts';

export function resultFor(
  publicId: string,
  keys: readonly string[],
  applied: Applied,
  externalId?: number,
): WriteResult {
  const ext = externalId === undefined ? {} : { externalId: String(externalId) };
  for (const k of keys) {
    const f = applied.failed.get(k);
    if (f)
      return {
        publicId,
        status: 'failed',
        code: f.code,
        message: keys.length > 1 && k !== publicId ? `${k}: ${f.message}` : f.message,
        ...ext,
      };
  }
  return { publicId, status: keys.some((k) => applied.written.has(k)) ? 'sent' : 'skipped', ...ext };
}
