import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ForbiddenError, UnauthorizedError, ValidationError } from './errors';
import { isUuid } from './http/schemas';

/** Cognito groups the platform knows; any other group name in a token is ignored. */
export const GROUPS = ['INTERNAL_ADMIN', 'INTERNAL_SUPPORT', 'TENANT_ADMIN', 'TENANT_USER'] as const;
export type Group = (typeof GROUPS)[number];

/** Internal staff: may see every tenant and name one explicitly. */
export const STAFF_GROUPS: readonly Group[] = ['INTERNAL_ADMIN', 'INTERNAL_SUPPORT'];

const isGroup = (name: string): name is Group => (GROUPS as readonly string[]).includes(name);

/**
 * Normalises `cognito:groups` as the REST API Cognito authorizer hands it over. Depending on the
 * path (real API Gateway, console test, local gateway) it is an array, "A,B", "A, B", "[A B]",
 * "[A, B]", a single name, "", "[]" or absent. Unknown names are dropped and duplicates removed.
 */
export function parseGroups(raw: unknown): Group[] {
  let names: unknown[];
  if (Array.isArray(raw)) {
    names = raw;
  } else if (typeof raw === 'string') {
    const trimmed = raw.trim();
    const inner = trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed;
    // Quotes too, so a JSON-encoded array ('["A","B"]') parses the same way.
    names = inner.split(/[\s,"]+/);
  } else {
    return [];
  }
  const groups = names
    .filter((name): name is string => typeof name === 'string')
    .map((name) => name.trim())
    .filter(isGroup);
  return [...new Set(groups)];
}

/** Who is calling, taken only from the claims API Gateway's Cognito authorizer verified. */
export interface AuthContext {
  sub: string;
  email?: string;
  /** From `custom:tenant_id` only; absent when missing or not a UUID. */
  tenantId?: string;
  groups: Group[];
  isStaff: boolean;
}

const claimString = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
};

/**
 * Reads `requestContext.authorizer.claims` and nothing else: headers, query and body are caller
 * controlled, so a tenant id found there must never identify the caller.
 */
export function authFromEvent(event: APIGatewayProxyEvent): AuthContext {
  const claims: unknown = event.requestContext?.authorizer?.claims;
  if (typeof claims !== 'object' || claims === null) {
    throw new UnauthorizedError('Missing or invalid authentication');
  }
  const record = claims as Record<string, unknown>;
  const sub = claimString(record.sub);
  if (!sub) throw new UnauthorizedError('Missing or invalid authentication');

  const rawTenant = claimString(record['custom:tenant_id']);
  // A malformed tenant claim is treated as absent: callers then answer 403, never query with it.
  const tenantId = rawTenant && isUuid(rawTenant) ? rawTenant.toLowerCase() : undefined;
  const groups = parseGroups(record['cognito:groups']);

  return {
    sub,
    email: claimString(record.email),
    tenantId,
    groups,
    isStaff: groups.some((group) => STAFF_GROUPS.includes(group)),
  };
}

/** Throws 403 unless the caller is in at least one of `allowed` (an empty list allows nobody). */
export function requireGroups(auth: AuthContext, allowed: readonly Group[]): void {
  if (!auth.groups.some((group) => allowed.includes(group))) {
    throw new ForbiddenError(`This operation requires one of the groups: ${allowed.join(', ') || '(none)'}`);
  }
}

const tenantIdDetails = (message: string) => [{ field: 'tenant_id', location: 'query', message }];

/**
 * The tenant a /tenant/* request acts on.
 *
 * - Staff may name any tenant (`?tenant_id=`); otherwise their token's tenant is used, and with
 *   neither the request is a 400 naming `tenant_id`.
 * - A tenant user's tenant comes only from the token. Naming a different tenant is answered with
 *   403 rather than silently ignored, so a client bug or probe is visible instead of returning
 *   the caller's own data under a foreign id. Naming their own tenant is allowed.
 * - A tenant user without a tenant claim gets 403.
 *
 * A malformed `requested` value is a 400 before any of the above.
 */
export function resolveTenantId(auth: AuthContext, requested?: string): string {
  let named: string | undefined;
  if (requested !== undefined) {
    if (!isUuid(requested.trim())) {
      throw new ValidationError('Invalid query parameter "tenant_id": must be a UUID', tenantIdDetails('must be a UUID'));
    }
    named = requested.trim().toLowerCase();
  }

  if (auth.isStaff) {
    const tenantId = named ?? auth.tenantId;
    if (!tenantId) {
      throw new ValidationError('Query parameter "tenant_id" is required', tenantIdDetails('is required'));
    }
    return tenantId;
  }

  if (!auth.tenantId) throw new ForbiddenError('your account is not linked to a tenant');
  if (named !== undefined && named !== auth.tenantId) {
    throw new ForbiddenError('You may not access another tenant');
  }
  return auth.tenantId;
}
