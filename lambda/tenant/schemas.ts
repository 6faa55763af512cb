import * as z from '../shared/zod';
import { enumParam, limitSchema, offsetSchema, periodSchema, UuidSchema } from '../shared/http/schemas';
import { LIST_LIMITS, TEXT_LIMITS } from '../shared/bounds';
import { CountSchema, DateSchema, IdSchema, MillisSchema, MoneySchema, RateSchema, TenantScopeQuerySchema, TimestampSchema } from '../shared/http/contract';

/** A stored text, at most `max` characters (lambda/shared/bounds.ts; enforced where it is stored). */
const text = (max: number) => z.string().check(z.maxLength(max));

/** Query and response schemas of the /tenant/* routes, field for field as the contract gives them. */

export const TenantMeQuerySchema = TenantScopeQuerySchema;
export const TenantMeSchema = z.object({
  id: IdSchema,
  name: text(TEXT_LIMITS.name),
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
  agents: z
    .array(
      z.object({
        id: IdSchema.check(z.describe('catalog agent id (the agent_id of /tenant/usage and of commands)')),
        name: text(TEXT_LIMITS.name),
        segment: z.string(),
        status: z.enum(['active', 'inactive', 'suspended']),
        activated_at: TimestampSchema,
        usage_last_30_days: z.object({ total_requests: CountSchema, success_rate: RateSchema, avg_response_time_ms: MillisSchema }),
      }),
    )
    .check(z.maxLength(LIST_LIMITS.tenantAgents), z.describe(`at most ${LIST_LIMITS.tenantAgents}, by name; \`total\` counts them all`)),
  total: CountSchema.check(z.describe('every agent matching the status filter')),
});

export const TenantIntegrationsQuerySchema = TenantScopeQuerySchema;
export const TenantIntegrationsSchema = z.object({
  integrations: z
    .array(
      z.strictObject({
        id: IdSchema,
        type: z.enum(['email', 'whatsapp', 'crm', 'calendar']),
        name: text(TEXT_LIMITS.name),
        status: z.enum(['active', 'inactive', 'error']),
        last_sync_at: z.nullable(TimestampSchema),
        last_error: z.nullable(text(TEXT_LIMITS.lastError)),
      }),
    )
    .check(z.maxLength(LIST_LIMITS.tenantIntegrations), z.describe(`at most ${LIST_LIMITS.tenantIntegrations}; \`total\` counts them all`)),
  total: CountSchema,
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
  daily_data: z.array(DailyUsageSchema).check(z.maxLength(LIST_LIMITS.periodDays), z.describe('one entry per day of the period, oldest first, zero-filled')),
  by_agent: z
    .array(
      z.object({
        agent_id: z.nullable(IdSchema).check(z.describe('null: requests not attributed to an agent')),
        agent_name: text(TEXT_LIMITS.name),
        total_requests: CountSchema,
        success_rate: RateSchema,
      }),
    )
    .check(z.maxLength(LIST_LIMITS.usageByAgent), z.describe(`the ${LIST_LIMITS.usageByAgent} busiest, most requests first`)),
});

export const TenantIncidentsQuerySchema = z.extend(TenantScopeQuerySchema, { limit: limitSchema(20, LIST_LIMITS.incidentsPage), offset: offsetSchema });
export const TenantIncidentsSchema = z.object({
  incidents: z
    .array(
      z.object({
        id: IdSchema,
        severity: z.enum(['info', 'warning', 'error', 'critical']),
        title: text(TEXT_LIMITS.title),
        description: text(TEXT_LIMITS.description),
        created_at: TimestampSchema,
        resolved_at: z.nullable(TimestampSchema),
      }),
    )
    .check(z.maxLength(LIST_LIMITS.incidentsPage)),
  total: CountSchema,
});
