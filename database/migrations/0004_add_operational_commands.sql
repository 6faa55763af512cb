-- 0004: what the operational commands (POST /internal/operations/commands and the stream
-- processor) write to Aurora.

-- RESTART_AGENT records the restart on the tenant's agent.
ALTER TABLE alquimista_platform.tenant_agents ADD COLUMN restarted_at timestamptz;
ALTER TABLE alquimista_platform.tenant_agents ADD COLUMN restart_count integer NOT NULL DEFAULT 0
  CONSTRAINT tenant_agents_restart_count_check CHECK (restart_count >= 0);

-- The command an audit row belongs to. One row per (command, event type): the API's audit row
-- and the processor's outcome row are written with ON CONFLICT DO NOTHING, so a retried request
-- or a stream record delivered twice cannot write a second one, and a retry after a failed write
-- can complete the trail.
ALTER TABLE alquimista_platform.operational_events ADD COLUMN command_id uuid;
CREATE UNIQUE INDEX operational_events_command_event_key ON alquimista_platform.operational_events (command_id, event_type)
  WHERE command_id IS NOT NULL;

-- REPROCESS_QUEUE: failed requests put back in the processing queue. The primary key is the
-- request, so re-queuing the same window twice records each request once; attempts counts how
-- many commands asked for it.
CREATE TABLE alquimista_platform.agent_request_retries (
  request_id         bigint      PRIMARY KEY,
  tenant_id          uuid        NOT NULL REFERENCES alquimista_platform.tenants (id) ON DELETE CASCADE,
  agent_id           uuid,
  request_created_at timestamptz NOT NULL,
  -- the command that first queued it, and the latest one
  first_command_id   uuid        NOT NULL,
  last_command_id    uuid        NOT NULL,
  attempts           integer     NOT NULL DEFAULT 1 CONSTRAINT agent_request_retries_attempts_check CHECK (attempts > 0),
  status             text        NOT NULL DEFAULT 'queued'
                                 CONSTRAINT agent_request_retries_status_check CHECK (status IN ('queued', 'done', 'failed')),
  queued_at          timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER agent_request_retries_set_updated_at BEFORE UPDATE ON alquimista_platform.agent_request_retries
  FOR EACH ROW EXECUTE FUNCTION alquimista_platform.set_updated_at();

-- The retry worker reads a tenant's queued requests oldest first.
CREATE INDEX agent_request_retries_tenant_status_idx ON alquimista_platform.agent_request_retries (tenant_id, status, queued_at);
