/** Day arithmetic on calendar days written YYYY-MM-DD (UTC), for both processes. */

/** The day `days` after `day` (before, when negative). */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
