-- 0002: what the read endpoints need beyond the base schema.

-- Every timestamp the API returns is ISO 8601 in UTC with milliseconds and a Z, whatever the
-- session TimeZone; one function keeps that format in one place for the repositories' SQL.
CREATE FUNCTION alquimista_platform.iso_utc(ts timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- When the tenant's agent last served a request: shown by /internal/tenants/{id}/agents and kept
-- by the nightly aggregation, so no endpoint scans the raw request log for it.
ALTER TABLE alquimista_platform.tenant_agents ADD COLUMN last_request_at timestamptz;

-- /tenant/incidents lists a tenant's incidents newest first; the (tenant_id, created_at) index
-- would also walk the tenant's command audit rows, so incidents get their own.
CREATE INDEX operational_events_tenant_incidents_idx ON alquimista_platform.operational_events (tenant_id, created_at DESC)
  WHERE event_type = 'incident';
