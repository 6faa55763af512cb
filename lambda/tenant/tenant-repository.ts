import { type Db, p } from '../shared/db';
import { rateSql, weightedMsSql } from '../shared/db/sql-fragments';
import type { Period } from '../shared/http/schemas';
import type { DayWindow } from '../shared/period';
import { type AGENT_STATUS_FILTERS, TenantAgentsSchema, TenantIncidentsSchema, TenantIntegrationsSchema, TenantMeSchema, TenantUsageSchema } from './schemas';

/**
 * SQL of the /tenant/* routes. Each function is one Data API call: the statement builds the
 * contract's JSON itself and returns nothing when the tenant does not exist (→ 404).
 */
const S = 'alquimista_platform';

export function findTenantMe(db: Db, tenantId: string, month: DayWindow) {
  return db.json(
    `SELECT json_build_object(
       'id', t.id, 'name', t.name, 'cnpj', t.cnpj, 'segment', t.segment, 'plan', t.plan, 'status', t.status,
       'mrr_estimate', t.mrr_estimate, 'created_at', ${S}.iso_utc(t.created_at),
       'limits', json_build_object('max_agents', pl.max_agents, 'max_users', pl.max_users, 'max_requests_per_month', pl.max_requests_per_month),
       'usage', json_build_object(
         'active_agents', (SELECT count(*) FROM ${S}.tenant_agents ta WHERE ta.tenant_id = t.id AND ta.status = 'active'),
         'active_users', (SELECT count(*) FROM ${S}.tenant_users tu WHERE tu.tenant_id = t.id),
         'requests_this_month', (SELECT coalesce(sum(u.total_requests), 0) FROM ${S}.tenant_usage_daily u
                                  WHERE u.tenant_id = t.id AND u.date BETWEEN :from AND :to))
     ) AS body
     FROM ${S}.tenants t JOIN ${S}.plans pl ON pl.code = t.plan
     WHERE t.id = :tenant_id`,
    { tenant_id: p.uuid(tenantId), from: p.date(month.from), to: p.date(month.to) },
    TenantMeSchema,
  );
}


/**
 * The tenant's contracted agents (`status` = 'all' for every status) with their usage over
 * `window` (the last 30 days), read from the nightly aggregate. `id` is the catalog agent's id.
 */
export function listTenantAgents(db: Db, tenantId: string, status: (typeof AGENT_STATUS_FILTERS)[number], window: DayWindow) {
  return db.json(
    `WITH usage AS (
       SELECT u.agent_id,
              CAST(sum(u.total_requests) AS bigint) AS total,
              CAST(sum(u.successful_requests) AS bigint) AS ok,
              CAST(sum(CAST(coalesce(u.avg_response_time_ms, 0) AS bigint) * u.total_requests) AS bigint) AS weighted_ms
       FROM ${S}.tenant_usage_daily u
       WHERE u.tenant_id = :tenant_id AND u.agent_id IS NOT NULL AND u.date BETWEEN :from AND :to
       GROUP BY u.agent_id
     )
     SELECT json_build_object('agents', coalesce((
       SELECT json_agg(json_build_object(
                'id', a.id, 'name', a.name, 'segment', a.segment, 'status', ta.status,
                'activated_at', ${S}.iso_utc(ta.activated_at),
                'usage_last_30_days', json_build_object(
                  'total_requests', coalesce(us.total, 0),
                  'success_rate', ${rateSql('us.ok', 'coalesce(us.total, 0)')},
                  'avg_response_time_ms', ${weightedMsSql('us.weighted_ms', 'coalesce(us.total, 0)')}))
              ORDER BY a.name, a.id)
       FROM ${S}.tenant_agents ta
       JOIN ${S}.agents a ON a.id = ta.agent_id
       LEFT JOIN usage us ON us.agent_id = ta.agent_id
       WHERE ta.tenant_id = t.id AND (:status = 'all' OR ta.status = :status)
     ), '[]'::json)) AS body
     FROM ${S}.tenants t
     WHERE t.id = :tenant_id`,
    { tenant_id: p.uuid(tenantId), status: p.text(status), from: p.date(window.from), to: p.date(window.to) },
    TenantAgentsSchema,
  );
}

/** The tenant's integrations by type and name: never `credentials_secret_arn` nor `config`. */
export function listTenantIntegrations(db: Db, tenantId: string) {
  return db.json(
    `SELECT json_build_object('integrations', coalesce((
       SELECT json_agg(json_build_object(
                'id', i.id, 'type', i.integration_type, 'name', i.integration_name, 'status', i.status,
                'last_sync_at', ${S}.iso_utc(i.last_sync_at), 'last_error', i.last_error)
              ORDER BY i.integration_type, i.integration_name, i.id)
       FROM ${S}.tenant_integrations i
       WHERE i.tenant_id = t.id
     ), '[]'::json)) AS body
     FROM ${S}.tenants t
     WHERE t.id = :tenant_id`,
    { tenant_id: p.uuid(tenantId) },
    TenantIntegrationsSchema,
  );
}

/**
 * The tenant's usage over `window`, optionally of one agent: a summary, every day of the window
 * (zero-filled) and a breakdown per agent (NULL = unattributed, 'Sem agente'). All three are sums
 * of the same `usage` rows, so their totals reconcile exactly.
 */
export function findTenantUsage(db: Db, tenantId: string, period: Period, window: DayWindow, agentId?: string) {
  return db.json(
    `WITH usage AS (
       SELECT u.date, u.agent_id,
              CAST(u.total_requests AS bigint) AS total,
              CAST(u.successful_requests AS bigint) AS ok,
              CAST(u.failed_requests AS bigint) AS failed,
              CAST(coalesce(u.avg_response_time_ms, 0) AS bigint) * u.total_requests AS weighted_ms
       FROM ${S}.tenant_usage_daily u
       WHERE u.tenant_id = :tenant_id AND u.date BETWEEN :from AND :to
         AND (CAST(:agent_id AS uuid) IS NULL OR u.agent_id = CAST(:agent_id AS uuid))
     ),
     days AS (
       -- integer offsets rather than generate_series over timestamps: no session time zone involved
       SELECT CAST(:from AS date) + g AS date FROM generate_series(0, CAST(:to AS date) - CAST(:from AS date)) AS g
     ),
     daily AS (
       SELECT d.date,
              CAST(coalesce(sum(u.total), 0) AS bigint) AS total,
              CAST(coalesce(sum(u.ok), 0) AS bigint) AS ok,
              CAST(coalesce(sum(u.failed), 0) AS bigint) AS failed,
              CAST(coalesce(sum(u.weighted_ms), 0) AS bigint) AS weighted_ms
       FROM days d LEFT JOIN usage u ON u.date = d.date
       GROUP BY d.date
     ),
     by_agent AS (
       SELECT u.agent_id, CAST(sum(u.total) AS bigint) AS total, CAST(sum(u.ok) AS bigint) AS ok
       FROM usage u GROUP BY u.agent_id
     ),
     summary AS (
       SELECT CAST(coalesce(sum(u.total), 0) AS bigint) AS total,
              CAST(coalesce(sum(u.ok), 0) AS bigint) AS ok,
              CAST(coalesce(sum(u.failed), 0) AS bigint) AS failed,
              CAST(coalesce(sum(u.weighted_ms), 0) AS bigint) AS weighted_ms
       FROM usage u
     )
     SELECT json_build_object(
       'period', :period,
       'summary', (SELECT json_build_object(
                     'total_requests', s.total, 'successful_requests', s.ok, 'failed_requests', s.failed,
                     'success_rate', ${rateSql('s.ok', 's.total')}, 'avg_response_time_ms', ${weightedMsSql('s.weighted_ms', 's.total')})
                   FROM summary s),
       'daily_data', (SELECT coalesce(json_agg(json_build_object(
                        'date', to_char(d.date, 'YYYY-MM-DD'), 'total_requests', d.total,
                        'successful_requests', d.ok, 'failed_requests', d.failed,
                        'avg_response_time_ms', ${weightedMsSql('d.weighted_ms', 'd.total')})
                      ORDER BY d.date), '[]'::json)
                      FROM daily d),
       'by_agent', (SELECT coalesce(json_agg(json_build_object(
                      'agent_id', b.agent_id, 'agent_name', coalesce(a.name, 'Sem agente'),
                      'total_requests', b.total, 'success_rate', ${rateSql('b.ok', 'b.total')})
                    ORDER BY b.total DESC, b.agent_id NULLS LAST), '[]'::json)
                    FROM by_agent b LEFT JOIN ${S}.agents a ON a.id = b.agent_id)
     ) AS body
     FROM ${S}.tenants t
     WHERE t.id = :tenant_id`,
    {
      tenant_id: p.uuid(tenantId),
      period: p.text(period),
      from: p.date(window.from),
      to: p.date(window.to),
      agent_id: p.uuid(agentId ?? null),
    },
    TenantUsageSchema,
  );
}

/**
 * A page of the tenant's incidents, newest first (id breaks ties, so pages never overlap). The
 * total is counted over all of them in its own CTE, so it is right even for a page past the end.
 */
export function listTenantIncidents(db: Db, tenantId: string, page: { limit: number; offset: number }) {
  return db.json(
    `WITH incidents AS (
       SELECT e.id, e.severity, e.title, e.description, e.created_at, e.resolved_at
       FROM ${S}.operational_events e
       WHERE e.tenant_id = :tenant_id AND e.event_type = 'incident'
     ),
     total AS (
       SELECT CAST(count(*) AS int) AS n FROM incidents
     ),
     page AS (
       SELECT i.* FROM incidents i ORDER BY i.created_at DESC, i.id DESC LIMIT :limit OFFSET :offset
     )
     SELECT json_build_object(
       'incidents', (SELECT coalesce(json_agg(json_build_object(
                       'id', pg.id, 'severity', pg.severity, 'title', pg.title,
                       'description', coalesce(pg.description, ''),
                       'created_at', ${S}.iso_utc(pg.created_at), 'resolved_at', ${S}.iso_utc(pg.resolved_at))
                     ORDER BY pg.created_at DESC, pg.id DESC), '[]'::json)
                     FROM page pg),
       'total', (SELECT n FROM total)
     ) AS body
     FROM ${S}.tenants t
     WHERE t.id = :tenant_id`,
    { tenant_id: p.uuid(tenantId), limit: p.int(page.limit), offset: p.int(page.offset) },
    TenantIncidentsSchema,
  );
}
