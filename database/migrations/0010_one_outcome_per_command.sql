-- 0010: an operational effect and its audit row commit together (issue 19).

-- One outcome per command. A command ends executed or failed exactly once: whoever records its
-- outcome first — the processor (in the same transaction as the effect), a re-drive by the
-- sweeper, the sweeper giving up, or a creation that could not be stored — decides, and every later
-- attempt finds that row and adopts it instead of running the effect again.
CREATE UNIQUE INDEX operational_events_one_outcome ON alquimista_platform.operational_events (command_id)
  WHERE command_id IS NOT NULL AND event_type IN ('command_executed', 'command_failed');

-- RESTART_AGENT names the command that made the restart, and the status it restarted from: a
-- statement the Data API client sends twice (its response lost, the call retried) restarts once,
-- and the second answer still reports the first one's result.
ALTER TABLE alquimista_platform.tenant_agents
  ADD COLUMN last_restart_command_id uuid,
  ADD COLUMN last_restart_previous_status text;

-- The sweeper looks for commands whose creation was recorded but that never got an outcome (the
-- API stopped between the audit row and the table write), among the last day's creations.
CREATE INDEX operational_events_command_created_idx ON alquimista_platform.operational_events (created_at)
  WHERE event_type = 'command_created';

-- REPROCESS_QUEUE reports its counts from the rows it tagged (sent twice, it still reports them).
CREATE INDEX agent_request_retries_last_command_idx ON alquimista_platform.agent_request_retries (last_command_id);
