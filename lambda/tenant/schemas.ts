import * as z from '../shared/zod';
import { enumParam, limitSchema, offsetSchema, periodSchema, UuidSchema } from '../shared/http/schemas';
import { CountSchema, DateSchema, IdSchema, MillisSchema, MoneySchema, RateSchema, TenantScopeQuerySchema, TimestampSchema } from '../shared/http/contract';

/** Query and response schemas of the /tenant/* routes, field for field as the contract gives them. */

export const TenantMeQuerySchema = TenantScopeQuerySchema;
export const TenantMeSchema = z.object({
  id: IdSchema,
  name: z.string(),
  cnpj: z.string().check(z.regex(/^\d{14}$/)),
  segment: z.string(),
  plan: z.string(),
  status: z.enum(['active', 'inactive', 'suspended']),
  mrr_estimate: MoneySchema,
  created_at: TimestampSchema,
  limits: z.object({ max_agents: CountSchema, max_users: CountSchema, max_requests_per_month: CountSchema }),
  usage: z.object({ active_agents: CountSchema, active_users: CountSchema, requests_this_month: CountSchema }),
});

/** `suspended` is accepted besides the contract's values: agents can be suspended too. */
export const AGENT_STATUS_FILTERS = ['active', 'inactive', 'suspended', 'all'] as const;
export const TenantAgentsQuerySchema = z.extend(TenantScopeQuerySchema, { status: enumParam(AGENT_STATUS_FILTERS, 'active') });
export const TenantAgentsSchema = z.object({
  agents: z.array(
    z.object({
      id: IdSchema.check(z.describe('catalog agent id (the agent_id of /tenant/usage and of commands)')),
      name: z.string(),
      segment: z.string(),
      status: z.enum(['active', 'inactive', 'suspended']),
      activated_at: TimestampSchema,
      usage_last_30_days: z.object({ total_requests: CountSchema, success_rate: RateSchema, avg_response_time_ms: MillisSchema }),
    }),
  ),
});

export const TenantIntegrationsQuerySchema = TenantScopeQuerySchema;
export const TenantIntegrationsSchema = z.object({
  integrations: z.array(
    z.strictObject({
      id: IdSchema,
      type: z.enum(['email', 'whatsapp', 'crm', 'calendar']),
      name: z.string(),
      status: z.enum(['active', 'inactive', 'error']),
      last_sync_at: z.nullable(TimestampSchema),
      last_error: z.nullable(z.string()),
    }),
  ),
});

export const TenantUsageQuerySchema = z.extend(TenantScopeQuerySchema, { period: periodSchema, agent_id: z.optional(UuidSchema) });
const DailyUsageSchema = z.object({
  date: DateSchema,
  total_requests: CountSchema,
  successful_requests: CountSchema,
  failed_requests: CountSchema,
  avg_response_time_ms: MillisSchema,
});
export const TenantUsageSchema = z.object({
  period: z.enum(['7d', '30d', '90d']),
  summary: z.object({
    total_requests: CountSchema,
    successful_requests: CountSchema,
    failed_requests: CountSchema,
    success_rate: RateSchema,
    avg_response_time_ms: MillisSchema,
  }),
  daily_data: z.array(DailyUsageSchema).check(z.describe('one entry per day of the period, oldest first, zero-filled')),
  by_agent: z.array(
    z.object({
      agent_id: z.nullable(IdSchema).check(z.describe('null: requests not attributed to an agent')),
      agent_name: z.string(),
      total_requests: CountSchema,
      success_rate: RateSchema,
    }),
  ),
});

export const TenantIncidentsQuerySchema = z.extend(TenantScopeQuerySchema, { limit: limitSchema(20), offset: offsetSchema });
export const TenantIncidentsSchema = z.object({
  incidents: z.array(
    z.object({
      id: IdSchema,
      severity: z.enum(['info', 'warning', 'error', 'critical']),
      title: z.string(),
      description: z.string(),
      created_at: TimestampSchema,
      resolved_at: z.nullable(TimestampSchema),
    }),
  ),
  total: CountSchema,
});
