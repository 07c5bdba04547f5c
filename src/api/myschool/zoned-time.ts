/**
 * Local wall-clock times of a school as ISO 8601 with the zone's offset on that day
 * ("2021-12-20T09:30:00+04:00"), the form the «Моя школа» contract uses
 * (reference/portal-contract.md). Offsets are cached per zone and day.
 */
const cache = new Map<string, string>();

function offsetMinutes(zone: string, instant: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(instant));
  const n = (type: string) => Number(parts.find((x) => x.type === type)?.value);
  return Math.round((Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - instant) / 60_000);
}

/** "+04:00" for Europe/Samara on any day (Russia keeps no daylight saving time). */
export function offsetOn(zone: string, date: string): string {
  const key = `${zone}|${date}`;
  let o = cache.get(key);
  if (o === undefined) {
    // Noon local is never inside a DST jump, so the offset found there holds for school hours.
    const m = offsetMinutes(zone, Date.parse(`${date}T12:00:00Z`));
    const abs = Math.abs(m);
    o = `${m < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    if (cache.size > 50_000) cache.clear();
    cache.set(key, o);
  }
  return o;
}

/** `date` + `HH:MM` (or HH:MM:SS) local to `zone` as ISO 8601 with offset. */
export function zonedIso(zone: string, date: string, time: string): string {
  const t = time.length === 5 ? `${time}:00` : time;
  return `${date}T${t}${offsetOn(zone, date)}`;
}
