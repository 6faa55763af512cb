import { type Db, p } from '../shared/db';
import type { DayWindow } from '../shared/period';
import { TenantMeSchema } from './schemas';

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
