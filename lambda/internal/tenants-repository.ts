import type * as z from '../shared/zod';
import { LIST_LIMITS } from '../shared/bounds';
import { type Db, p, parseResponse, type SqlParams } from '../shared/db';
import { InternalError } from '../shared/errors';
import type { DayWindow } from '../shared/period';
import { InternalTenantAgentsSchema, ListTenantsSchema, type ListTenantsQuerySchema, TenantDetailSchema } from './schemas';

/**
 * SQL of the /internal/tenants* routes. Each function is one Data API call, returning one row per
 * list item (`db.parts`), every list capped (lambda/shared/bounds.ts): no row can pass the Data
 * API's 64 KB, no response its 1 MiB. The {id} routes return no row when the tenant does not
 * exist (→ 404).
 */
import { rateSql, weightedMsSql } from '../shared/db/sql-fragments';

const S = 'alquimista_platform';

/**
 * Aggregates over `u` (tenant_usage_daily rows): total, success rate and request-weighted
 * average response time. Days with no requests have a NULL average and weigh nothing.
 */
const USAGE_TOTAL = 'coalesce(sum(u.total_requests), 0)';
const USAGE_RATE = rateSql('sum(u.successful_requests)', 'sum(u.total_requests)');
const USAGE_AVG_MS = weightedMsSql(
  'sum(CAST(u.avg_response_time_ms AS bigint) * u.total_requests)',
  'sum(u.total_requests) FILTER (WHERE u.avg_response_time_ms IS NOT NULL)',
);

// --- GET /internal/tenants ---

export type ListTenantsQuery = z.output<typeof ListTenantsQuerySchema>;
export type ListTenants = z.infer<typeof ListTenantsSchema>;

/** Sort keys and directions map to fixed SQL; user text never reaches the statement. */
/** By name: the pt-BR key (case and accents ignored, migration 0009), then the name itself. */
const SORT_COLUMNS: Record<ListTenantsQuery['sort_by'], string[]> = { name: ['name_key', 'name'], created_at: ['created_at'], mrr_estimate: ['mrr_estimate'] };
const SORT_DIRECTION: Record<ListTenantsQuery['sort_order'], string> = { asc: 'ASC', desc: 'DESC' };

/** `text` as a LIKE literal: %, _ and the escape character itself match only themselves. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/**
 * The digits to look for in the CNPJ (stored as 14 digits), when the search is a CNPJ or part of
 * one: digits with or without its punctuation (`11.222.333/0001-81`, `11222333`). A name with a
 * digit in it ("Clínica 24 Horas") is searched by name only: its "24" would match most CNPJs.
 */
export function cnpjDigits(search: string): string | undefined {
  return /\d/.test(search) && /^[\d\s./-]+$/.test(search) ? search.replace(/\D/g, '') : undefined;
}

/**
 * One page of tenants. The filters are fixed SQL fragments chosen by which filters are present,
 * with every value bound as a parameter. `filtered` is sorted and cut to the page, so the
 * per-tenant figures are computed for the page's rows only. `total` (right even for a page past
 * the end) is a sum over tenant_counts, kept by triggers, unless there is a search: then the
 * matching rows are counted. Active agents and users are read from tenant_member_counts, also
 * kept by triggers. The 30-day requests come from tenant_usage_last_30_days, written
 * by the nightly job, when it is as of the window's last day; otherwise they are summed here.
 */
export async function listTenants(db: Db, query: ListTenantsQuery, last30Days: DayWindow): Promise<ListTenants> {
  const params: SqlParams = {
    limit: p.int(query.limit),
    offset: p.int(query.offset),
    from: p.date(last30Days.from),
    to: p.date(last30Days.to),
  };
  // Exact filters, on tenants (t) and on their counts per (status, plan, segment) (c).
  const exact: string[] = [];
  if (query.status !== 'all') {
    exact.push('status');
    params.status = p.text(query.status);
  }
  if (query.plan) {
    exact.push('plan');
    params.plan = p.text(query.plan);
  }
  if (query.segment) {
    exact.push('segment');
    params.segment = p.text(query.segment);
  }
  const where = exact.map((column) => `t.${column} = :${column}`);
  if (query.search) {
    // Case and accents ignored on both sides ("atlantico" finds "Atlântico"); a trigram index serves it.
    params.name_pattern = p.text(`%${escapeLike(query.search)}%`);
    const byName = `t.name_key LIKE ${S}.search_key(:name_pattern) ESCAPE '\\'`;
    const digits = cnpjDigits(query.search);
    if (digits) {
      params.cnpj_pattern = p.text(`%${digits}%`);
      where.push(`(${byName} OR t.cnpj LIKE :cnpj_pattern)`);
    } else {
      where.push(byName);
    }
  }
  // Without a search, `total` is a sum over the maintained counts (tenant_counts), not a count.
  const total = query.search
    ? 'SELECT count(*) AS n FROM filtered'
    : `SELECT coalesce(sum(c.tenants), 0) AS n FROM ${S}.tenant_counts c WHERE ${exact.map((column) => `c.${column} = :${column}`).join(' AND ') || 'true'}`;
  const direction = SORT_DIRECTION[query.sort_order];
  // The id breaks ties, so consecutive pages never overlap or skip a row.
  const order = [...SORT_COLUMNS[query.sort_by], 'id'].map((column) => `${column} ${direction}`).join(', ');

  const parts = await db.parts(
    `WITH filtered AS NOT MATERIALIZED (
       SELECT t.id, t.name, t.name_key, t.cnpj, t.segment, t.plan, t.status, t.mrr_estimate, t.created_at
       FROM ${S}.tenants t
       WHERE ${where.length > 0 ? where.join(' AND ') : 'true'}
     ),
     total AS (${total}),
     page AS (SELECT t.id, t.name, t.name_key, t.cnpj, t.segment, t.plan, t.status, t.mrr_estimate, t.created_at
              FROM ${S}.tenants t
              WHERE t.id = ANY (ARRAY(SELECT f.id FROM filtered f ORDER BY ${order} LIMIT :limit OFFSET :offset))),
     page_rows AS (
       SELECT pg.*, coalesce(m.active_agents, 0) AS active_agents, coalesce(m.users, 0) AS active_users,
              CASE WHEN c.as_of = CAST(:to AS date) AND CAST(:from AS date) = CAST(:to AS date) - 29 THEN c.requests
                   ELSE (SELECT ${USAGE_TOTAL} FROM ${S}.tenant_usage_daily u
                         WHERE u.tenant_id = pg.id AND u.date BETWEEN :from AND :to) END AS requests_last_30_days
       FROM page pg
       LEFT JOIN ${S}.tenant_member_counts m ON m.tenant_id = pg.id
       LEFT JOIN ${S}.tenant_usage_last_30_days c ON c.tenant_id = pg.id
     )
     SELECT part, body FROM (
       SELECT 'head' AS part, 0 AS n, json_build_object('total', (SELECT n FROM total), 'limit', :limit, 'offset', :offset) AS body
       UNION ALL
       SELECT 'tenant', row_number() OVER (ORDER BY ${order}),
              json_build_object(
                'id', r.id, 'name', r.name, 'cnpj', r.cnpj, 'segment', r.segment, 'plan', r.plan, 'status', r.status,
                'mrr_estimate', r.mrr_estimate, 'active_agents', r.active_agents, 'active_users', r.active_users,
                'requests_last_30_days', r.requests_last_30_days, 'created_at', ${S}.iso_utc(r.created_at))
       FROM page_rows r
     ) r
     ORDER BY part = 'head' DESC, n`,
    params,
  );
  const [head] = (parts.get('head') ?? []) as Array<{ total: number; limit: number; offset: number }>;
  if (!head) throw new InternalError('the tenant list statement returned no head row');
  return parseResponse(ListTenantsSchema, { tenants: parts.get('tenant') ?? [], ...head });
}

// --- GET /internal/tenants/{id} ---

export interface TenantDetailWindows {
  last7Days: DayWindow;
  last30Days: DayWindow;
}

/**
 * One tenant in full. Usage windows end on the same day (yesterday), so the 7-day count is the
 * 30-day rows filtered by `from7`. Integrations are built field by field: the secret's ARN and the
 * config never leave the database.
 */
export async function findTenantDetail(db: Db, tenantId: string, windows: TenantDetailWindows) {
  const parts = await db.parts(
    `WITH tenant AS (SELECT t.* FROM ${S}.tenants t WHERE t.id = :tenant_id)
     SELECT part, body FROM (
       SELECT 'head' AS part, 0 AS n, json_build_object(
         'tenant', json_build_object(
           'id', t.id, 'name', t.name, 'cnpj', t.cnpj, 'segment', t.segment, 'plan', t.plan, 'status', t.status,
           'mrr_estimate', t.mrr_estimate, 'created_at', ${S}.iso_utc(t.created_at), 'updated_at', ${S}.iso_utc(t.updated_at)),
         'users_total', (SELECT count(*) FROM ${S}.tenant_users tu WHERE tu.tenant_id = t.id),
         'agents_total', (SELECT count(*) FROM ${S}.tenant_agents ta WHERE ta.tenant_id = t.id),
         'integrations_total', (SELECT count(*) FROM ${S}.tenant_integrations i WHERE i.tenant_id = t.id),
         'usage_summary', (
           SELECT json_build_object(
                    'requests_last_7_days', coalesce(sum(u.total_requests) FILTER (WHERE u.date >= :from7), 0),
                    'requests_last_30_days', ${USAGE_TOTAL},
                    'success_rate_last_30_days', ${USAGE_RATE})
           FROM ${S}.tenant_usage_daily u
           WHERE u.tenant_id = t.id AND u.date BETWEEN :from30 AND :to)) AS body
       FROM tenant t
       UNION ALL
       SELECT 'user', row_number() OVER (ORDER BY tu.role, tu.email, tu.id),
              json_build_object('id', tu.id, 'email', tu.email, 'full_name', coalesce(tu.full_name, ''), 'role', tu.role,
                                'last_login_at', ${S}.iso_utc(tu.last_login_at))
       FROM (SELECT tu.* FROM tenant t JOIN ${S}.tenant_users tu ON tu.tenant_id = t.id
             ORDER BY tu.role, tu.email, tu.id LIMIT ${LIST_LIMITS.detailUsers}) tu
       UNION ALL
       SELECT 'agent', row_number() OVER (ORDER BY ag.name, ag.agent_id),
              json_build_object('id', ag.agent_id, 'name', ag.name, 'status', ag.status, 'activated_at', ${S}.iso_utc(ag.activated_at),
                                'usage_last_30_days', json_build_object('total_requests', us.total_requests, 'success_rate', us.success_rate))
       FROM (SELECT ta.tenant_id, ta.agent_id, ta.status, ta.activated_at, a.name
             FROM tenant t JOIN ${S}.tenant_agents ta ON ta.tenant_id = t.id JOIN ${S}.agents a ON a.id = ta.agent_id
             ORDER BY a.name, ta.agent_id LIMIT ${LIST_LIMITS.detailAgents}) ag
       CROSS JOIN LATERAL (
         SELECT ${USAGE_TOTAL} AS total_requests, ${USAGE_RATE} AS success_rate
         FROM ${S}.tenant_usage_daily u
         WHERE u.tenant_id = ag.tenant_id AND u.agent_id = ag.agent_id AND u.date BETWEEN :from30 AND :to
       ) us
       UNION ALL
       SELECT 'integration', row_number() OVER (ORDER BY i.integration_type, i.integration_name, i.id),
              json_build_object('id', i.id, 'type', i.integration_type, 'name', i.integration_name, 'status', i.status,
                                'last_sync_at', ${S}.iso_utc(i.last_sync_at))
       FROM (SELECT i.* FROM tenant t JOIN ${S}.tenant_integrations i ON i.tenant_id = t.id
             ORDER BY i.integration_type, i.integration_name, i.id LIMIT ${LIST_LIMITS.detailIntegrations}) i
       UNION ALL
       SELECT 'incident', row_number() OVER (ORDER BY e.created_at DESC, e.id DESC),
              json_build_object('id', e.id, 'severity', e.severity, 'title', e.title, 'created_at', ${S}.iso_utc(e.created_at))
       FROM (SELECT e.id, e.severity, e.title, e.created_at
             FROM tenant t JOIN ${S}.operational_events e ON e.tenant_id = t.id AND e.event_type = 'incident'
             ORDER BY e.created_at DESC, e.id DESC
             LIMIT ${LIST_LIMITS.detailIncidents}) e
     ) r
     ORDER BY part = 'head' DESC, part, n`,
    {
      tenant_id: p.uuid(tenantId),
      from7: p.date(windows.last7Days.from),
      from30: p.date(windows.last30Days.from),
      to: p.date(windows.last30Days.to),
    },
  );
  const [head] = (parts.get('head') ?? []) as Array<Record<string, unknown>>;
  if (!head) return undefined;
  return parseResponse(TenantDetailSchema, {
    tenant: head.tenant,
    users: parts.get('user') ?? [],
    users_total: head.users_total,
    agents: parts.get('agent') ?? [],
    agents_total: head.agents_total,
    integrations: parts.get('integration') ?? [],
    integrations_total: head.integrations_total,
    usage_summary: head.usage_summary,
    recent_incidents: parts.get('incident') ?? [],
  });
}

// --- GET /internal/tenants/{id}/agents ---

/**
 * A tenant's contracted agents (every status) with their configuration and 30-day usage.
 * `id` is the catalog agent id, as everywhere else; `last_request_at` is kept on tenant_agents
 * by the nightly aggregation, so the raw request log is not read.
 */
export async function listInternalTenantAgents(db: Db, tenantId: string, last30Days: DayWindow, page: { limit: number; offset: number }) {
  const parts = await db.parts(
    `WITH tenant AS (SELECT t.id FROM ${S}.tenants t WHERE t.id = :tenant_id),
     page AS (
       SELECT ta.*, a.name
       FROM tenant t JOIN ${S}.tenant_agents ta ON ta.tenant_id = t.id JOIN ${S}.agents a ON a.id = ta.agent_id
       ORDER BY a.name, ta.agent_id
       LIMIT :limit OFFSET :offset
     )
     SELECT part, body FROM (
       SELECT 'head' AS part, 0 AS n,
              json_build_object('total', (SELECT count(*) FROM ${S}.tenant_agents ta WHERE ta.tenant_id = t.id), 'limit', :limit, 'offset', :offset) AS body
       FROM tenant t
       UNION ALL
       SELECT 'agent', row_number() OVER (ORDER BY pg.name, pg.agent_id),
              json_build_object(
                'id', pg.agent_id, 'name', pg.name, 'status', pg.status, 'config', pg.config,
                'activated_at', ${S}.iso_utc(pg.activated_at), 'deactivated_at', ${S}.iso_utc(pg.deactivated_at),
                'usage_stats', json_build_object(
                  'total_requests', us.total_requests, 'success_rate', us.success_rate,
                  'avg_response_time_ms', us.avg_response_time_ms, 'last_request_at', ${S}.iso_utc(pg.last_request_at)))
       FROM page pg
       CROSS JOIN LATERAL (
         SELECT ${USAGE_TOTAL} AS total_requests, ${USAGE_RATE} AS success_rate, ${USAGE_AVG_MS} AS avg_response_time_ms
         FROM ${S}.tenant_usage_daily u
         WHERE u.tenant_id = pg.tenant_id AND u.agent_id = pg.agent_id AND u.date BETWEEN :from AND :to
       ) us
     ) r
     ORDER BY part = 'head' DESC, n`,
    { tenant_id: p.uuid(tenantId), from: p.date(last30Days.from), to: p.date(last30Days.to), limit: p.int(page.limit), offset: p.int(page.offset) },
  );
  const [head] = (parts.get('head') ?? []) as Array<{ total: number; limit: number; offset: number }>;
  if (!head) return undefined;
  return parseResponse(InternalTenantAgentsSchema, { agents: parts.get('agent') ?? [], ...head });
}
