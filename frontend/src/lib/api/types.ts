/**
 * The API's request and response shapes, inferred from the backend's zod schemas (type-only
 * imports: nothing of the backend reaches the bundle), so the UI cannot drift from the contract.
 */
import type { z } from 'zod';
import type * as tenant from '../../../../lambda/tenant/schemas';
import type * as internal from '../../../../lambda/internal/schemas';
import type * as commands from '../../../../lambda/commands/schemas';

export type Period = '7d' | '30d' | '90d';
export type TenantMe = z.infer<typeof tenant.TenantMeSchema>;
export type TenantAgents = z.infer<typeof tenant.TenantAgentsSchema>;
export type TenantAgent = TenantAgents['agents'][number];
export type TenantIntegrations = z.infer<typeof tenant.TenantIntegrationsSchema>;
export type TenantUsage = z.infer<typeof tenant.TenantUsageSchema>;
export type TenantIncidents = z.infer<typeof tenant.TenantIncidentsSchema>;
export type AgentStatusFilter = (typeof tenant.AGENT_STATUS_FILTERS)[number];

export type ListTenants = z.infer<typeof internal.ListTenantsSchema>;
export type ListTenantsQuery = z.input<typeof internal.ListTenantsQuerySchema>;
export type TenantRow = ListTenants['tenants'][number];
export type TenantDetail = z.infer<typeof internal.TenantDetailSchema>;
export type InternalTenantAgents = z.infer<typeof internal.InternalTenantAgentsSchema>;
export type UsageOverview = z.infer<typeof internal.UsageOverviewSchema>;
export type BillingOverview = z.infer<typeof internal.BillingOverviewSchema>;

export type CommandType = commands.CommandType;
export type CommandStatus = commands.CommandStatus;
export type CreateCommandBody = z.input<typeof commands.CreateCommandBodySchema>;
export type CreateCommandResponse = z.infer<typeof commands.CreateCommandResponseSchema>;
export type ListCommands = z.infer<typeof commands.ListCommandsSchema>;
export type CommandView = commands.CommandView;

export interface ApiErrorBody {
  error: { code: string; message: string; details?: Array<{ field: string; location: string; message: string }> };
  request_id: string;
}
