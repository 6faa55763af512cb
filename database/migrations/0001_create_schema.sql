-- 0001: the platform schema of the Painel Operacional.
--
-- Runs through the RDS Data API, one statement per call, all statements of this file in one
-- transaction; so: plain DDL, every object schema-qualified, no CONCURRENTLY. Must run on
-- Aurora PostgreSQL 15 and on PGlite (PostgreSQL 18): no extensions are used. gen_random_uuid()
-- is core since PostgreSQL 13, and pg_trgm is not available in PGlite.
--
-- Conventions:
--   * timestamptz everywhere: the Data API session runs in UTC, but a timestamp without zone would
--     silently shift under any other session TimeZone.
--   * enum-like columns are text + CHECK rather than CREATE TYPE ... AS ENUM: adding a value is a
--     one-statement constraint swap that runs inside a transaction, and un-hinted Data API string
--     parameters (bound as varchar) compare with text without casts.
--   * tenant-owned rows cascade on tenant deletion; catalog references (plans, agents) restrict,
--     so a catalog row still in use cannot disappear.

CREATE SCHEMA IF NOT EXISTS alquimista_platform;

-- updated_at is maintained by the database so that no code path (handler, command processor,
-- ad-hoc SQL) can forget it.
CREATE FUNCTION alquimista_platform.set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- plans: reference data. Limits live here, not in code, so /tenant/me and the billing overview
-- read one source of truth.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE alquimista_platform.plans (
  code                   text          PRIMARY KEY
                                       CONSTRAINT plans_code_check CHECK (code IN ('starter', 'professional', 'enterprise')),
  display_name           text          NOT NULL,
  max_agents             integer       NOT NULL CONSTRAINT plans_max_agents_check CHECK (max_agents > 0),
  max_users              integer       NOT NULL CONSTRAINT plans_max_users_check CHECK (max_users > 0),
  max_requests_per_month bigint        NOT NULL CONSTRAINT plans_max_requests_check CHECK (max_requests_per_month > 0),
  -- BRL
  price_monthly          numeric(12,2) NOT NULL CONSTRAINT plans_price_check CHECK (price_monthly >= 0),
  created_at             timestamptz   NOT NULL DEFAULT now(),
  updated_at             timestamptz   NOT NULL DEFAULT now()
);

CREATE TRIGGER plans_set_updated_at BEFORE UPDATE ON alquimista_platform.plans
  FOR EACH ROW EXECUTE FUNCTION alquimista_platform.set_updated_at();

INSERT INTO alquimista_platform.plans (code, display_name, max_agents, max_users, max_requests_per_month, price_monthly) VALUES
  ('starter',      'Starter',      3,   5,     30000,  497.00),
  ('professional', 'Professional', 8,  20,    150000, 1497.00),
  ('enterprise',   'Enterprise',  20, 100,   1000000, 4990.00);

-- ---------------------------------------------------------------------------------------------
-- tenants
-- ---------------------------------------------------------------------------------------------
CREATE TABLE alquimista_platform.tenants (
  id           uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
  name         text          NOT NULL CONSTRAINT tenants_name_check CHECK (btrim(name) <> ''),
  -- digits only; formatting (00.000.000/0000-00) is a presentation concern
  cnpj         text          NOT NULL CONSTRAINT tenants_cnpj_key UNIQUE
                             CONSTRAINT tenants_cnpj_check CHECK (cnpj ~ '^[0-9]{14}$'),
  segment      text          NOT NULL CONSTRAINT tenants_segment_check CHECK (segment IN (
                               'varejo', 'saude', 'educacao', 'financeiro', 'tecnologia',
                               'industria', 'servicos', 'logistica', 'imobiliario', 'juridico')),
  plan         text          NOT NULL REFERENCES alquimista_platform.plans (code),
  status       text          NOT NULL DEFAULT 'active'
                             CONSTRAINT tenants_status_check CHECK (status IN ('active', 'inactive', 'suspended')),
  -- the contracted monthly value (BRL); kept when the tenant stops paying, so churned MRR can be
  -- reported. Only status = 'active' counts towards current MRR.
  mrr_estimate numeric(12,2) NOT NULL DEFAULT 0 CONSTRAINT tenants_mrr_check CHECK (mrr_estimate >= 0),
  activated_at timestamptz   NOT NULL DEFAULT now(),
  churned_at   timestamptz,
  created_at   timestamptz   NOT NULL DEFAULT now(),
  updated_at   timestamptz   NOT NULL DEFAULT now(),
  CONSTRAINT tenants_churn_check CHECK (churned_at IS NULL OR (status = 'inactive' AND churned_at >= activated_at))
);

CREATE TRIGGER tenants_set_updated_at BEFORE UPDATE ON alquimista_platform.tenants
  FOR EACH ROW EXECUTE FUNCTION alquimista_platform.set_updated_at();

-- /internal/tenants defaults to status = 'active' ORDER BY name LIMIT n: one index serves the
-- filter, the order (either direction) and the early stop.
CREATE INDEX tenants_status_name_idx ON alquimista_platform.tenants (status, name);
-- Case-insensitive prefix search on the name: lower(name) LIKE lower(:q) || '%'. text_pattern_ops
-- because under a non-C collation (Aurora's default is en_US.UTF-8) LIKE cannot use a plain
-- btree. Substring search ('%q%') is a sequential scan: pg_trgm (a GIN trigram index) would serve
-- it on Aurora, but PGlite does not ship the extension; at tens of thousands of tenants the scan
-- stays in the low milliseconds.
CREATE INDEX tenants_lower_name_pattern_idx ON alquimista_platform.tenants (lower(name) text_pattern_ops);
-- Filter by plan / segment (the list and the billing breakdowns), usually combined with status.
CREATE INDEX tenants_plan_status_idx ON alquimista_platform.tenants (plan, status);
CREATE INDEX tenants_segment_status_idx ON alquimista_platform.tenants (segment, status);
-- CNPJ search: an exact match uses the UNIQUE constraint's index; a prefix (the 8-digit root
-- finds every branch of a company: cnpj LIKE :digits || '%') needs text_pattern_ops, as above.
CREATE INDEX tenants_cnpj_pattern_idx ON alquimista_platform.tenants (cnpj text_pattern_ops);

-- ---------------------------------------------------------------------------------------------
-- tenant_status_history: one row per change of (status, plan, mrr_estimate), each row being the
-- tenant's state from changed_at on. The billing overview derives from it: new MRR (first
-- 'active' row in the period), churned MRR (a row turning 'inactive' in the period, with the
-- mrr_estimate that was lost) and the MRR trend (per day, the latest row of each tenant whose
-- status is 'active').
-- ---------------------------------------------------------------------------------------------
CREATE TABLE alquimista_platform.tenant_status_history (
  id           uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id    uuid          NOT NULL REFERENCES alquimista_platform.tenants (id) ON DELETE CASCADE,
  status       text          NOT NULL
                             CONSTRAINT tenant_status_history_status_check CHECK (status IN ('active', 'inactive', 'suspended')),
  plan         text          NOT NULL REFERENCES alquimista_platform.plans (code),
  mrr_estimate numeric(12,2) NOT NULL CONSTRAINT tenant_status_history_mrr_check CHECK (mrr_estimate >= 0),
  changed_at   timestamptz   NOT NULL DEFAULT now()
);

-- "the tenant's state on day D" (latest row <= D) and LAG() over a tenant's history.
CREATE INDEX tenant_status_history_tenant_changed_idx ON alquimista_platform.tenant_status_history (tenant_id, changed_at);
-- "changes within the period" for new/churned MRR.
CREATE INDEX tenant_status_history_changed_idx ON alquimista_platform.tenant_status_history (changed_at);

-- ---------------------------------------------------------------------------------------------
-- agents: the catalog of AI agents the platform offers.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE alquimista_platform.agents (
  id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text        NOT NULL CONSTRAINT agents_name_key UNIQUE,
  -- the tenant segments, plus 'geral' for agents that serve any segment
  segment     text        NOT NULL CONSTRAINT agents_segment_check CHECK (segment IN (
                            'geral', 'varejo', 'saude', 'educacao', 'financeiro', 'tecnologia',
                            'industria', 'servicos', 'logistica', 'imobiliario', 'juridico')),
  description text        NOT NULL,
  status      text        NOT NULL DEFAULT 'active'
                          CONSTRAINT agents_status_check CHECK (status IN ('active', 'deprecated')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER agents_set_updated_at BEFORE UPDATE ON alquimista_platform.agents
  FOR EACH ROW EXECUTE FUNCTION alquimista_platform.set_updated_at();

-- ---------------------------------------------------------------------------------------------
-- tenant_users: the tenant's people, linked to Cognito by sub.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE alquimista_platform.tenant_users (
  id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id     uuid        NOT NULL REFERENCES alquimista_platform.tenants (id) ON DELETE CASCADE,
  -- text, not uuid: it is compared with the token's claim, which arrives as a string
  cognito_sub   text        NOT NULL CONSTRAINT tenant_users_cognito_sub_key UNIQUE,
  email         text        NOT NULL CONSTRAINT tenant_users_email_check CHECK (position('@' IN email) > 1),
  full_name     text,
  role          text        NOT NULL CONSTRAINT tenant_users_role_check CHECK (role IN ('ADMIN', 'USER')),
  last_login_at timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  -- also the "users of a tenant" index (tenant_id leads)
  CONSTRAINT tenant_users_tenant_email_key UNIQUE (tenant_id, email)
);

CREATE TRIGGER tenant_users_set_updated_at BEFORE UPDATE ON alquimista_platform.tenant_users
  FOR EACH ROW EXECUTE FUNCTION alquimista_platform.set_updated_at();

-- ---------------------------------------------------------------------------------------------
-- tenant_agents: which catalog agents a tenant has contracted, with its own configuration.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE alquimista_platform.tenant_agents (
  id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id      uuid        NOT NULL REFERENCES alquimista_platform.tenants (id) ON DELETE CASCADE,
  agent_id       uuid        NOT NULL REFERENCES alquimista_platform.agents (id),
  status         text        NOT NULL DEFAULT 'active'
                             CONSTRAINT tenant_agents_status_check CHECK (status IN ('active', 'inactive', 'suspended')),
  config         jsonb       NOT NULL DEFAULT '{}'
                             CONSTRAINT tenant_agents_config_check CHECK (jsonb_typeof(config) = 'object'),
  activated_at   timestamptz NOT NULL DEFAULT now(),
  deactivated_at timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  -- also the "agents of a tenant" index (tenant_id leads)
  CONSTRAINT tenant_agents_tenant_agent_key UNIQUE (tenant_id, agent_id),
  CONSTRAINT tenant_agents_deactivated_check CHECK (deactivated_at IS NULL OR deactivated_at >= activated_at)
);

CREATE TRIGGER tenant_agents_set_updated_at BEFORE UPDATE ON alquimista_platform.tenant_agents
  FOR EACH ROW EXECUTE FUNCTION alquimista_platform.set_updated_at();

-- "deployed_count" per agent in the usage overview, and the FK check when a catalog agent is
-- deleted (without it, every such delete scans tenant_agents).
CREATE INDEX tenant_agents_agent_status_idx ON alquimista_platform.tenant_agents (agent_id, status);

-- ---------------------------------------------------------------------------------------------
-- tenant_integrations: the tenant's connections to external systems. Secrets never live here,
-- only the ARN of the Secrets Manager secret that holds them.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE alquimista_platform.tenant_integrations (
  id                     uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id              uuid        NOT NULL REFERENCES alquimista_platform.tenants (id) ON DELETE CASCADE,
  integration_type       text        NOT NULL
                                     CONSTRAINT tenant_integrations_type_check CHECK (integration_type IN ('email', 'whatsapp', 'crm', 'calendar')),
  integration_name       text        NOT NULL CONSTRAINT tenant_integrations_name_check CHECK (btrim(integration_name) <> ''),
  status                 text        NOT NULL DEFAULT 'active'
                                     CONSTRAINT tenant_integrations_status_check CHECK (status IN ('active', 'inactive', 'error')),
  credentials_secret_arn text        CONSTRAINT tenant_integrations_secret_arn_check
                                     CHECK (credentials_secret_arn LIKE 'arn:aws:secretsmanager:%'),
  -- public, non-sensitive settings only
  config                 jsonb       NOT NULL DEFAULT '{}'
                                     CONSTRAINT tenant_integrations_config_check CHECK (jsonb_typeof(config) = 'object'),
  last_sync_at           timestamptz,
  last_error             text,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER tenant_integrations_set_updated_at BEFORE UPDATE ON alquimista_platform.tenant_integrations
  FOR EACH ROW EXECUTE FUNCTION alquimista_platform.set_updated_at();

-- /tenant/integrations and the tenant detail list a tenant's integrations, by type.
CREATE INDEX tenant_integrations_tenant_type_idx ON alquimista_platform.tenant_integrations (tenant_id, integration_type);

-- ---------------------------------------------------------------------------------------------
-- tenant_usage_daily: agent_requests aggregated per tenant, agent and UTC day by the nightly job.
-- agent_id NULL = requests not attributed to a catalog agent.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE alquimista_platform.tenant_usage_daily (
  id                   uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id            uuid        NOT NULL REFERENCES alquimista_platform.tenants (id) ON DELETE CASCADE,
  agent_id             uuid        REFERENCES alquimista_platform.agents (id),
  date                 date        NOT NULL,
  total_requests       integer     NOT NULL DEFAULT 0 CONSTRAINT tenant_usage_daily_total_check CHECK (total_requests >= 0),
  successful_requests  integer     NOT NULL DEFAULT 0 CONSTRAINT tenant_usage_daily_successful_check CHECK (successful_requests >= 0),
  failed_requests      integer     NOT NULL DEFAULT 0 CONSTRAINT tenant_usage_daily_failed_check CHECK (failed_requests >= 0),
  -- NULL when total_requests = 0: an average of nothing is unknown, not 0 ms
  avg_response_time_ms integer     CONSTRAINT tenant_usage_daily_avg_check CHECK (avg_response_time_ms >= 0),
  total_tokens_used    bigint      NOT NULL DEFAULT 0 CONSTRAINT tenant_usage_daily_tokens_check CHECK (total_tokens_used >= 0),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT tenant_usage_daily_sum_check CHECK (successful_requests + failed_requests = total_requests),
  -- NULLS NOT DISTINCT: with a plain UNIQUE, the rows of unattributed requests (agent_id NULL)
  -- never conflict, so re-running the aggregation for a day would duplicate them instead of
  -- updating them through ON CONFLICT (tenant_id, agent_id, date).
  CONSTRAINT tenant_usage_daily_tenant_agent_date_key UNIQUE NULLS NOT DISTINCT (tenant_id, agent_id, date)
);

CREATE TRIGGER tenant_usage_daily_set_updated_at BEFORE UPDATE ON alquimista_platform.tenant_usage_daily
  FOR EACH ROW EXECUTE FUNCTION alquimista_platform.set_updated_at();

-- A tenant's usage over a period (/tenant/usage, /tenant/me, tenant detail): the unique key has
-- agent_id between tenant_id and date, so it cannot serve a date range for all of a tenant's agents.
-- Ascending btrees are scanned backwards just as well, so no DESC variants.
CREATE INDEX tenant_usage_daily_tenant_date_idx ON alquimista_platform.tenant_usage_daily (tenant_id, date);
-- Per-agent usage (top agents, agent_id filter) and the FK check when a catalog agent is deleted.
CREATE INDEX tenant_usage_daily_agent_date_idx ON alquimista_platform.tenant_usage_daily (agent_id, date);
-- Platform-wide daily trends (/internal/usage/overview) over a period.
CREATE INDEX tenant_usage_daily_date_idx ON alquimista_platform.tenant_usage_daily (date);

-- ---------------------------------------------------------------------------------------------
-- operational_events: the audit trail of operational commands, plus incidents and maintenance.
-- event_type values:
--   command_created | command_executed | command_failed  an operational command's lifecycle
--   incident                                            something went wrong (resolved_at closes it)
--   maintenance                                         planned work (resolved_at = finished)
--   aggregation_completed | aggregation_failed          the nightly usage aggregation's outcome
-- ---------------------------------------------------------------------------------------------
CREATE TABLE alquimista_platform.operational_events (
  id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  event_type  text        NOT NULL CONSTRAINT operational_events_type_check CHECK (event_type IN (
                            'command_created', 'command_executed', 'command_failed',
                            'incident', 'maintenance', 'aggregation_completed', 'aggregation_failed')),
  severity    text        NOT NULL
                          CONSTRAINT operational_events_severity_check CHECK (severity IN ('info', 'warning', 'error', 'critical')),
  -- NULL = platform-wide. SET NULL rather than CASCADE: the audit trail outlives a tenant.
  tenant_id   uuid        REFERENCES alquimista_platform.tenants (id) ON DELETE SET NULL,
  -- Cognito sub of the person (or NULL for the system) that caused the event
  user_sub    text,
  title       text        NOT NULL CONSTRAINT operational_events_title_check CHECK (btrim(title) <> ''),
  description text,
  metadata    jsonb       NOT NULL DEFAULT '{}'
                          CONSTRAINT operational_events_metadata_check CHECK (jsonb_typeof(metadata) = 'object'),
  created_at  timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  CONSTRAINT operational_events_resolved_check CHECK (
    resolved_at IS NULL OR (event_type IN ('incident', 'maintenance') AND resolved_at >= created_at))
);

-- A tenant's events newest first (/tenant/incidents, recent incidents of the tenant detail).
CREATE INDEX operational_events_tenant_created_idx ON alquimista_platform.operational_events (tenant_id, created_at DESC);
-- Platform-wide feeds by type newest first (recent incidents, command history).
CREATE INDEX operational_events_type_created_idx ON alquimista_platform.operational_events (event_type, created_at DESC);
-- Open incidents: a small, hot subset the dashboards poll; a partial index stays tiny.
CREATE INDEX operational_events_open_incidents_idx ON alquimista_platform.operational_events (created_at DESC)
  WHERE event_type = 'incident' AND resolved_at IS NULL;

-- ---------------------------------------------------------------------------------------------
-- agent_requests: the raw, append-only request log (~1M rows/day) the nightly job aggregates into
-- tenant_usage_daily.
--
-- No foreign keys, deliberately: each would add an index probe of tenants/agents to every one of
-- a million inserts a day, would make deleting a tenant or catalog agent scan (or index) this
-- table, and would block retention jobs that drop old rows in bulk. The ingest path validates
-- ids; the aggregation joins to tenants anyway. agent_id NULL = not attributed to an agent.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE alquimista_platform.agent_requests (
  id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id        uuid        NOT NULL,
  agent_id         uuid,
  status           text        NOT NULL CONSTRAINT agent_requests_status_check CHECK (status IN ('success', 'error')),
  response_time_ms integer     NOT NULL CONSTRAINT agent_requests_response_time_check CHECK (response_time_ms >= 0),
  tokens_used      integer     NOT NULL DEFAULT 0 CONSTRAINT agent_requests_tokens_check CHECK (tokens_used >= 0),
  created_at       timestamptz NOT NULL DEFAULT now()
);

-- The aggregation reads one UTC day (created_at >= d AND created_at < d + 1). Rows arrive in
-- roughly created_at order, so a BRIN index (a few pages for millions of rows, near-free on
-- insert) narrows that to the day's blocks, where a btree would cost ingest and ~30 MB a day.
CREATE INDEX agent_requests_created_brin ON alquimista_platform.agent_requests USING brin (created_at);
-- A tenant's failed requests in a window (incident detection, error drill-down). Errors are a few
-- percent of the rows, so the partial index is a few percent of a full one.
CREATE INDEX agent_requests_tenant_errors_idx ON alquimista_platform.agent_requests (tenant_id, created_at)
  WHERE status = 'error';
