/**
 * Export source `diary.changes`: the diary change feed (src/domain/diary/change-feed.ts) as export
 * rows, page by page, consent already applied for the instance's purpose: a refused student's rows
 * never leave, and the rows sent about them before are followed by tombstones.
 */
import type { ExportRow } from '../../core/contract.ts';
import { readFeed } from '../../domain/diary/change-feed.ts';
import type { StreamingExportSource } from '../export-stream.ts';

/** Rows per table and page: bounded memory whatever the night's volume. */
const PAGE = 2000;

export const diaryChangesSource: StreamingExportSource = {
  name: 'diary.changes',
  async *pages(db, window, scope) {
    let after = window.after;
    for (;;) {
      const page = await readFeed(db, scope, { after, upTo: window.upTo, limit: PAGE });
      const rows: ExportRow[] = page.items.map((i) => ({
        publicId: i.id,
        kind: i.op === 'upsert' ? 'upsert' : 'tombstone',
        ...(i.reason ? { reason: i.reason } : {}),
        data: { kind: i.kind, changeVersion: i.changeVersion, key: i.key, ...(i.data ? { data: i.data } : {}) },
      }));
      yield { rows, withheld: page.withheldRows, sentPersons: page.sentPersons, withheldPersons: page.withheldPersons };
      if (!page.hasMore) return;
      after = page.next;
    }
  },
};
