import * as z from '../shared/zod';
import { type Db, p } from '../shared/db';

/** SQL of the nightly usage aggregation: one UTC day per statement (or per tenant range of it). */
const S = 'alquimista_platform';

/** Half-open bounds of a UTC day: `created_at >= start AND created_at < end` lets the BRIN index prune. */
const DAY_START = `CAST(CAST(:day AS date) AS timestamp) AT TIME ZONE 'UTC'`;
const DAY_END = `CAST(CAST(:day AS date) + 1 AS timestamp) AT TIME ZONE 'UTC'`;
const IN_RANGE = (column: string) => `${column} >= CAST(:lo AS uuid) AND (CAST(:hi AS uuid) IS NULL OR ${column} < CAST(:hi AS uuid))`;

/**
 * The usage row's id, derived from its natural key so a re-aggregation keeps it: the day (days
 * since 2000-01-01, 8 hex digits) then 96 bits of md5(tenant/agent). Every new row of a night
 * shares the prefix, so primary-key inserts land together at the index's right edge instead of
 * at 50,000 random places of a multi-million-entry btree.
 */
const USAGE_ROW_ID = `CAST(lpad(to_hex(CAST(:day AS date) - DATE '2000-01-01'), 8, '0') || left(md5(concat_ws('/', k.tenant_id, k.agent_id)), 24) AS uuid)`;

const NO_AGENT = `CAST('00000000-0000-0000-0000-000000000000' AS uuid)`;

/**
 * The day's read: the CTEs `agg` (the requests grouped by tenant and agent, with every aggregate
 * the job stores) and `keyed` (those groups on the usage table's key), for a statement to follow.
 * Exported so the benchmark can time the read alone against the bare scan.
 */
export const DAY_GROUPS_CTES = `agg AS (
  SELECT r.tenant_id, r.agent_id,
         count(*) AS total,
         count(*) FILTER (WHERE r.status = 'success') AS ok,
         sum(r.response_time_ms) AS sum_ms,
         sum(r.tokens_used) AS tokens,
         max(r.created_at) AS last_at
  FROM ${S}.agent_requests r
  WHERE r.created_at >= ${DAY_START} AND r.created_at < ${DAY_END} AND ${IN_RANGE('r.tenant_id')}
  GROUP BY r.tenant_id, r.agent_id
), keyed AS (
  SELECT g.tenant_id, g.agent_id, g.total, g.ok, g.sum_ms, g.tokens, g.last_at
  FROM agg g
  JOIN ${S}.tenants t ON t.id = g.tenant_id
  JOIN ${S}.agents a ON a.id = g.agent_id
  UNION ALL
  SELECT g.tenant_id, NULL, sum(g.total)::bigint, sum(g.ok)::bigint, sum(g.sum_ms)::bigint, sum(g.tokens)::bigint, max(g.last_at)
  FROM agg g
  JOIN ${S}.tenants t ON t.id = g.tenant_id
  WHERE g.agent_id IS NULL OR NOT EXISTS (SELECT 1 FROM ${S}.agents a WHERE a.id = g.agent_id)
  GROUP BY g.tenant_id
)`;

/**
 * One day (of the tenants in [lo, hi)) into tenant_usage_daily, so that the day's rows become
 * exactly what the raw log says, however often it runs:
 *  - `agg` groups the day's requests by exactly the unique key's columns (tenant, agent);
 *  - `keyed` drops tenants that do not exist and folds agents missing from the catalog into the
 *    unattributed bucket (agent_id NULL) — the log has no foreign keys, the aggregate does. Groups
 *    of catalog agents pass through as they are; only the unattributed ones are grouped again
 *    (one per tenant), so the day's groups are hashed once, not twice;
 *  - `diff` pairs each group with the day's existing row, if any;
 *  - inserts the new groups (all of them, the first time a day is aggregated) with a plain INSERT:
 *    an INSERT … ON CONFLICT pays a speculative insertion per row (measured on PGlite: ~230 ms of
 *    a 50,000-row day). Runs of the same day are serialized (LOCK_DAY_SQL), so no other run can
 *    insert one of these keys meanwhile;
 *  - updates only the existing rows whose values changed (a re-run of an unchanged day writes nothing);
 *  - deletes the day's rows whose group no longer exists;
 *  - moves tenant_agents.last_request_at forward.
 * The average is recomputed from the sum, not averaged again, so folding groups stays exact.
 * NO_AGENT stands in for agent_id NULL in the pairing, so it is a hashable equality.
 */
export const AGGREGATE_DAY_SQL = `
WITH ${DAY_GROUPS_CTES}, existing AS (
  SELECT u.id, u.tenant_id, u.agent_id, u.total_requests, u.successful_requests, u.avg_response_time_ms, u.total_tokens_used
  FROM ${S}.tenant_usage_daily u
  WHERE u.date = CAST(:day AS date) AND ${IN_RANGE('u.tenant_id')}
), diff AS (
  SELECT k.tenant_id, k.agent_id, CAST(k.total AS int) AS total, CAST(k.ok AS int) AS ok,
         CAST(round(k.sum_ms::numeric / k.total) AS int) AS avg_ms, k.tokens, e.id AS existing_id,
         (e.total_requests, e.successful_requests, e.avg_response_time_ms, e.total_tokens_used)
           IS DISTINCT FROM (k.total, k.ok, round(k.sum_ms::numeric / k.total), k.tokens) AS changed
  FROM keyed k
  LEFT JOIN existing e ON e.tenant_id = k.tenant_id AND coalesce(e.agent_id, ${NO_AGENT}) = coalesce(k.agent_id, ${NO_AGENT})
), inserted AS (
  INSERT INTO ${S}.tenant_usage_daily
    (id, tenant_id, agent_id, date, total_requests, successful_requests, failed_requests, avg_response_time_ms, total_tokens_used)
  SELECT ${USAGE_ROW_ID}, k.tenant_id, k.agent_id, CAST(:day AS date), k.total, k.ok, k.total - k.ok, k.avg_ms, k.tokens
  FROM diff k
  WHERE k.existing_id IS NULL
  RETURNING 1
), updated AS (
  UPDATE ${S}.tenant_usage_daily u SET
    total_requests = d.total, successful_requests = d.ok, failed_requests = d.total - d.ok,
    avg_response_time_ms = d.avg_ms, total_tokens_used = d.tokens
  FROM diff d
  WHERE u.id = d.existing_id AND d.changed
  RETURNING 1
), deleted AS (
  DELETE FROM ${S}.tenant_usage_daily u
  WHERE u.id IN (
    SELECT e.id FROM existing e
    WHERE NOT EXISTS (SELECT 1 FROM keyed k WHERE k.tenant_id = e.tenant_id AND coalesce(k.agent_id, ${NO_AGENT}) = coalesce(e.agent_id, ${NO_AGENT})))
  RETURNING 1
), touched AS (
  UPDATE ${S}.tenant_agents ta SET last_request_at = k.last_at
  FROM keyed k
  WHERE ta.tenant_id = k.tenant_id AND ta.agent_id = k.agent_id
    AND (ta.last_request_at IS NULL OR ta.last_request_at < k.last_at)
  RETURNING 1
)
SELECT (SELECT coalesce(sum(total), 0) FROM agg)::bigint AS rows_read,
       (SELECT coalesce(sum(total), 0) FROM keyed)::bigint AS rows_kept,
       ((SELECT count(*) FROM inserted) + (SELECT count(*) FROM updated))::int AS rows_written,
       (SELECT count(*) FROM deleted)::int AS rows_deleted,
       (SELECT count(*) FROM touched)::int AS agents_touched
`;

const DayResultSchema = z.object({
  rows_read: z.coerce.number(),
  rows_kept: z.coerce.number(),
  rows_written: z.number(),
  rows_deleted: z.number(),
  agents_touched: z.number(),
});
export type DayResult = z.infer<typeof DayResultSchema>;

/**
 * Summarizes the request log's BRIN block ranges appended since the last summary, so the day's
 * scan reads only the day's blocks (an unsummarized range always has to be read). Cheap: it
 * only reads the new ranges. Returns how many ranges it summarized.
 */
export async function summarizeRequestLog(db: Db): Promise<number> {
  const row = await db.one<{ n: number }>(`SELECT brin_summarize_new_values('${S}.agent_requests_created_brin')::int AS n`);
  return row?.n ?? 0;
}

/** A tenant range: ids in [lo, hi); hi null = no upper bound. */
export interface TenantRange {
  lo: string;
  hi: string | null;
}

export const ALL_TENANTS: TenantRange = { lo: '00000000-0000-0000-0000-000000000000', hi: null };

/**
 * Settings of the aggregation's transaction (SET LOCAL: they end with it).
 *  - work_mem: with the default 4 MB, the hash of a day's ~50,000 groups spills to disk in
 *    batches (measured: the grouping took 3× the scan); 64 MB keeps it in memory, and it is
 *    given to this one statement, not to every connection.
 *  - jit: a big statement crosses jit_above_cost, and compiling it (PostgreSQL with LLVM) costs
 *    more than it saves on a one-pass scan.
 */
export const AGGREGATION_SETTINGS_SQL = `SELECT set_config('work_mem', '64MB', true), set_config('jit', 'off', true)`;

/**
 * Serializes the runs that aggregate the same day (a scheduled run and an overlapping backfill, a
 * retried Lambda), for the rest of the transaction: the second waits, then sees the first's rows
 * and rewrites only what changed, where inserting the same new keys would fail on the unique key.
 * The lock's key is (this job's constant, 'pain' in ASCII; the day's number since 2000-01-01).
 */
export const LOCK_DAY_SQL = `SELECT true AS locked FROM pg_advisory_xact_lock(CAST(x'7061696e' AS int), CAST(:day AS date) - DATE '2000-01-01')`;

/** One day (of a tenant range) in its own transaction. */
export async function aggregateDay(db: Db, day: string, range: TenantRange = ALL_TENANTS): Promise<DayResult> {
  return db.transaction((tx) => aggregateDayIn(tx, day, range));
}

/** The day's statements inside the caller's transaction `tx`: its settings, the day's lock, the statement. */
export async function aggregateDayIn(tx: Db, day: string, range: TenantRange = ALL_TENANTS): Promise<DayResult> {
  await tx.query(AGGREGATION_SETTINGS_SQL);
  await tx.query(LOCK_DAY_SQL, { day: p.date(day) });
  const rows = await tx.query(AGGREGATE_DAY_SQL, { day: p.date(day), lo: p.uuid(range.lo), hi: p.uuid(range.hi) }, { schema: DayResultSchema });
  return rows[0]!;
}

/**
 * How many requests a day probably has, without scanning it: its own aggregate if it was
 * aggregated before, else the previous day's (0 when neither exists).
 */
export async function estimateDayRequests(db: Db, day: string): Promise<number> {
  const row = await db.one<{ n: string | number }>(
    `SELECT coalesce(max(s.n), 0) AS n FROM (
       SELECT sum(u.total_requests) AS n FROM ${S}.tenant_usage_daily u
       WHERE u.date IN (CAST(:day AS date), CAST(:day AS date) - 1) GROUP BY u.date) s`,
    { day: p.date(day) },
  );
  return Number(row?.n ?? 0);
}

/** 30-day counters of every tenant agent, over the 30 days ending `to`; only changed rows are written. */
export async function refreshAgentCounters(db: Db, to: string): Promise<number> {
  const { updated } = await db.execute(
    `UPDATE ${S}.tenant_agents ta
     SET requests_last_30_days = c.total, failed_requests_last_30_days = c.failed
     FROM (
       SELECT ta2.id, coalesce(sum(u.total_requests), 0) AS total, coalesce(sum(u.failed_requests), 0) AS failed
       FROM ${S}.tenant_agents ta2
       LEFT JOIN ${S}.tenant_usage_daily u
         ON u.tenant_id = ta2.tenant_id AND u.agent_id = ta2.agent_id
        AND u.date > CAST(:to AS date) - 30 AND u.date <= CAST(:to AS date)
       GROUP BY ta2.id
     ) c
     WHERE ta.id = c.id AND (ta.requests_last_30_days, ta.failed_requests_last_30_days) IS DISTINCT FROM (c.total, c.failed)`,
    { to: p.date(to) },
  );
  return updated;
}

/**
 * Each tenant's requests over the 30 days ending `to` (tenant_usage_last_30_days, read by the
 * tenant list when its window ends on `to`); only changed rows are written.
 */
export async function refreshTenantCounters(db: Db, to: string): Promise<number> {
  const { updated } = await db.execute(
    `INSERT INTO ${S}.tenant_usage_last_30_days AS c (tenant_id, as_of, requests)
     SELECT t.id, CAST(:to AS date), coalesce(sum(u.total_requests), 0)
     FROM ${S}.tenants t
     LEFT JOIN ${S}.tenant_usage_daily u
       ON u.tenant_id = t.id AND u.date > CAST(:to AS date) - 30 AND u.date <= CAST(:to AS date)
     GROUP BY t.id
     ON CONFLICT (tenant_id) DO UPDATE SET as_of = EXCLUDED.as_of, requests = EXCLUDED.requests
     WHERE (c.as_of, c.requests) IS DISTINCT FROM (EXCLUDED.as_of, EXCLUDED.requests)`,
    { to: p.date(to) },
  );
  return updated;
}

export interface IncidentThresholds {
  /** Fractions of the plan's monthly requests that open an incident, e.g. [0.8, 1]. */
  quotaFractions: readonly number[];
  /** A day's failed / total above this opens an error-rate incident… */
  errorRate: number;
  /** …when the day had at least this many requests. */
  minRequests: number;
}

const QuotaResultSchema = z.object({ opened: z.number(), resolved: z.number() });

/**
 * Month-to-date usage against the plan, as of `day`: for each threshold crossed, an incident
 * keyed 'quota:<pct>:<YYYY-MM>', opened once per tenant and month (resolved or not). Incidents of
 * earlier months are resolved: a new month starts a new quota.
 */
export async function raiseQuotaIncidents(db: Db, day: string, thresholds: IncidentThresholds) {
  const month = day.slice(0, 7);
  const pcts = thresholds.quotaFractions.map((f) => Math.round(f * 100));
  return (await db.json(
    `WITH usage AS (
       SELECT t.id AS tenant_id, pl.max_requests_per_month AS quota, sum(u.total_requests) AS used
       FROM ${S}.tenants t
       JOIN ${S}.plans pl ON pl.code = t.plan
       JOIN ${S}.tenant_usage_daily u ON u.tenant_id = t.id
        AND u.date >= CAST(date_trunc('month', CAST(:day AS date)) AS date) AND u.date <= CAST(:day AS date)
       WHERE t.status = 'active'
       GROUP BY t.id, pl.max_requests_per_month
     ), crossed AS (
       SELECT usage.*, th.pct, 'quota:' || th.pct || ':' || :month AS incident_key
       FROM usage CROSS JOIN unnest(CAST(:pcts AS int[])) AS th(pct)
       WHERE usage.used * 100 >= usage.quota * th.pct
     ), opened AS (
       INSERT INTO ${S}.operational_events (event_type, severity, tenant_id, title, description, metadata, incident_key)
       SELECT 'incident', CASE WHEN c.pct >= 100 THEN 'error' ELSE 'warning' END, c.tenant_id,
              'Uso mensal atingiu ' || c.pct || '% do limite do plano',
              c.used || ' de ' || c.quota || ' requisições em ' || :month || '.',
              jsonb_build_object('kind', 'quota', 'threshold_pct', c.pct, 'month', :month, 'requests', c.used, 'limit', c.quota, 'as_of', :day),
              c.incident_key
       FROM crossed c
       WHERE NOT EXISTS (SELECT 1 FROM ${S}.operational_events e
                         WHERE e.tenant_id = c.tenant_id AND e.event_type = 'incident' AND e.incident_key = c.incident_key)
       ON CONFLICT DO NOTHING
       RETURNING 1
     ), resolved AS (
       UPDATE ${S}.operational_events e SET resolved_at = greatest(now(), e.created_at)
       WHERE e.event_type = 'incident' AND e.resolved_at IS NULL AND e.incident_key LIKE 'quota:%'
         AND e.metadata->>'month' < :month
       RETURNING 1
     )
     SELECT json_build_object('opened', (SELECT count(*) FROM opened), 'resolved', (SELECT count(*) FROM resolved)) AS body`,
    { day: p.date(day), month: p.text(month), pcts: p.textList(pcts.map(String)) },
    QuotaResultSchema,
  ))!;
}

/**
 * The day's error rate per tenant: above the threshold (with enough requests) opens an
 * 'error_rate' incident unless one is open; at or below it resolves the open one.
 */
export async function raiseErrorRateIncidents(db: Db, day: string, thresholds: IncidentThresholds) {
  return (await db.json(
    `WITH daily AS (
       SELECT u.tenant_id, sum(u.total_requests) AS total, sum(u.failed_requests) AS failed
       FROM ${S}.tenant_usage_daily u WHERE u.date = CAST(:day AS date) GROUP BY u.tenant_id
     ), bad AS (
       SELECT d.* FROM daily d JOIN ${S}.tenants t ON t.id = d.tenant_id AND t.status = 'active'
       WHERE d.total >= :min_requests AND d.failed > d.total * :error_rate
     ), opened AS (
       INSERT INTO ${S}.operational_events (event_type, severity, tenant_id, title, description, metadata, incident_key)
       SELECT 'incident', 'error', b.tenant_id, 'Taxa de erro elevada',
              round(100.0 * b.failed / b.total, 1) || '% das ' || b.total || ' requisições falharam em ' || :day || '.',
              jsonb_build_object('kind', 'error_rate', 'day', :day, 'requests', b.total, 'failed', b.failed,
                                 'error_rate', round(b.failed::numeric / b.total, 4), 'threshold', :error_rate),
              'error_rate'
       FROM bad b
       WHERE NOT EXISTS (SELECT 1 FROM ${S}.operational_events e
                         WHERE e.tenant_id = b.tenant_id AND e.incident_key = 'error_rate' AND e.resolved_at IS NULL)
       ON CONFLICT DO NOTHING
       RETURNING 1
     ), resolved AS (
       UPDATE ${S}.operational_events e
       SET resolved_at = greatest(now(), e.created_at),
           metadata = e.metadata || jsonb_build_object('recovered_on', :day)
       WHERE e.incident_key = 'error_rate' AND e.resolved_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM bad b WHERE b.tenant_id = e.tenant_id)
       RETURNING 1
     )
     SELECT json_build_object('opened', (SELECT count(*) FROM opened), 'resolved', (SELECT count(*) FROM resolved)) AS body`,
    { day: p.date(day), min_requests: p.int(thresholds.minRequests), error_rate: p.float(thresholds.errorRate) },
    QuotaResultSchema,
  ))!;
}

export type RunTrigger = 'schedule' | 'backfill' | 'manual';

export async function startRun(db: Db, trigger: RunTrigger, from: string, to: string): Promise<string> {
  const row = await db.one<{ id: string }>(
    `INSERT INTO ${S}.aggregation_runs (trigger, window_from, window_to) VALUES (:trigger, :from, :to) RETURNING id`,
    { trigger: p.text(trigger), from: p.date(from), to: p.date(to) },
  );
  return row!.id;
}

export interface RunTotals {
  statements: number;
  rowsRead: number;
  rowsWritten: number;
  rowsDeleted: number;
  rowsSkipped: number;
  incidentsOpened: number;
  incidentsResolved: number;
}

/** Completes the ledger row and appends the run's event (aggregation_completed / aggregation_failed). */
export async function finishRun(db: Db, runId: string, outcome: { totals: RunTotals; durationMs: number; error?: string }): Promise<void> {
  const failed = outcome.error !== undefined;
  const t = outcome.totals;
  await db.execute(
    `WITH run AS (
       UPDATE ${S}.aggregation_runs SET
         status = :status, statements = :statements, rows_read = :rows_read, rows_written = :rows_written,
         rows_deleted = :rows_deleted, rows_skipped = :rows_skipped, incidents_opened = :opened,
         incidents_resolved = :resolved, finished_at = now(), duration_ms = :duration_ms, error = :error
       WHERE id = :id
       RETURNING id, trigger, window_from, window_to
     )
     INSERT INTO ${S}.operational_events (event_type, severity, title, description, metadata)
     SELECT :event_type, :severity, :title, :error,
            jsonb_build_object('run_id', run.id, 'trigger', run.trigger, 'from', run.window_from, 'to', run.window_to,
                               'rows_read', :rows_read, 'rows_written', :rows_written, 'duration_ms', :duration_ms)
     FROM run`,
    {
      id: p.uuid(runId),
      status: p.text(failed ? 'failed' : 'succeeded'),
      statements: p.int(t.statements),
      rows_read: p.bigint(t.rowsRead),
      rows_written: p.bigint(t.rowsWritten),
      rows_deleted: p.bigint(t.rowsDeleted),
      rows_skipped: p.bigint(t.rowsSkipped),
      opened: p.int(t.incidentsOpened),
      resolved: p.int(t.incidentsResolved),
      duration_ms: p.int(Math.round(outcome.durationMs)),
      error: p.text(outcome.error ?? null),
      event_type: p.text(failed ? 'aggregation_failed' : 'aggregation_completed'),
      severity: p.text(failed ? 'error' : 'info'),
      title: p.text(failed ? 'Agregação diária de uso falhou' : 'Agregação diária de uso concluída'),
    },
  );
}
