-- 0007: what the nightly aggregation's writes to tenant_agents cost.
--
-- Every night the job moves last_request_at forward (and refreshes the 30-day counters) of every
-- tenant agent that had traffic: ~35,000 row updates at 10,000 tenants. Measured on PGlite, on a
-- 1M-request day: the update took ~370 ms, of which ~110 ms was 0006's statement-level count
-- trigger (it copies every updated row into two transition tables to find that no status changed)
-- and most of the rest was non-HOT updates (full pages, so each new row version also went into
-- the table's three indexes).

-- Active agents per tenant change only when a row's status or tenant changes. A row-level trigger
-- whose WHEN names those columns is not even queued for any other update, so the nightly update
-- (and any other that leaves them alone) costs nothing here. Inserts, deletes and truncates keep
-- 0006's statement-level triggers; the UPDATE branch of tenant_agents_count_apply() is no longer
-- reached.
CREATE FUNCTION alquimista_platform.tenant_agents_count_move() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'active' THEN
    UPDATE alquimista_platform.tenant_member_counts SET active_agents = active_agents - 1 WHERE tenant_id = OLD.tenant_id;
  END IF;
  IF NEW.status = 'active' THEN
    INSERT INTO alquimista_platform.tenant_member_counts AS m (tenant_id, active_agents) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET active_agents = m.active_agents + 1;
  END IF;
  RETURN NULL;
END;
$$;

DROP TRIGGER tenant_agents_count_update ON alquimista_platform.tenant_agents;
CREATE TRIGGER tenant_agents_count_update AFTER UPDATE OF tenant_id, status ON alquimista_platform.tenant_agents
  FOR EACH ROW WHEN (OLD.tenant_id IS DISTINCT FROM NEW.tenant_id OR OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION alquimista_platform.tenant_agents_count_move();

-- Room on each page for the nightly new row versions, so they are HOT updates (none of the columns
-- the job writes is indexed): no index entries, and the old versions are pruned page by page.
-- Applies to pages written from now on; an existing table gets it when rewritten (VACUUM FULL or
-- pg_repack in a maintenance window).
ALTER TABLE alquimista_platform.tenant_agents SET (fillfactor = 80);
