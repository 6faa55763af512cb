-- 0005: what the nightly usage aggregation keeps besides tenant_usage_daily.

-- The run ledger: one row per run (scheduled, backfill or manual), written when it starts and
-- completed when it ends, so a failed or a hung run is visible in the database as well as in logs.
CREATE TABLE alquimista_platform.aggregation_runs (
  id                 uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  trigger            text        NOT NULL CONSTRAINT aggregation_runs_trigger_check CHECK (trigger IN ('schedule', 'backfill', 'manual')),
  window_from        date        NOT NULL,
  window_to          date        NOT NULL,
  status             text        NOT NULL DEFAULT 'running'
                                 CONSTRAINT aggregation_runs_status_check CHECK (status IN ('running', 'succeeded', 'failed')),
  statements         integer     NOT NULL DEFAULT 0,
  rows_read          bigint      NOT NULL DEFAULT 0,
  rows_written       bigint      NOT NULL DEFAULT 0,
  rows_deleted       bigint      NOT NULL DEFAULT 0,
  -- requests of tenants that do not exist (agent_requests has no foreign keys)
  rows_skipped       bigint      NOT NULL DEFAULT 0,
  incidents_opened   integer     NOT NULL DEFAULT 0,
  incidents_resolved integer     NOT NULL DEFAULT 0,
  started_at         timestamptz NOT NULL DEFAULT now(),
  finished_at        timestamptz,
  duration_ms        integer,
  error              text,
  CONSTRAINT aggregation_runs_window_check CHECK (window_to >= window_from),
  CONSTRAINT aggregation_runs_finished_check CHECK ((status = 'running') = (finished_at IS NULL))
);

CREATE INDEX aggregation_runs_started_idx ON alquimista_platform.aggregation_runs (started_at DESC);

-- 30-day counters per tenant agent, refreshed by each run that reaches yesterday.
ALTER TABLE alquimista_platform.tenant_agents ADD COLUMN requests_last_30_days bigint NOT NULL DEFAULT 0;
ALTER TABLE alquimista_platform.tenant_agents ADD COLUMN failed_requests_last_30_days bigint NOT NULL DEFAULT 0;

-- What an automatically raised incident is about (e.g. 'quota:80:2026-11', 'error_rate'), so the
-- job never opens the same incident twice: at most one open incident per tenant and key.
ALTER TABLE alquimista_platform.operational_events ADD COLUMN incident_key text;
CREATE UNIQUE INDEX operational_events_open_incident_key ON alquimista_platform.operational_events (tenant_id, incident_key)
  WHERE incident_key IS NOT NULL AND resolved_at IS NULL;

-- The job upserts ~5 rows per tenant per day (~50,000 a day at 10,000 tenants), and index
-- maintenance was most of its cost (measured: the 50,000-row upsert took longer than reading the
-- day's million requests). Two indexes become one: the unique key leads with (tenant_id, date),
-- which also serves "a tenant's usage over a period", so the separate (tenant_id, date) index
-- goes. ON CONFLICT (tenant_id, agent_id, date) still infers the key: inference ignores column order.
ALTER TABLE alquimista_platform.tenant_usage_daily DROP CONSTRAINT tenant_usage_daily_tenant_agent_date_key;
ALTER TABLE alquimista_platform.tenant_usage_daily
  ADD CONSTRAINT tenant_usage_daily_tenant_date_agent_key UNIQUE NULLS NOT DISTINCT (tenant_id, date, agent_id);
DROP INDEX alquimista_platform.tenant_usage_daily_tenant_date_idx;

-- Rows appended after the BRIN index on agent_requests(created_at) was built sit in block ranges
-- that are not summarized yet, and a BRIN scan must read every unsummarized range: without
-- summaries the nightly "one day" scan degrades into a scan of everything appended since the
-- last vacuum (measured on PGlite, which has no autovacuum: 90 days of history made one day 10×
-- slower). autosummarize asks autovacuum to summarize each range as it fills; the job also calls
-- brin_summarize_new_values() itself before aggregating, so it never depends on vacuum timing.
ALTER INDEX alquimista_platform.agent_requests_created_brin SET (autosummarize = on);
