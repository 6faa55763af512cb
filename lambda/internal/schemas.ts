import * as z from '../shared/zod';
import { enumParam, limitSchema, offsetSchema, periodSchema } from '../shared/http/schemas';
import { CountSchema, DateSchema, IdSchema, MillisSchema, MoneySchema, RateSchema, TimestampSchema } from '../shared/http/contract';

/** Query and response schemas of the /internal/* read routes, field for field as the contract gives them. */

export const TENANT_STATUSES = ['active', 'inactive', 'suspended'] as const;
export const PLANS = ['starter', 'professional', 'enterprise'] as const;
export const SEGMENTS = ['varejo', 'saude', 'educacao', 'financeiro', 'tecnologia', 'industria', 'servicos', 'logistica', 'imobiliario', 'juridico'] as const;
export const TENANT_SORT_KEYS = ['name', 'created_at', 'mrr_estimate'] as const;

/** The tenant's own fields, shared by the list rows and the detail. */
const TenantFieldsSchema = z.object({
  id: IdSchema,
  name: z.string(),
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
  limit: limitSchema(50),
  offset: offsetSchema,
  sort_by: enumParam(TENANT_SORT_KEYS, 'name'),
  sort_order: enumParam(['asc', 'desc'], 'asc'),
});
export const ListTenantsSchema = z.object({
  tenants: z.array(
    z.extend(TenantFieldsSchema, {
      active_agents: CountSchema,
      active_users: CountSchema,
      requests_last_30_days: CountSchema,
    }),
  ),
  total: CountSchema,
  limit: CountSchema,
  offset: CountSchema,
});

export const TenantDetailSchema = z.object({
  tenant: z.extend(TenantFieldsSchema, { updated_at: TimestampSchema }),
  users: z.array(z.object({ id: IdSchema, email: z.string(), full_name: z.string(), role: z.enum(['ADMIN', 'USER']), last_login_at: z.nullable(TimestampSchema) })),
  agents: z.array(
    z.object({
      id: IdSchema,
      name: z.string(),
      status: z.enum(['active', 'inactive', 'suspended']),
      activated_at: TimestampSchema,
      usage_last_30_days: z.object({ total_requests: CountSchema, success_rate: RateSchema }),
    }),
  ),
  integrations: z.array(
    z.strictObject({ id: IdSchema, type: z.string(), name: z.string(), status: z.enum(['active', 'inactive', 'error']), last_sync_at: z.nullable(TimestampSchema) }),
  ),
  usage_summary: z.object({ requests_last_7_days: CountSchema, requests_last_30_days: CountSchema, success_rate_last_30_days: RateSchema }),
  recent_incidents: z.array(z.object({ id: IdSchema, severity: z.enum(['info', 'warning', 'error', 'critical']), title: z.string(), created_at: TimestampSchema })),
});

export const InternalTenantAgentsSchema = z.object({
  agents: z.array(
    z.object({
      id: IdSchema,
      name: z.string(),
      status: z.enum(['active', 'inactive', 'suspended']),
      config: z.record(z.string(), z.unknown()),
      activated_at: TimestampSchema,
      deactivated_at: z.nullable(TimestampSchema),
      usage_stats: z.object({
        total_requests: CountSchema,
        success_rate: RateSchema,
        avg_response_time_ms: MillisSchema,
        last_request_at: z.nullable(TimestampSchema),
      }),
    }),
  ),
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
  top_tenants_by_usage: z.array(z.object({ tenant_id: IdSchema, tenant_name: z.string(), total_requests: CountSchema, success_rate: RateSchema })),
  top_agents_by_usage: z.array(z.object({ agent_id: IdSchema, agent_name: z.string(), total_requests: CountSchema, deployed_count: CountSchema })),
  daily_trends: z.array(z.object({ date: DateSchema, total_requests: CountSchema, success_rate: RateSchema, active_tenants: CountSchema })),
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
  by_plan: z.array(z.object({ plan_name: z.string(), tenant_count: CountSchema, total_mrr: MoneySchema })),
  by_segment: z.array(z.object({ segment: z.string(), tenant_count: CountSchema, total_mrr: MoneySchema })),
  revenue_trend: z.array(z.object({ date: DateSchema, mrr: MoneySchema, new_tenants: CountSchema, churned_tenants: CountSchema })),
});
