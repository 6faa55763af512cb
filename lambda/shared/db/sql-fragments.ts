/** SQL fragments for the one convention on rates and averages used by every read endpoint. */

/** successful / total as a fraction 0–1 rounded to 4 decimals; 0 when there were no requests. */
export const rateSql = (successful: string, total: string): string =>
  `CASE WHEN coalesce(${total}, 0) > 0 THEN round(CAST(${successful} AS numeric) / ${total}, 4) ELSE 0 END`;

/** A request-weighted mean in whole ms, from Σ(avg × total) and Σ total; 0 when there were none. */
export const weightedMsSql = (weightedSum: string, weight: string): string =>
  `CAST(coalesce(round(CAST(${weightedSum} AS numeric) / nullif(${weight}, 0)), 0) AS integer)`;
