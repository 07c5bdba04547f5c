/**
 * One pass, however many times it is read. The same person passing the same way within the
 * duplicate window is one event: a card held to the reader, a repeated push, a log overlapping an
 * earlier log or the push of the same pass. Pure: the target feeds it the stored events nearby.
 */

export interface Pass {
  personId: number;
  direction: 'in' | 'out';
  /** Epoch milliseconds, whole seconds. */
  at: number;
}

export function passKey(p: Pick<Pass, 'personId' | 'direction'>): string {
  return `${p.personId}|${p.direction}`;
}

/**
 * Splits `incoming` into passes not yet known and duplicates (of a stored pass or of an earlier
 * one in `incoming`). Incoming passes are taken in time order, so within one load the earliest
 * read of a burst is kept; a stored pass always wins over a new read near it.
 */
export function splitDuplicates<T extends Pass>(incoming: T[], stored: Pass[], windowMs: number): { fresh: T[]; duplicates: T[] } {
  const known = new Map<string, number[]>();
  for (const s of stored) {
    const k = passKey(s);
    const list = known.get(k);
    if (list) list.push(s.at);
    else known.set(k, [s.at]);
  }
  const fresh: T[] = [];
  const duplicates: T[] = [];
  const ordered = incoming.map((p, i) => ({ p, i })).sort((a, b) => a.p.at - b.p.at || a.i - b.i);
  for (const { p } of ordered) {
    const k = passKey(p);
    const times = known.get(k) ?? [];
    if (times.some((t) => Math.abs(t - p.at) <= windowMs)) {
      duplicates.push(p);
      continue;
    }
    fresh.push(p);
    times.push(p.at);
    known.set(k, times);
  }
  return { fresh, duplicates };
}
