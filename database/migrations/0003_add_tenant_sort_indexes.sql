-- 0003: /internal/tenants sorts by name, created_at or mrr_estimate with id as the tie-breaker.
-- With status=all (no leading filter column) these let ORDER BY … LIMIT/OFFSET walk an index
-- instead of sorting every tenant, once the planner has statistics (the seed ANALYZEs; Aurora's
-- autovacuum does). Measured at 10,000 tenants the page was ~8 ms either way, so they are cheap
-- insurance for larger tenant counts rather than today's fix.
CREATE INDEX tenants_name_id_idx ON alquimista_platform.tenants (name, id);
CREATE INDEX tenants_created_at_id_idx ON alquimista_platform.tenants (created_at, id);
CREATE INDEX tenants_mrr_id_idx ON alquimista_platform.tenants (mrr_estimate, id);
