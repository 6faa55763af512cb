import type { Period } from './http/schemas';
import { toSqlDate } from './db';

const DAY_MS = 86_400_000;

export const PERIOD_DAYS: Record<Period, number> = { '7d': 7, '30d': 30, '90d': 90 };

/** A window of whole UTC days, both ends inclusive, as `YYYY-MM-DD`. */
export interface DayWindow {
  from: string;
  to: string;
  days: number;
}

/**
 * A period `Nd` covers the N complete UTC days before today: from today − N to yesterday. Today
 * is left out because usage is aggregated nightly (02:00 UTC), so a partial day would read as a
 * drop in traffic.
 */
export function periodWindow(period: Period | number, now: Date = new Date()): DayWindow {
  const days = typeof period === 'number' ? period : PERIOD_DAYS[period];
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return { from: toSqlDate(new Date(today - days * DAY_MS)), to: toSqlDate(new Date(today - DAY_MS)), days };
}

/** From the first day of the current UTC month to yesterday (empty on the 1st: from > to). */
export function monthToDate(now: Date = new Date()): DayWindow {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const first = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  return { from: toSqlDate(new Date(first)), to: toSqlDate(new Date(today - DAY_MS)), days: Math.round((today - first) / DAY_MS) };
}
