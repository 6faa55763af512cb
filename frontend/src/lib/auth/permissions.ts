import type { Claims } from './cognito';

/** Which area and pages each group sees. The UI hides what the API would refuse; the API decides. */
export const STAFF_GROUPS = ['INTERNAL_ADMIN', 'INTERNAL_SUPPORT'] as const;
export const TENANT_GROUPS = ['TENANT_ADMIN', 'TENANT_USER'] as const;

const has = (claims: Pick<Claims, 'groups'>, groups: readonly string[]) => claims.groups.some((g) => groups.includes(g));

export const isStaff = (claims: Pick<Claims, 'groups'>): boolean => has(claims, STAFF_GROUPS);
export const isTenantUser = (claims: Pick<Claims, 'groups'>): boolean => has(claims, TENANT_GROUPS) && !isStaff(claims);
export const canSeeIntegrations = (claims: Pick<Claims, 'groups'>): boolean => has(claims, ['TENANT_ADMIN', ...STAFF_GROUPS]);
export const canSeeBilling = (claims: Pick<Claims, 'groups'>): boolean => has(claims, ['INTERNAL_ADMIN']);

/** Where a user lands after sign-in. */
export const homeFor = (claims: Pick<Claims, 'groups'>): string => (isStaff(claims) ? '/company/' : '/dashboard/');
