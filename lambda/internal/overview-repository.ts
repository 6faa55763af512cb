import { type Db, p } from '../shared/db';
import { InternalError } from '../shared/errors';
import type { Period } from '../shared/http/schemas';
import type { DayWindow } from '../shared/period';
import { BillingOverviewSchema, UsageOverviewSchema } from './schemas';
import { rateSql, weightedMsSql } from '../shared/db/sql-fragments';

/**
 * SQL of the platform-wide /internal overviews. Each function is one Data API call building the
 * contract's JSON in one column, `body`. A period is a window of whole UTC days (`periodWindow`).
 */
const S = 'alquimista_platform';

/** Every day of the window, oldest first, as `day` (date): the trends are zero-filled from it. */
const WINDOW_DAYS = `SELECT CAST(:from AS date) + i AS day FROM generate_series(0, CAST(:to AS date) - CAST(:from AS date)) AS i`;

/**
 * Usage over the window, in three aggregations of tenant_usage_daily: per day (which also gives
 * the window's totals, as sums of the days), per tenant and per catalog agent (the NULL agent,
 * unattributed requests, is not an agent). Not one GROUPING SETS pass: with the per-day
 * count(DISTINCT tenant) every set is sorted and spills, about 3× slower at 10,000 tenants than
 * these plain aggregates (the per-tenant and per-agent ones run in parallel workers).
 */
export async function findUsageOverview(db: Db, period: Period, window: DayWindow) {
  const body = await db.json(
    `WITH per_day AS MATERIALIZED (
       SELECT u.date,
              sum(u.total_requests) AS total,
              sum(u.successful_requests) AS successful,
              sum(CAST(u.avg_response_time_ms AS bigint) * u.total_requests) AS weighted_ms,
              sum(u.total_requests) FILTER (WHERE u.avg_response_time_ms IS NOT NULL) AS ms_weight,
              count(DISTINCT u.tenant_id) FILTER (WHERE u.total_requests > 0) AS active_tenants
       FROM ${S}.tenant_usage_daily u
       WHERE u.date BETWEEN :from AND :to
       GROUP BY u.date
     ),
     whole AS (
       SELECT sum(d.total) AS total, sum(d.successful) AS successful, sum(d.weighted_ms) AS weighted_ms, sum(d.ms_weight) AS ms_weight
       FROM per_day d
     ),
     top_tenants AS (
       SELECT x.tenant_id, t.name, x.total, x.successful
       FROM (SELECT u.tenant_id, sum(u.total_requests) AS total, sum(u.successful_requests) AS successful
             FROM ${S}.tenant_usage_daily u
             WHERE u.date BETWEEN :from AND :to
             GROUP BY u.tenant_id) x
       JOIN ${S}.tenants t ON t.id = x.tenant_id
       WHERE x.total > 0
       ORDER BY x.total DESC, t.name, t.id
       LIMIT 10
     ),
     top_agents AS (
       SELECT x.agent_id, a.name, x.total,
              (SELECT count(*) FROM ${S}.tenant_agents ta WHERE ta.agent_id = x.agent_id AND ta.status = 'active') AS deployed_count
       FROM (SELECT u.agent_id, sum(u.total_requests) AS total
             FROM ${S}.tenant_usage_daily u
             WHERE u.date BETWEEN :from AND :to AND u.agent_id IS NOT NULL
             GROUP BY u.agent_id) x
       JOIN ${S}.agents a ON a.id = x.agent_id
       WHERE x.total > 0
       ORDER BY x.total DESC, a.name, a.id
       LIMIT 10
     )
     SELECT json_build_object(
       'period', :period,
       'global_stats', json_build_object(
         'total_tenants', (SELECT count(*) FROM ${S}.tenants),
         'active_tenants', (SELECT count(*) FROM ${S}.tenants WHERE status = 'active'),
         'total_agents_deployed', (SELECT count(*) FROM ${S}.tenant_agents WHERE status = 'active'),
         'total_requests', coalesce(w.total, 0),
         'global_success_rate', ${rateSql('w.successful', 'w.total')},
         'avg_response_time_ms', ${weightedMsSql('w.weighted_ms', 'w.ms_weight')}),
       'top_tenants_by_usage', coalesce((
         SELECT json_agg(json_build_object(
                  'tenant_id', tt.tenant_id, 'tenant_name', tt.name, 'total_requests', tt.total,
                  'success_rate', ${rateSql('tt.successful', 'tt.total')})
                ORDER BY tt.total DESC, tt.name, tt.tenant_id)
         FROM top_tenants tt), '[]'::json),
       'top_agents_by_usage', coalesce((
         SELECT json_agg(json_build_object(
                  'agent_id', ta.agent_id, 'agent_name', ta.name, 'total_requests', ta.total, 'deployed_count', ta.deployed_count)
                ORDER BY ta.total DESC, ta.name, ta.agent_id)
         FROM top_agents ta), '[]'::json),
       'daily_trends', (
         SELECT json_agg(json_build_object(
                  'date', to_char(d.day, 'YYYY-MM-DD'), 'total_requests', coalesce(x.total, 0),
                  'success_rate', ${rateSql('x.successful', 'x.total')}, 'active_tenants', coalesce(x.active_tenants, 0))
                ORDER BY d.day)
         FROM (${WINDOW_DAYS}) d LEFT JOIN per_day x ON x.date = d.day)
     ) AS body
     FROM whole w`,
    { period: p.text(period), from: p.date(window.from), to: p.date(window.to) },
    UsageOverviewSchema,
  );
  // `whole` aggregates without GROUP BY, so its one row exists even for a window with no usage.
  if (!body) throw new InternalError('the usage overview statement returned no row');
  return body;
}

/**
 * MRR, breakdowns and the revenue trend. Current figures (total MRR, by plan, by segment) read
 * the tenants as they are; the period's movements read tenant_status_history, where each row is
 * the tenant's state from changed_at on:
 *
 * - an activation is a tenant's first 'active' row; new MRR is that row's mrr_estimate (a later
 *   upgrade is expansion, not new MRR);
 * - a churn is a row turning the tenant 'inactive' (the previous row was not); churned MRR is that
 *   row's mrr_estimate, which keeps the value that was lost;
 * - MRR at an instant is Σ over tenants of their latest row before it, when 'active'. Each row
 *   moves it by (its MRR if active) − (the replaced row's MRR if that was active), so the MRR at
 *   the end of each day is the MRR before the window plus a running sum of the days' moves: one
 *   pass over the history instead of one lookup per tenant and day.
 */
export async function findBillingOverview(db: Db, period: Period, window: DayWindow) {
  const body = await db.json(
    `WITH bounds AS (
       SELECT CAST(CAST(:from AS date) AS timestamp) AT TIME ZONE 'UTC' AS start_at,
              CAST(CAST(:to AS date) + 1 AS timestamp) AT TIME ZONE 'UTC' AS end_at
     ),
     changes AS MATERIALIZED (
       SELECT h.tenant_id, h.changed_at, h.mrr_estimate,
              CASE WHEN h.status = 'active' THEN h.mrr_estimate ELSE 0 END
                - CASE WHEN lag(h.status) OVER w = 'active' THEN lag(h.mrr_estimate) OVER w ELSE 0 END AS mrr_move,
              h.status = 'active' AND count(*) FILTER (WHERE h.status = 'active') OVER w = 1 AS is_activation,
              h.status = 'inactive' AND coalesce(lag(h.status) OVER w, 'inactive') <> 'inactive' AS is_churn
       FROM ${S}.tenant_status_history h
       WINDOW w AS (PARTITION BY h.tenant_id ORDER BY h.changed_at, h.id)
     ),
     opening AS (
       SELECT coalesce(sum(c.mrr_move), 0) AS mrr FROM changes c, bounds b WHERE c.changed_at < b.start_at
     ),
     moves AS (
       SELECT CAST(c.changed_at AT TIME ZONE 'UTC' AS date) AS day,
              sum(c.mrr_move) AS mrr_move,
              count(DISTINCT c.tenant_id) FILTER (WHERE c.is_activation) AS new_tenants,
              count(DISTINCT c.tenant_id) FILTER (WHERE c.is_churn) AS churned_tenants,
              sum(c.mrr_estimate) FILTER (WHERE c.is_activation) AS new_mrr,
              sum(c.mrr_estimate) FILTER (WHERE c.is_churn) AS churned_mrr
       FROM changes c, bounds b
       WHERE c.changed_at >= b.start_at AND c.changed_at < b.end_at
       GROUP BY 1
     ),
     trend AS (
       SELECT d.day, o.mrr + sum(coalesce(m.mrr_move, 0)) OVER (ORDER BY d.day) AS mrr,
              coalesce(m.new_tenants, 0) AS new_tenants, coalesce(m.churned_tenants, 0) AS churned_tenants
       FROM (${WINDOW_DAYS}) d
       CROSS JOIN opening o
       LEFT JOIN moves m ON m.day = d.day
     ),
     active AS MATERIALIZED (
       SELECT t.plan, t.segment, t.mrr_estimate FROM ${S}.tenants t WHERE t.status = 'active'
     ),
     summary AS (
       SELECT coalesce(sum(a.mrr_estimate), 0) AS mrr, count(*) AS tenants FROM active a
     ),
     by_plan AS (
       SELECT pl.code AS plan_name, count(a.plan) AS tenant_count, coalesce(sum(a.mrr_estimate), 0) AS total_mrr
       FROM ${S}.plans pl LEFT JOIN active a ON a.plan = pl.code
       GROUP BY pl.code
     ),
     by_segment AS (
       SELECT a.segment, count(*) AS tenant_count, sum(a.mrr_estimate) AS total_mrr FROM active a GROUP BY a.segment
     )
     SELECT json_build_object(
       'period', :period,
       'financial_summary', json_build_object(
         'total_mrr', s.mrr,
         'total_arr', 12 * s.mrr,
         'avg_mrr_per_tenant', CASE WHEN s.tenants > 0 THEN round(s.mrr / s.tenants, 2) ELSE 0 END,
         'new_mrr_this_period', (SELECT coalesce(sum(m.new_mrr), 0) FROM moves m),
         'churned_mrr_this_period', (SELECT coalesce(sum(m.churned_mrr), 0) FROM moves m)),
       'by_plan', (
         SELECT json_agg(json_build_object('plan_name', bp.plan_name, 'tenant_count', bp.tenant_count, 'total_mrr', bp.total_mrr)
                         ORDER BY bp.total_mrr DESC, bp.plan_name)
         FROM by_plan bp),
       'by_segment', coalesce((
         SELECT json_agg(json_build_object('segment', bs.segment, 'tenant_count', bs.tenant_count, 'total_mrr', bs.total_mrr)
                         ORDER BY bs.total_mrr DESC, bs.segment)
         FROM by_segment bs), '[]'::json),
       'revenue_trend', (
         SELECT json_agg(json_build_object(
                  'date', to_char(tr.day, 'YYYY-MM-DD'), 'mrr', tr.mrr,
                  'new_tenants', tr.new_tenants, 'churned_tenants', tr.churned_tenants)
                ORDER BY tr.day)
         FROM trend tr)
     ) AS body
     FROM summary s`,
    { period: p.text(period), from: p.date(window.from), to: p.date(window.to) },
    BillingOverviewSchema,
  );
  if (!body) throw new InternalError('the billing overview statement returned no row');
  return body;
}
