/**
 * The size of everything a read may return, declared once. The RDS Data API refuses a result row
 * over 64 KB and a response over 1 MiB ("Limitations of the RDS Data API", Aurora User Guide), so
 * every read is bounded by construction: texts are capped where they are stored (migration
 * 0009_bound_stored_values.sql: CHECK constraints with these numbers — a test compares them), list
 * reads return one row per item, and every list has a maximum number of items. The response
 * schemas carry the same numbers (maxLength, maxItems), so they are in the OpenAPI document.
 *
 * Worst case per character in a response: 4 bytes (UTF-8; control characters other than tab,
 * newline and carriage return are refused when stored, so JSON escaping never makes one 6 bytes).
 */
export const TEXT_LIMITS = {
  /** Tenant, agent, integration and person names, characters. */
  name: 200,
  /** E-mail addresses, characters (RFC 5321's path limit). */
  email: 254,
  /** Event (incident, audit) titles, characters. */
  title: 200,
  /** Incident descriptions, characters. */
  description: 800,
  /** An integration's last error, characters. */
  lastError: 1000,
  /** A tenant agent's configuration, bytes of its JSON text. */
  agentConfigBytes: 8 * 1024,
} as const;

export const LIST_LIMITS = {
  /** GET /internal/tenants: page size. */
  tenantsPage: 200,
  /** GET /tenant/incidents: page size. */
  incidentsPage: 200,
  /** GET /tenant/agents and GET /tenant/integrations: items returned (the total says how many exist). */
  tenantAgents: 200,
  tenantIntegrations: 200,
  /** GET /internal/tenants/{id}/agents: page size (each agent carries its configuration). */
  internalAgentsPage: 100,
  /** GET /internal/tenants/{id}: each nested list, with its total. */
  detailUsers: 50,
  detailAgents: 50,
  detailIntegrations: 50,
  detailIncidents: 10,
  /** GET /tenant/usage: one entry per agent plus the unattributed one. */
  usageByAgent: 201,
  /** Days in the longest period (90d), for daily series. */
  periodDays: 90,
} as const;

/** The Data API's limits, bytes. */
export const DATA_API_MAX_ROW_BYTES = 64 * 1024;
export const DATA_API_MAX_RESPONSE_BYTES = 1024 * 1024;
