import * as z from '../shared/zod';
import { enumParam, limitSchema, offsetSchema, periodSchema } from '../shared/http/schemas';
import { LIST_LIMITS, TEXT_LIMITS } from '../shared/bounds';
import { CountSchema, DateSchema, IdSchema, MillisSchema, MoneySchema, RateSchema, TimestampSchema } from '../shared/http/contract';

/** A stored text, at most `max` characters (lambda/shared/bounds.ts; enforced where it is stored). */
const text = (max: number) => z.string().check(z.maxLength(max));
/** A list of at most `max` items. */
const list = <T extends z.core.$ZodType>(item: T, max: number) => z.array(item).check(z.maxLength(max));

/** Query and response schemas of the /internal/* read routes, field for field as the contract gives them. */

export const TENANT_STATUSES = ['active', 'inactive', 'suspended'] as const;
export const PLANS = ['starter', 'professional', 'enterprise'] as const;
export const SEGMENTS = ['varejo', 'saude', 'educacao', 'financeiro', 'tecnologia', 'industria', 'servicos', 'logistica', 'imobiliario', 'juridico'] as const;
export const TENANT_SORT_KEYS = ['name', 'created_at', 'mrr_estimate'] as const;

/** The tenant's own fields, shared by the list rows and the detail. */
const TenantFieldsSchema = z.object({
  id: IdSchema,
  name: text(TEXT_LIMITS.name),
  cnpj: z.string(),
  segment: z.string(),
  plan: z.string(),
  status: z.enum(TENANT_STATUSES),
  mrr_estimate: MoneySchema,
  created_at: TimestampSchema,
});

export const ListTenantsQuerySchema = z.object({
  status: enumParam([...TENANT_STATUSES, 'all'], 'active'),
  plan: z.optional(z.enum(PLANS)),
  segment: z.optional(z.enum(SEGMENTS)),
  search: z.optional(z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(100))).check(z.describe('part of the name (case-insensitive) or of the CNPJ (digits, with or without punctuation)')),
  limit: limitSchema(50, LIST_LIMITS.tenantsPage),
  offset: offsetSchema,
  sort_by: enumParam(TENANT_SORT_KEYS, 'name'),
  sort_order: enumParam(['asc', 'desc'], 'asc'),
});
export const ListTenantsSchema = z.object({
  tenants: list(
    z.extend(TenantFieldsSchema, {
      active_agents: CountSchema,
      active_users: CountSchema,
      requests_last_30_days: CountSchema,
    }),
    LIST_LIMITS.tenantsPage,
  ),
  total: CountSchema,
  limit: CountSchema,
  offset: CountSchema,
});

export const TenantDetailSchema = z.object({
  tenant: z.extend(TenantFieldsSchema, { updated_at: TimestampSchema }),
  users: list(
    z.object({ id: IdSchema, email: text(TEXT_LIMITS.email), full_name: text(TEXT_LIMITS.name), role: z.enum(['ADMIN', 'USER']), last_login_at: z.nullable(TimestampSchema) }),
    LIST_LIMITS.detailUsers,
  ).check(z.describe(`the first ${LIST_LIMITS.detailUsers} by role and e-mail; users_total counts them all`)),
  users_total: CountSchema,
  agents: list(
    z.object({
      id: IdSchema,
      name: text(TEXT_LIMITS.name),
      status: z.enum(['active', 'inactive', 'suspended']),
      activated_at: TimestampSchema,
      usage_last_30_days: z.object({ total_requests: CountSchema, success_rate: RateSchema }),
    }),
    LIST_LIMITS.detailAgents,
  ).check(z.describe(`the first ${LIST_LIMITS.detailAgents} by name; agents_total counts them all, GET /internal/tenants/{id}/agents pages through them`)),
  agents_total: CountSchema,
  integrations: list(
    z.strictObject({ id: IdSchema, type: z.string(), name: text(TEXT_LIMITS.name), status: z.enum(['active', 'inactive', 'error']), last_sync_at: z.nullable(TimestampSchema) }),
    LIST_LIMITS.detailIntegrations,
  ).check(z.describe(`the first ${LIST_LIMITS.detailIntegrations} by type and name; integrations_total counts them all`)),
  integrations_total: CountSchema,
  usage_summary: z.object({ requests_last_7_days: CountSchema, requests_last_30_days: CountSchema, success_rate_last_30_days: RateSchema }),
  recent_incidents: list(
    z.object({ id: IdSchema, severity: z.enum(['info', 'warning', 'error', 'critical']), title: text(TEXT_LIMITS.title), created_at: TimestampSchema }),
    LIST_LIMITS.detailIncidents,
  ),
});

export const InternalTenantAgentsQuerySchema = z.object({ limit: limitSchema(LIST_LIMITS.internalAgentsPage, LIST_LIMITS.internalAgentsPage), offset: offsetSchema });

export const InternalTenantAgentsSchema = z.object({
  agents: list(
    z.object({
      id: IdSchema,
      name: text(TEXT_LIMITS.name),
      status: z.enum(['active', 'inactive', 'suspended']),
      config: z.record(z.string(), z.unknown()).check(z.describe(`the tenant's configuration of the agent: a JSON object of at most ${TEXT_LIMITS.agentConfigBytes} bytes`)),
      activated_at: TimestampSchema,
      deactivated_at: z.nullable(TimestampSchema),
      usage_stats: z.object({
        total_requests: CountSchema,
        success_rate: RateSchema,
        avg_response_time_ms: MillisSchema,
        last_request_at: z.nullable(TimestampSchema),
      }),
    }),
    LIST_LIMITS.internalAgentsPage,
  ),
  total: CountSchema,
  limit: CountSchema,
  offset: CountSchema,
});

export const PeriodQuerySchema = z.object({ period: periodSchema });

export const UsageOverviewSchema = z.object({
  period: z.enum(['7d', '30d', '90d']),
  global_stats: z.object({
    total_tenants: CountSchema,
    active_tenants: CountSchema,
    total_agents_deployed: CountSchema,
    total_requests: CountSchema,
    global_success_rate: RateSchema,
    avg_response_time_ms: MillisSchema,
  }),
  top_tenants_by_usage: list(z.object({ tenant_id: IdSchema, tenant_name: text(TEXT_LIMITS.name), total_requests: CountSchema, success_rate: RateSchema }), 10),
  top_agents_by_usage: list(z.object({ agent_id: IdSchema, agent_name: text(TEXT_LIMITS.name), total_requests: CountSchema, deployed_count: CountSchema }), 10),
  daily_trends: list(z.object({ date: DateSchema, total_requests: CountSchema, success_rate: RateSchema, active_tenants: CountSchema }), LIST_LIMITS.periodDays),
});

export const BillingOverviewSchema = z.object({
  period: z.enum(['7d', '30d', '90d']),
  financial_summary: z.object({
    total_mrr: MoneySchema,
    total_arr: MoneySchema,
    avg_mrr_per_tenant: MoneySchema,
    new_mrr_this_period: MoneySchema,
    churned_mrr_this_period: MoneySchema,
  }),
  by_plan: list(z.object({ plan_name: z.string(), tenant_count: CountSchema, total_mrr: MoneySchema }), PLANS.length),
  by_segment: list(z.object({ segment: z.string(), tenant_count: CountSchema, total_mrr: MoneySchema }), SEGMENTS.length),
  revenue_trend: list(z.object({ date: DateSchema, mrr: MoneySchema, new_tenants: CountSchema, churned_tenants: CountSchema }), LIST_LIMITS.periodDays),
});
