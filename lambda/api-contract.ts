import type { z } from 'zod';
import type { RouteId } from './routes';
import { TenantIdPathSchema } from './shared/http/contract';
import * as tenant from './tenant/schemas';
import * as internal from './internal/schemas';

/** Per route: the schemas of its input and of its 200 response (the OpenAPI document's source, with the manifest). */
export interface RouteContract {
  query?: z.ZodObject;
  path?: z.ZodObject;
  body?: z.ZodType;
  response: z.ZodType;
  /** The success status (200 for reads). */
  status?: number;
}

export const API_CONTRACT: Record<RouteId, RouteContract> = {
  getTenantMe: { query: tenant.TenantMeQuerySchema, response: tenant.TenantMeSchema },
  listTenantAgents: { query: tenant.TenantAgentsQuerySchema, response: tenant.TenantAgentsSchema },
  listTenantIntegrations: { query: tenant.TenantIntegrationsQuerySchema, response: tenant.TenantIntegrationsSchema },
  getTenantUsage: { query: tenant.TenantUsageQuerySchema, response: tenant.TenantUsageSchema },
  listTenantIncidents: { query: tenant.TenantIncidentsQuerySchema, response: tenant.TenantIncidentsSchema },
  listTenants: { query: internal.ListTenantsQuerySchema, response: internal.ListTenantsSchema },
  getTenantDetail: { path: TenantIdPathSchema, response: internal.TenantDetailSchema },
  listTenantAgentsInternal: { path: TenantIdPathSchema, response: internal.InternalTenantAgentsSchema },
  getUsageOverview: { query: internal.PeriodQuerySchema, response: internal.UsageOverviewSchema },
  getBillingOverview: { query: internal.PeriodQuerySchema, response: internal.BillingOverviewSchema },
};
