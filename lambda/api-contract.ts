import type * as z from './shared/zod';
import type { RouteId } from './routes';
import { TenantIdPathSchema } from './shared/http/contract';
import * as tenant from './tenant/schemas';
import * as internal from './internal/schemas';
import * as commands from './commands/schemas';

/** Per route: the schemas of its input and of its 200 response (the OpenAPI document's source, with the manifest). */
export interface RouteContract {
  query?: z.ZodMiniObject;
  path?: z.ZodMiniObject;
  body?: z.core.$ZodType;
  response: z.core.$ZodType;
  /** The success status (200 for reads). */
  status?: number;
  /** Optional request headers the route reads. */
  headers?: ReadonlyArray<{ name: string; description: string }>;
  /** Error statuses beyond the common ones, with when they happen. */
  errors?: Readonly<Record<string, string>>;
}

export const API_CONTRACT: Record<RouteId, RouteContract> = {
  getTenantMe: { query: tenant.TenantMeQuerySchema, response: tenant.TenantMeSchema },
  listTenantAgents: { query: tenant.TenantAgentsQuerySchema, response: tenant.TenantAgentsSchema },
  listTenantIntegrations: { query: tenant.TenantIntegrationsQuerySchema, response: tenant.TenantIntegrationsSchema },
  getTenantUsage: { query: tenant.TenantUsageQuerySchema, response: tenant.TenantUsageSchema },
  listTenantIncidents: { query: tenant.TenantIncidentsQuerySchema, response: tenant.TenantIncidentsSchema },
  listTenants: { query: internal.ListTenantsQuerySchema, response: internal.ListTenantsSchema },
  getTenantDetail: { path: TenantIdPathSchema, response: internal.TenantDetailSchema },
  listTenantAgentsInternal: { path: TenantIdPathSchema, query: internal.InternalTenantAgentsQuerySchema, response: internal.InternalTenantAgentsSchema },
  getUsageOverview: { query: internal.PeriodQuerySchema, response: internal.UsageOverviewSchema },
  getBillingOverview: { query: internal.PeriodQuerySchema, response: internal.BillingOverviewSchema },
  createOperationalCommand: {
    body: commands.CreateCommandBodySchema,
    response: commands.CreateCommandResponseSchema,
    status: 202,
    headers: [{ name: 'Idempotency-Key', description: 'Optional, 1–255 printable ASCII characters. A retry with the same key (and the same body) returns the first command, with `Idempotent-Replayed: true`, and creates nothing.' }],
    errors: {
      '409': 'RESTART_AGENT of a suspended agent, or an Idempotency-Key already used for a different command',
      '503': 'The command could not be recorded (its audit row or its table item): nothing was run. `Retry-After` says when to retry; with the same Idempotency-Key the command runs at most once.',
    },
  },
  listOperationalCommands: { query: commands.ListCommandsQuerySchema, response: commands.ListCommandsSchema },
};
