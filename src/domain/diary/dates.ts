/** Calendar dates as YYYY-MM-DD strings (the core tables' dates), computed in UTC. */

export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The Monday of the week containing `date` (ISO weeks). */
export function mondayOf(date: string): string {
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
  return addDays(date, 1 - wd);
}
