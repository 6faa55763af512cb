import { type Db, p } from '@shared/db';

/**
 * The request log is generated inside PostgreSQL, one INSERT … SELECT over generate_series per
 * (day, chunk of tenants): a million rows never cross the Data API. Every "random" column is a
 * hash of (row key, salt), not random(), so the same seed gives the same rows.
 */

/** Rows per statement, at most: keeps each Data API call well inside its 45 s synchronous limit. */
export const MAX_ROWS_PER_STATEMENT = 250_000;

/** A uniform draw in [0, 1) from the row key and salt number `n` (53 bits of a 64-bit hash). */
const u = (n: number) => `((hashint8extended(key, salt + ${n}) & 9007199254740991)::float8 / 9007199254740992.0)`;

/** A uniform draw in [0, 1) per tenant (stable across days) or per tenant and day. */
const tenantU = (saltParam: string) => `((hashtextextended(t.id::text, ${saltParam}) & 9007199254740991)::float8 / 9007199254740992.0)`;

/**
 * One day's requests for the live tenants with `ord % :chunks = :chunk`.
 *
 * - Live: the tenant's status (latest tenant_status_history row) is 'active' at both ends of the
 *   day, so no traffic before activation or after a churn or suspension.
 * - Volume: :total requests are shared by weight = plan (1/3/8) × a per-tenant size (stable) ×
 *   a per-day wobble. Chunks split the tenants, not the volume, so every chunk computes the same
 *   shares and ordinals, and the split does not change the data.
 * - Agent: one of the agents contracted and active all day (~4% of requests unattributed: NULL).
 * - Errors: 1.5–5% per tenant, 10–20% for the :troubled ones; failures are either quick rejections
 *   or timeouts near 3–4 s. Successes take 200–4000 ms, skewed fast (200 + 3800·u³).
 * - Time: ~70% within 11:00–23:00 UTC (08:00–20:00 in São Paulo), the rest over the whole day.
 *   Rows are inserted in created_at order, as a live log fills: the BRIN index stays tight and
 *   the identity ids come out the same on every engine.
 */
export const INSERT_REQUESTS_SQL = `
WITH bounds AS (
  SELECT CAST(CAST(:day AS date) AS timestamp) AT TIME ZONE 'UTC' AS day_start
),
live AS (
  SELECT t.id AS tenant_id,
         row_number() OVER (ORDER BY t.id) AS ord,
         (CASE s_end.plan WHEN 'enterprise' THEN 8::float8 WHEN 'professional' THEN 3::float8 ELSE 1::float8 END)
           * (0.3 + 1.7 * power(${tenantU(':tenant_salt')}, 2))
           * (0.75 + 0.5 * ${tenantU(':day_salt')}) AS weight,
         t.id = ANY(CAST(:troubled AS uuid[])) AS troubled,
         ${tenantU(':tenant_salt + 1')} AS error_u
  FROM alquimista_platform.tenants t
  CROSS JOIN bounds b
  CROSS JOIN LATERAL (
    SELECT h.status FROM alquimista_platform.tenant_status_history h
    WHERE h.tenant_id = t.id AND h.changed_at <= b.day_start
    ORDER BY h.changed_at DESC LIMIT 1
  ) s_start
  CROSS JOIN LATERAL (
    SELECT h.status, h.plan FROM alquimista_platform.tenant_status_history h
    WHERE h.tenant_id = t.id AND h.changed_at < b.day_start + interval '1 day'
    ORDER BY h.changed_at DESC LIMIT 1
  ) s_end
  WHERE s_start.status = 'active' AND s_end.status = 'active'
),
chunk AS (
  SELECT l.tenant_id, l.ord, l.troubled, l.error_u, n
  FROM (SELECT live.*, round(CAST(:total AS bigint) * weight / sum(weight) OVER ())::int AS n FROM live) l
  WHERE l.ord % CAST(:chunks AS int) = CAST(:chunk AS int) AND l.n > 0
),
contracted AS (
  SELECT a.tenant_id, a.agent_id,
         (row_number() OVER (PARTITION BY a.tenant_id ORDER BY a.agent_id) - 1)::int AS k,
         count(*) OVER (PARTITION BY a.tenant_id)::int AS n_agents
  FROM alquimista_platform.tenant_agents a
  JOIN chunk c ON c.tenant_id = a.tenant_id
  CROSS JOIN bounds b
  WHERE a.activated_at <= b.day_start
    AND (a.deactivated_at IS NULL OR a.deactivated_at >= b.day_start + interval '1 day')
),
agent_counts AS (
  SELECT tenant_id, count(*)::int AS n_agents FROM contracted GROUP BY tenant_id
),
draws AS (
  SELECT c.tenant_id, c.troubled, c.error_u,
         coalesce(ac.n_agents, 0) AS n_agents,
         c.ord * 4294967296 + g AS key,
         CAST(:row_salt AS bigint) AS salt
  FROM chunk c
  LEFT JOIN agent_counts ac ON ac.tenant_id = c.tenant_id
  CROSS JOIN LATERAL generate_series(1, c.n) AS g
),
shaped AS (
  SELECT tenant_id, key,
         CASE WHEN n_agents > 0 AND ${u(1)} >= 0.04 THEN floor(${u(2)} * n_agents)::int END AS agent_k,
         ${u(3)} < CASE WHEN troubled THEN 0.10 + 0.10 * error_u ELSE 0.015 + 0.035 * error_u END AS failed,
         ${u(4)} AS u_time, ${u(5)} AS u_size, ${u(6)} AS u_hour, ${u(7)} AS u_second
  FROM draws
)
INSERT INTO alquimista_platform.agent_requests (tenant_id, agent_id, status, response_time_ms, tokens_used, created_at)
SELECT r.tenant_id, r.agent_id, r.status, r.response_time_ms, r.tokens_used, r.created_at
FROM (
  SELECT s.key,
         s.tenant_id,
         a.agent_id,
         CASE WHEN s.failed THEN 'error' ELSE 'success' END AS status,
         CASE WHEN s.failed AND s.u_time < 0.4 THEN 3000 + floor(1000 * s.u_size)::int
              WHEN s.failed THEN 200 + floor(1300 * s.u_size)::int
              ELSE 200 + floor(3800 * power(s.u_time, 3))::int END AS response_time_ms,
         CASE WHEN s.failed THEN floor(80 * s.u_size)::int ELSE 120 + floor(2400 * power(s.u_size, 2))::int END AS tokens_used,
         b.day_start + make_interval(secs => floor(1000 * CASE WHEN s.u_hour < 0.7 THEN 39600 + 43200 * s.u_second ELSE 86400 * s.u_second END) / 1000) AS created_at
  FROM shaped s
  CROSS JOIN bounds b
  LEFT JOIN contracted a ON a.tenant_id = s.tenant_id AND a.k = s.agent_k
) r
ORDER BY r.created_at, r.key
`;


export interface TrafficDay {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  /** Requests to generate that day (shared among the tenants live that day). */
  total: number;
}

const DAY_MS = 86_400_000;
const WEEKDAY_FACTOR = [0.55, 1.05, 1.1, 1.1, 1.05, 1.0, 0.7]; // Sunday … Saturday

/**
 * The days of the window (the `days` UTC days before `today`) with their volumes: weekdays busier
 * than weekends and a gentle growth over the window, scaled so the average is `requestsPerDay`.
 */
export function trafficPlan(todayMs: number, days: number, requestsPerDay: number): TrafficDay[] {
  const raw = Array.from({ length: days }, (_, i) => {
    const dayMs = todayMs - (days - i) * DAY_MS;
    const growth = days > 1 ? 0.85 + (0.3 * i) / (days - 1) : 1;
    return { dayMs, factor: WEEKDAY_FACTOR[new Date(dayMs).getUTCDay()]! * growth };
  });
  const mean = raw.reduce((sum, d) => sum + d.factor, 0) / Math.max(1, raw.length);
  return raw.map(({ dayMs, factor }) => ({
    day: new Date(dayMs).toISOString().slice(0, 10),
    total: Math.round((requestsPerDay * factor) / mean),
  }));
}

export interface TrafficSalts {
  seed: number;
  troubledTenantIds: readonly string[];
}

/** Inserts one day's requests (in as many statements as its volume needs); returns rows inserted. */
export async function insertRequestsForDay(db: Db, day: TrafficDay, salts: TrafficSalts): Promise<number> {
  const chunks = Math.max(1, Math.ceil(day.total / MAX_ROWS_PER_STATEMENT));
  const epochDay = Math.round(Date.parse(`${day.day}T00:00:00Z`) / DAY_MS);
  // Salts stay far below 2^53 (seed < 2^31): (seed·100003 + epochDay)·16 + n.
  const base = (salts.seed * 100_003 + epochDay) * 16;
  let inserted = 0;
  for (let chunk = 0; chunk < chunks; chunk++) {
    const result = await db.execute(INSERT_REQUESTS_SQL, {
      day: p.date(day.day),
      total: p.bigint(day.total),
      chunks: p.int(chunks),
      chunk: p.int(chunk),
      troubled: p.uuidList(salts.troubledTenantIds),
      tenant_salt: p.bigint(salts.seed),
      day_salt: p.bigint(base + 15),
      row_salt: p.bigint(base),
    });
    inserted += result.updated;
  }
  return inserted;
}
