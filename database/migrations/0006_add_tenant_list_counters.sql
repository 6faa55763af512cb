-- 0006: counters that keep GET /internal/tenants from counting per request.
--
-- Measured on 10,000 tenants (PGlite): a page cost ~9 ms of database time, of which counting
-- every matching tenant for `total` was ~2 ms, summing each listed tenant's 30 days of usage
-- rows (~50 rows × 50 tenants) ~3 ms, and counting each listed tenant's active agents and users
-- (100 index scans) ~2 ms. All become lookups.

-- How many tenants there are per (status, plan, segment): `total` of an unsearched list is a sum
-- over at most 3 × 3 × 10 rows. Maintained by statement-level triggers on tenants (one upsert per
-- statement, however many rows it touches), so no code path can forget it; a list with a search
-- still counts the matching rows itself.
CREATE TABLE alquimista_platform.tenant_counts (
  status  text    NOT NULL,
  plan    text    NOT NULL,
  segment text    NOT NULL,
  tenants integer NOT NULL,
  PRIMARY KEY (status, plan, segment)
);

-- Applies a statement's net change per group. `old_rows` / `new_rows` are the statement's
-- transition tables; a trigger declares only those its event has, so each branch reads only
-- what its TG_OP provides.
CREATE FUNCTION alquimista_platform.tenant_counts_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO alquimista_platform.tenant_counts AS c (status, plan, segment, tenants)
    SELECT n.status, n.plan, n.segment, count(*) FROM new_rows n GROUP BY 1, 2, 3
    ON CONFLICT (status, plan, segment) DO UPDATE SET tenants = c.tenants + EXCLUDED.tenants;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE alquimista_platform.tenant_counts c SET tenants = c.tenants - d.n
    FROM (SELECT o.status, o.plan, o.segment, count(*) AS n FROM old_rows o GROUP BY 1, 2, 3) d
    WHERE (c.status, c.plan, c.segment) = (d.status, d.plan, d.segment);
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO alquimista_platform.tenant_counts AS c (status, plan, segment, tenants)
    SELECT x.status, x.plan, x.segment, sum(x.d) FROM (
      SELECT n.status, n.plan, n.segment, 1 AS d FROM new_rows n
      UNION ALL
      SELECT o.status, o.plan, o.segment, -1 FROM old_rows o
    ) x
    GROUP BY 1, 2, 3
    HAVING sum(x.d) <> 0
    ON CONFLICT (status, plan, segment) DO UPDATE SET tenants = c.tenants + EXCLUDED.tenants;
  ELSE -- TRUNCATE
    DELETE FROM alquimista_platform.tenant_counts;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER tenants_count_insert AFTER INSERT ON alquimista_platform.tenants
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION alquimista_platform.tenant_counts_apply();
CREATE TRIGGER tenants_count_delete AFTER DELETE ON alquimista_platform.tenants
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION alquimista_platform.tenant_counts_apply();
CREATE TRIGGER tenants_count_update AFTER UPDATE ON alquimista_platform.tenants
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION alquimista_platform.tenant_counts_apply();
CREATE TRIGGER tenants_count_truncate AFTER TRUNCATE ON alquimista_platform.tenants
  FOR EACH STATEMENT EXECUTE FUNCTION alquimista_platform.tenant_counts_apply();

INSERT INTO alquimista_platform.tenant_counts (status, plan, segment, tenants)
SELECT status, plan, segment, count(*) FROM alquimista_platform.tenants GROUP BY 1, 2, 3;

-- Each tenant's requests over the 30 days ending `as_of` (the window GET /internal/tenants shows:
-- the 30 complete UTC days before today), written by the nightly aggregation after it changes
-- any of those days. A reader uses it only when `as_of` is the day its window ends, and sums
-- tenant_usage_daily itself otherwise (before the night's run, say), so it is never stale.
CREATE TABLE alquimista_platform.tenant_usage_last_30_days (
  tenant_id uuid   PRIMARY KEY REFERENCES alquimista_platform.tenants (id) ON DELETE CASCADE,
  as_of     date   NOT NULL,
  requests  bigint NOT NULL CONSTRAINT tenant_usage_last_30_days_requests_check CHECK (requests >= 0)
);

-- Each tenant's active agents (tenant_agents with status 'active') and users (tenant_users rows):
-- the tenant list's active_agents and active_users, read by primary key instead of counted per
-- listed tenant. Maintained by statement-level triggers on both tables. No foreign key: the
-- triggers of a cascaded tenant delete bring its row to zero, and a row of a tenant that no
-- longer exists is never read (the list joins from tenants).
CREATE TABLE alquimista_platform.tenant_member_counts (
  tenant_id     uuid    PRIMARY KEY,
  active_agents integer NOT NULL DEFAULT 0,
  users         integer NOT NULL DEFAULT 0
);

-- A statement's net change per tenant (its transition tables), added to tenant_member_counts;
-- a tenant gets its row on its first agent or user. One function per table: the two count
-- different things (active agents; all users).
CREATE FUNCTION alquimista_platform.tenant_agents_count_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO alquimista_platform.tenant_member_counts AS m (tenant_id, active_agents)
    SELECT n.tenant_id, count(*) FROM new_rows n WHERE n.status = 'active' GROUP BY n.tenant_id
    ON CONFLICT (tenant_id) DO UPDATE SET active_agents = m.active_agents + EXCLUDED.active_agents;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE alquimista_platform.tenant_member_counts m SET active_agents = m.active_agents - d.n
    FROM (SELECT o.tenant_id, count(*) AS n FROM old_rows o WHERE o.status = 'active' GROUP BY o.tenant_id) d
    WHERE m.tenant_id = d.tenant_id;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO alquimista_platform.tenant_member_counts AS m (tenant_id, active_agents)
    SELECT x.tenant_id, sum(x.d) FROM (
      SELECT n.tenant_id, 1 AS d FROM new_rows n WHERE n.status = 'active'
      UNION ALL
      SELECT o.tenant_id, -1 FROM old_rows o WHERE o.status = 'active'
    ) x
    GROUP BY x.tenant_id
    HAVING sum(x.d) <> 0
    ON CONFLICT (tenant_id) DO UPDATE SET active_agents = m.active_agents + EXCLUDED.active_agents;
  ELSE -- TRUNCATE
    UPDATE alquimista_platform.tenant_member_counts SET active_agents = 0 WHERE active_agents <> 0;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER tenant_agents_count_insert AFTER INSERT ON alquimista_platform.tenant_agents
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION alquimista_platform.tenant_agents_count_apply();
CREATE TRIGGER tenant_agents_count_delete AFTER DELETE ON alquimista_platform.tenant_agents
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION alquimista_platform.tenant_agents_count_apply();
CREATE TRIGGER tenant_agents_count_update AFTER UPDATE ON alquimista_platform.tenant_agents
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION alquimista_platform.tenant_agents_count_apply();
CREATE TRIGGER tenant_agents_count_truncate AFTER TRUNCATE ON alquimista_platform.tenant_agents
  FOR EACH STATEMENT EXECUTE FUNCTION alquimista_platform.tenant_agents_count_apply();

CREATE FUNCTION alquimista_platform.tenant_users_count_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO alquimista_platform.tenant_member_counts AS m (tenant_id, users)
    SELECT n.tenant_id, count(*) FROM new_rows n GROUP BY n.tenant_id
    ON CONFLICT (tenant_id) DO UPDATE SET users = m.users + EXCLUDED.users;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE alquimista_platform.tenant_member_counts m SET users = m.users - d.n
    FROM (SELECT o.tenant_id, count(*) AS n FROM old_rows o GROUP BY o.tenant_id) d
    WHERE m.tenant_id = d.tenant_id;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO alquimista_platform.tenant_member_counts AS m (tenant_id, users)
    SELECT x.tenant_id, sum(x.d) FROM (
      SELECT n.tenant_id, 1 AS d FROM new_rows n
      UNION ALL
      SELECT o.tenant_id, -1 FROM old_rows o
    ) x
    GROUP BY x.tenant_id
    HAVING sum(x.d) <> 0
    ON CONFLICT (tenant_id) DO UPDATE SET users = m.users + EXCLUDED.users;
  ELSE -- TRUNCATE
    UPDATE alquimista_platform.tenant_member_counts SET users = 0 WHERE users <> 0;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER tenant_users_count_insert AFTER INSERT ON alquimista_platform.tenant_users
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION alquimista_platform.tenant_users_count_apply();
CREATE TRIGGER tenant_users_count_delete AFTER DELETE ON alquimista_platform.tenant_users
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION alquimista_platform.tenant_users_count_apply();
CREATE TRIGGER tenant_users_count_update AFTER UPDATE ON alquimista_platform.tenant_users
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION alquimista_platform.tenant_users_count_apply();
CREATE TRIGGER tenant_users_count_truncate AFTER TRUNCATE ON alquimista_platform.tenant_users
  FOR EACH STATEMENT EXECUTE FUNCTION alquimista_platform.tenant_users_count_apply();

INSERT INTO alquimista_platform.tenant_member_counts (tenant_id, active_agents, users)
SELECT t.id,
       (SELECT count(*) FROM alquimista_platform.tenant_agents ta WHERE ta.tenant_id = t.id AND ta.status = 'active'),
       (SELECT count(*) FROM alquimista_platform.tenant_users tu WHERE tu.tenant_id = t.id)
FROM alquimista_platform.tenants t;

-- Timestamps in the API's format, inlined into the statements that call it: an IMMUTABLE SQL
-- function whose body is only STABLE (to_char) is never inlined, so it ran as a function call
-- per value (measured: 1 ms of a 50-row tenant page). It is used in no index, so STABLE, what
-- its body is, costs nothing.
ALTER FUNCTION alquimista_platform.iso_utc(timestamptz) STABLE;
