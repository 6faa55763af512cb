/**
 * Rate limits per user and per tenant (the contract's "Rate Limiting: Por tenant e por usuário"),
 * declared once as plain data: the CDK (the table, each route's environment and grant, from the
 * stage config), the local runtime (the same table in its DynamoDB, the dev stage's numbers) and
 * the handler kit (`lambda/shared/http/rate-limit.ts`, which enforces them) all read this file.
 * Nothing here imports the SDK or the CDK.
 */

/** The counters' table: one item per (tenant, staff member or commands caller; window) — see countersFor in lambda/shared/http/rate-limit.ts — gone by Time to Live after its window. */
export const RATE_LIMIT_TABLE = {
  logicalName: 'RateLimitCounters',
  partitionKey: { name: 'pk', type: 'S' },
  billingMode: 'PAY_PER_REQUEST',
  /** Epoch seconds: one window after the counter's own window ends. */
  ttlAttribute: 'expires_at',
} as const;

/**
 * Requests allowed per fixed window. A tenant user counts against their own `user` budget and their
 * tenant's `tenant` budget; staff count against their own `user` budget only, whatever tenant they
 * look at; operational commands (POST) count against `commandsPerUser` instead, a tighter budget.
 */
export interface RateLimits {
  /** The window, seconds (counters restart at each multiple of it, UTC). */
  windowSeconds: number;
  /** Requests per user per window. */
  user: number;
  /** Requests per tenant per window, all its users together. */
  tenant: number;
  /** Operational commands created per staff member per window. */
  commandsPerUser: number;
}

/** The environment variables the handler kit reads them from (set by the CDK and the local runtime). */
export const RATE_LIMIT_ENV = { table: 'RATE_LIMIT_TABLE', limits: 'RATE_LIMITS' } as const;

/** The environment a route function gets for `limits` on `tableName`. */
export function rateLimitEnvironment(tableName: string, limits: RateLimits): Record<string, string> {
  return { [RATE_LIMIT_ENV.table]: tableName, [RATE_LIMIT_ENV.limits]: JSON.stringify(limits) };
}
