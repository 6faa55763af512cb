import { LIST_LIMITS } from '../shared/bounds';
import { type Db, p, parseResponse } from '../shared/db';
import { rateSql, weightedMsSql } from '../shared/db/sql-fragments';
import type { Period } from '../shared/http/schemas';
import type { DayWindow } from '../shared/period';
import { type AGENT_STATUS_FILTERS, TenantAgentsSchema, TenantIncidentsSchema, TenantIntegrationsSchema, TenantMeSchema, TenantUsageSchema } from './schemas';

/**
 * SQL of the /tenant/* routes. Each function is one Data API call that returns nothing when the
 * tenant does not exist (→ 404). A response with a list comes back as one row per item
 * (`db.parts`: part, body), so no row grows with the list past the Data API's 64 KB, and every
 * list is capped (lambda/shared/bounds.ts) so the response stays under its 1 MiB.
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
export async function listTenantAgents(db: Db, tenantId: string, status: (typeof AGENT_STATUS_FILTERS)[number], window: DayWindow) {
  const parts = await db.parts(
    `WITH tenant AS (SELECT t.id FROM ${S}.tenants t WHERE t.id = :tenant_id),
     matching AS (
       SELECT ta.agent_id, ta.status, ta.activated_at, a.name, a.segment
       FROM tenant t
       JOIN ${S}.tenant_agents ta ON ta.tenant_id = t.id
       JOIN ${S}.agents a ON a.id = ta.agent_id
       WHERE :status = 'all' OR ta.status = :status
     ),
     shown AS (SELECT m.* FROM matching m ORDER BY m.name, m.agent_id LIMIT ${LIST_LIMITS.tenantAgents}),
     usage AS (
       SELECT u.agent_id,
              CAST(sum(u.total_requests) AS bigint) AS total,
              CAST(sum(u.successful_requests) AS bigint) AS ok,
              sum(CAST(coalesce(u.avg_response_time_ms, 0) AS bigint) * u.total_requests) AS weighted_ms
       FROM ${S}.tenant_usage_daily u
       WHERE u.tenant_id = :tenant_id AND u.agent_id IN (SELECT agent_id FROM shown) AND u.date BETWEEN :from AND :to
       GROUP BY u.agent_id
     )
     SELECT part, body FROM (
       SELECT 'head' AS part, 0 AS n, json_build_object('total', (SELECT count(*) FROM matching)) AS body FROM tenant
       UNION ALL
       SELECT 'agent', row_number() OVER (ORDER BY sh.name, sh.agent_id),
              json_build_object(
                'id', sh.agent_id, 'name', sh.name, 'segment', sh.segment, 'status', sh.status,
                'activated_at', ${S}.iso_utc(sh.activated_at),
                'usage_last_30_days', json_build_object(
                  'total_requests', coalesce(us.total, 0),
                  'success_rate', ${rateSql('us.ok', 'coalesce(us.total, 0)')},
                  'avg_response_time_ms', ${weightedMsSql('us.weighted_ms', 'coalesce(us.total, 0)')}))
       FROM shown sh LEFT JOIN usage us ON us.agent_id = sh.agent_id
     ) r
     ORDER BY part = 'head' DESC, n`,
    { tenant_id: p.uuid(tenantId), status: p.text(status), from: p.date(window.from), to: p.date(window.to) },
  );
  const [head] = (parts.get('head') ?? []) as Array<{ total: number }>;
  if (!head) return undefined;
  return parseResponse(TenantAgentsSchema, { agents: parts.get('agent') ?? [], total: head.total });
}

/** The tenant's integrations by type and name: never `credentials_secret_arn` nor `config`. */
export async function listTenantIntegrations(db: Db, tenantId: string) {
  const parts = await db.parts(
    `WITH tenant AS (SELECT t.id FROM ${S}.tenants t WHERE t.id = :tenant_id)
     SELECT part, body FROM (
       SELECT 'head' AS part, 0 AS n,
              json_build_object('total', (SELECT count(*) FROM ${S}.tenant_integrations i WHERE i.tenant_id = t.id)) AS body
       FROM tenant t
       UNION ALL
       SELECT 'integration', row_number() OVER (ORDER BY i.integration_type, i.integration_name, i.id),
              json_build_object(
                'id', i.id, 'type', i.integration_type, 'name', i.integration_name, 'status', i.status,
                'last_sync_at', ${S}.iso_utc(i.last_sync_at), 'last_error', i.last_error)
       FROM (SELECT i.* FROM tenant t JOIN ${S}.tenant_integrations i ON i.tenant_id = t.id
             ORDER BY i.integration_type, i.integration_name, i.id LIMIT ${LIST_LIMITS.tenantIntegrations}) i
     ) r
     ORDER BY part = 'head' DESC, n`,
    { tenant_id: p.uuid(tenantId) },
  );
  const [head] = (parts.get('head') ?? []) as Array<{ total: number }>;
  if (!head) return undefined;
  return parseResponse(TenantIntegrationsSchema, { integrations: parts.get('integration') ?? [], total: head.total });
}

/**
 * The tenant's usage over `window`, optionally of one agent: a summary, every day of the window
 * (zero-filled) and a breakdown per agent (NULL = unattributed, 'Sem agente'). All three are sums
 * of the same `usage` rows, so their totals reconcile exactly.
 */
export async function findTenantUsage(db: Db, tenantId: string, period: Period, window: DayWindow, agentId?: string) {
  const parts = await db.parts(
    `WITH usage AS (
       SELECT u.date, u.agent_id,
              CAST(u.total_requests AS bigint) AS total,
              CAST(u.successful_requests AS bigint) AS ok,
              CAST(u.failed_requests AS bigint) AS failed,
              -- numeric from here on: summed over many days and agents, ms × requests outgrows bigint
              CAST(coalesce(u.avg_response_time_ms, 0) AS numeric) * u.total_requests AS weighted_ms
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
              coalesce(sum(u.weighted_ms), 0) AS weighted_ms
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
              coalesce(sum(u.weighted_ms), 0) AS weighted_ms
       FROM usage u
     )
     SELECT part, body FROM (
       -- The period's summary and its days (at most 90 small entries) in one row; one row per agent.
       SELECT 'head' AS part, 0 AS n, json_build_object(
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
                        FROM daily d)) AS body
       FROM ${S}.tenants t
       WHERE t.id = :tenant_id
       UNION ALL
       SELECT 'agent', row_number() OVER (ORDER BY b.total DESC, b.agent_id NULLS LAST),
              json_build_object(
                'agent_id', b.agent_id, 'agent_name', coalesce(a.name, 'Sem agente'),
                'total_requests', b.total, 'success_rate', ${rateSql('b.ok', 'b.total')})
       FROM (SELECT * FROM by_agent ORDER BY total DESC, agent_id NULLS LAST LIMIT ${LIST_LIMITS.usageByAgent}) b
       LEFT JOIN ${S}.agents a ON a.id = b.agent_id
       WHERE EXISTS (SELECT 1 FROM ${S}.tenants t WHERE t.id = :tenant_id)
     ) r
     ORDER BY part = 'head' DESC, n`,
    {
      tenant_id: p.uuid(tenantId),
      period: p.text(period),
      from: p.date(window.from),
      to: p.date(window.to),
      agent_id: p.uuid(agentId ?? null),
    },
  );
  const [head] = (parts.get('head') ?? []) as Array<Record<string, unknown>>;
  if (!head) return undefined;
  return parseResponse(TenantUsageSchema, { ...head, by_agent: parts.get('agent') ?? [] });
}

/**
 * A page of the tenant's incidents, newest first (id breaks ties, so pages never overlap). The
 * total is counted over all of them in its own CTE, so it is right even for a page past the end.
 */
export async function listTenantIncidents(db: Db, tenantId: string, page: { limit: number; offset: number }) {
  const parts = await db.parts(
    `WITH incidents AS (
       SELECT e.id, e.severity, e.title, e.description, e.created_at, e.resolved_at
       FROM ${S}.operational_events e
       WHERE e.tenant_id = :tenant_id AND e.event_type = 'incident'
     ),
     page AS (
       SELECT i.* FROM incidents i ORDER BY i.created_at DESC, i.id DESC LIMIT :limit OFFSET :offset
     )
     SELECT part, body FROM (
       SELECT 'head' AS part, 0 AS n, json_build_object('total', (SELECT CAST(count(*) AS int) FROM incidents)) AS body
       FROM ${S}.tenants t WHERE t.id = :tenant_id
       UNION ALL
       SELECT 'incident', row_number() OVER (ORDER BY pg.created_at DESC, pg.id DESC),
              json_build_object(
                'id', pg.id, 'severity', pg.severity, 'title', pg.title,
                'description', coalesce(pg.description, ''),
                'created_at', ${S}.iso_utc(pg.created_at), 'resolved_at', ${S}.iso_utc(pg.resolved_at))
       FROM page pg
     ) r
     ORDER BY part = 'head' DESC, n`,
    { tenant_id: p.uuid(tenantId), limit: p.int(page.limit), offset: p.int(page.offset) },
  );
  const [head] = (parts.get('head') ?? []) as Array<{ total: number }>;
  if (!head) return undefined;
  return parseResponse(TenantIncidentsSchema, { incidents: parts.get('incident') ?? [], total: head.total });
}
