/**
 * ZKTeco attlog (the device's attlog.dat or its export): tab-separated, no header; columns
 * 1 user id (PIN or card), 2 local time "YYYY-MM-DD HH:MM:SS", 3 verify mode, 4 state, 5 work code.
 * School installations leave the state at 0 for every pass, so the direction is inferred per person
 * per day by alternation (entry, exit, entry, ...), or taken from the state when it is kept.
 * The raw record gets one added column, `direction` (`in`/`out`, empty when the time is unreadable).
 * Alternation needs whole days: attlog.dat is cumulative, so a device's file has them.
 */

export type AttlogDirection = 'alternate' | 'state';

export interface AttlogRow {
  line: number;
  values: Record<string, string>;
}

const TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
/** ZKTeco states: 0 check-in, 1 check-out, 2 break-out, 3 break-in, 4 overtime-in, 5 overtime-out. */
const STATE_DIRECTION: Record<string, 'in' | 'out'> = { '0': 'in', '1': 'out', '2': 'out', '3': 'in', '4': 'in', '5': 'out' };

export function withDirections(rows: AttlogRow[], mode: AttlogDirection, windowSeconds: number): AttlogRow[] {
  if (mode === 'state') {
    return rows.map((r) => ({ line: r.line, values: { ...r.values, direction: STATE_DIRECTION[(r.values['4'] ?? '').trim()] ?? '' } }));
  }
  const direction = new Map<number, 'in' | 'out'>();
  const days = new Map<string, { line: number; at: number }[]>();
  for (const r of rows) {
    const m = TIME.exec((r.values['2'] ?? '').trim());
    if (!m) continue;
    const at = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`);
    const key = `${(r.values['1'] ?? '').trim()}|${m[1]}`;
    const list = days.get(key) ?? [];
    list.push({ line: r.line, at });
    days.set(key, list);
  }
  for (const reads of days.values()) {
    reads.sort((a, b) => a.at - b.at || a.line - b.line);
    let current: { dir: 'in' | 'out'; since: number } | undefined;
    for (const read of reads) {
      // A read this close to the start of the current pass is the same pass read again.
      if (!current || read.at - current.since > windowSeconds * 1000) {
        current = { dir: current?.dir === 'in' ? 'out' : 'in', since: read.at };
      }
      direction.set(read.line, current.dir);
    }
  }
  return rows.map((r) => ({ line: r.line, values: { ...r.values, direction: direction.get(r.line) ?? '' } }));
}
