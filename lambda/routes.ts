import type { Group } from './shared/auth';
import type { FunctionAccess } from './shared/function-access';
import type { RouteDefinition } from './shared/http/route';

/**
 * The route manifest: every API route, once, as plain data. The CDK API stack, the local gateway,
 * the handlers' group checks (`createHandler`) and the OpenAPI document all read it.
 * `handler` is the entry file under `lambda/`, exporting `handler`.
 */
export interface RouteManifestEntry extends RouteDefinition {
  readonly id: string;
  readonly handler: string;
  readonly summary: string;
  /** What the route's function may touch (CDK grants it; the local runtime builds its environment from it). */
  readonly access: FunctionAccess;
}

const STAFF: readonly Group[] = ['INTERNAL_ADMIN', 'INTERNAL_SUPPORT'];
const EVERYONE: readonly Group[] = ['TENANT_ADMIN', 'TENANT_USER', ...STAFF];
const MINUTE = 60;
/** Reads Aurora as the read-only role: no write, no transaction, whatever the code tries. */
const READS: FunctionAccess = { database: 'reader' };

export const ROUTES = [
  // Tenant area: a tenant user sees their own tenant; staff may name one with ?tenant_id=.
  { id: 'getTenantMe', method: 'GET', path: '/tenant/me', handler: 'tenant/get-me.ts', groups: EVERYONE, cacheSeconds: 5 * MINUTE, summary: 'The tenant: plan, limits and current usage', access: READS },
  { id: 'listTenantAgents', method: 'GET', path: '/tenant/agents', handler: 'tenant/list-agents.ts', groups: EVERYONE, cacheSeconds: 5 * MINUTE, summary: "The tenant's contracted agents with 30-day usage", access: READS },
  { id: 'listTenantIntegrations', method: 'GET', path: '/tenant/integrations', handler: 'tenant/list-integrations.ts', groups: ['TENANT_ADMIN', ...STAFF], cacheSeconds: 5 * MINUTE, summary: "The tenant's integrations (never their credentials)", access: READS },
  { id: 'getTenantUsage', method: 'GET', path: '/tenant/usage', handler: 'tenant/get-usage.ts', groups: EVERYONE, cacheSeconds: 5 * MINUTE, summary: "The tenant's usage over a period, per day and per agent", access: READS },
  { id: 'listTenantIncidents', method: 'GET', path: '/tenant/incidents', handler: 'tenant/list-incidents.ts', groups: EVERYONE, cacheSeconds: 1 * MINUTE, summary: 'Incidents that affected the tenant, newest first', access: READS },
  // Internal area: staff only.
  { id: 'listTenants', method: 'GET', path: '/internal/tenants', handler: 'internal/list-tenants.ts', groups: STAFF, cacheSeconds: 5 * MINUTE, summary: 'Every tenant, filtered, searched, sorted and paginated', access: READS },
  { id: 'getTenantDetail', method: 'GET', path: '/internal/tenants/{id}', handler: 'internal/get-tenant.ts', groups: STAFF, cacheSeconds: 5 * MINUTE, summary: 'One tenant in full: users, agents, integrations, usage, incidents', access: READS },
  { id: 'listTenantAgentsInternal', method: 'GET', path: '/internal/tenants/{id}/agents', handler: 'internal/list-tenant-agents.ts', groups: STAFF, cacheSeconds: 5 * MINUTE, summary: "A tenant's agents with configuration and usage statistics", access: READS },
  { id: 'getUsageOverview', method: 'GET', path: '/internal/usage/overview', handler: 'internal/get-usage-overview.ts', groups: STAFF, cacheSeconds: 10 * MINUTE, summary: 'Platform-wide usage over a period', access: READS },
  // Operational commands: run asynchronously through the commands table's stream.
  { id: 'createOperationalCommand', method: 'POST', path: '/internal/operations/commands', handler: 'internal/create-command.ts', groups: STAFF, cacheSeconds: 0, summary: 'Issue an operational command (202; runs asynchronously)', access: { database: 'writer', commandsTable: 'readWrite' } },
  { id: 'listOperationalCommands', method: 'GET', path: '/internal/operations/commands', handler: 'internal/list-commands.ts', groups: STAFF, cacheSeconds: 0, summary: 'Operational commands, newest first, with their status and result', access: { database: 'reader', commandsTable: 'read' } },
  { id: 'getBillingOverview', method: 'GET', path: '/internal/billing/overview', handler: 'internal/get-billing-overview.ts', groups: ['INTERNAL_ADMIN'], cacheSeconds: 15 * MINUTE, summary: 'MRR, ARR, breakdowns and revenue trend', access: READS },
] as const satisfies readonly RouteManifestEntry[];

export type RouteId = (typeof ROUTES)[number]['id'];

/** The manifest entry of a route, for `createHandler(route('getTenantMe'), …)`. */
export function route(id: RouteId): RouteManifestEntry {
  const entry = ROUTES.find((r) => r.id === id);
  if (!entry) throw new Error(`unknown route ${id}`);
  return entry;
}
