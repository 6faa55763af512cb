import type { Group } from '@shared/auth';

/** A person who can sign in to the local demo: one per group, tenant people on the first two tenants. */
export interface DemoUser {
  email: string;
  fullName: string;
  /** Local demo only (see DEMO_PASSWORD). */
  password: string;
  groups: readonly Group[];
  /** Index of the seeded tenant the user belongs to (`custom:tenant_id`), or null for staff. */
  tenantIndex: number | null;
  /** The Cognito `sub`, fixed so tokens, tenant_users rows and audit events agree across runs. */
  sub: string;
}

/**
 * LOCAL DEMO ONLY: a well-known password for the local IdP's demo accounts. It satisfies the
 * Cognito default policy (upper, lower, digit, symbol, 8+) and must never be used for a deployed
 * user pool; deployed stages create no demo users.
 */
export const DEMO_PASSWORD = 'Demo@12345';

/** Addresses under the reserved `.example` TLD (RFC 2606), so no mail can ever reach anyone. */
export const DEMO_USERS: readonly DemoUser[] = [
  {
    email: 'admin@interno.alquimista.example',
    fullName: 'Ana Ribeiro',
    password: DEMO_PASSWORD,
    groups: ['INTERNAL_ADMIN'],
    tenantIndex: null,
    sub: '5a0f3d1e-7c42-4b8e-9d61-0c2b7e4f1a01',
  },
  {
    email: 'suporte@interno.alquimista.example',
    fullName: 'Bruno Carvalho',
    password: DEMO_PASSWORD,
    groups: ['INTERNAL_SUPPORT'],
    tenantIndex: null,
    sub: '5a0f3d1e-7c42-4b8e-9d61-0c2b7e4f1a02',
  },
  {
    email: 'admin@cliente1.alquimista.example',
    fullName: 'Carla Mendes',
    password: DEMO_PASSWORD,
    groups: ['TENANT_ADMIN'],
    tenantIndex: 0,
    sub: '5a0f3d1e-7c42-4b8e-9d61-0c2b7e4f1a03',
  },
  {
    email: 'usuario@cliente1.alquimista.example',
    fullName: 'Diego Souza',
    password: DEMO_PASSWORD,
    groups: ['TENANT_USER'],
    tenantIndex: 0,
    sub: '5a0f3d1e-7c42-4b8e-9d61-0c2b7e4f1a04',
  },
  {
    email: 'admin@cliente2.alquimista.example',
    fullName: 'Elisa Nakamura',
    password: DEMO_PASSWORD,
    groups: ['TENANT_ADMIN'],
    tenantIndex: 1,
    sub: '5a0f3d1e-7c42-4b8e-9d61-0c2b7e4f1a05',
  },
  {
    email: 'usuario@cliente2.alquimista.example',
    fullName: 'Felipe Araújo',
    password: DEMO_PASSWORD,
    groups: ['TENANT_USER'],
    tenantIndex: 1,
    sub: '5a0f3d1e-7c42-4b8e-9d61-0c2b7e4f1a06',
  },
];

/** The tenant_users role of a demo tenant person. */
export function demoUserRole(user: DemoUser): 'ADMIN' | 'USER' {
  return user.groups.includes('TENANT_ADMIN') ? 'ADMIN' : 'USER';
}
