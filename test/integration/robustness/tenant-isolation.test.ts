import { API_CONTRACT } from '@lambda/api-contract';
import { ROUTES, type RouteId, type RouteManifestEntry } from '@lambda/routes';
import { p } from '@shared/db';
import { BACKENDS } from '../../support/local-db';
import { freezeDate, startSeededApi, type SeededApi } from '../../support/api';
import { openApiErrors } from '../../support/openapi';

const S = 'alquimista_platform';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const RANDOM_ID = '3f0e2a9c-5b1d-4c8e-9f7a-2d6b4e8c1a0f';
const MALFORMED = "1' OR '1'='1";

type Role = 'tenantAdminA' | 'tenantUserA' | 'tenantAdminB' | 'support' | 'admin';
type IdKind = 'none' | 'own' | 'foreign' | 'random' | 'malformed';
const ROLES: Role[] = ['tenantAdminA', 'tenantUserA', 'tenantAdminB', 'support', 'admin'];
const GROUP: Record<Role, string> = { tenantAdminA: 'TENANT_ADMIN', tenantUserA: 'TENANT_USER', tenantAdminB: 'TENANT_ADMIN', support: 'INTERNAL_SUPPORT', admin: 'INTERNAL_ADMIN' };
const STAFF = new Set<Role>(['support', 'admin']);

/** Where a route takes a tenant id: the /tenant/* query, the {id} path, the commands' body or query. */
function tenantSlot(route: RouteManifestEntry): 'query' | 'path' | 'body' | 'filter' | null {
  if (route.path.includes('{id}')) return 'path';
  if (route.path.startsWith('/tenant/')) return 'query';
  if (route.id === 'createOperationalCommand') return 'body';
  if (route.id === 'listOperationalCommands') return 'filter';
  return null;
}

/**
 * The expected status of a call, from the manifest and the documented rules: the group check
 * first (403); a tenant user may only name their own tenant (403 otherwise, 400 if malformed);
 * staff must name one on /tenant/* (400), an unknown one is 404 on reads, 400 in a command body.
 */
function expectedStatus(route: RouteManifestEntry, role: Role, kind: IdKind): number {
  if (!(route.groups as readonly string[]).includes(GROUP[role])) return 403;
  const ok = API_CONTRACT[route.id as RouteId].status ?? 200;
  const slot = tenantSlot(route);
  if (slot === null || kind === 'none' && slot === 'filter') return ok;
  if (kind === 'malformed') return 400;
  if (slot === 'query' && !STAFF.has(role)) return kind === 'none' || kind === 'own' ? ok : 403;
  if (slot === 'query' && kind === 'none') return 400;
  if (slot === 'body') return kind === 'random' ? 400 : ok;
  if (slot === 'filter') return ok;
  return kind === 'random' ? 404 : ok;
}

describe.each(BACKENDS)('every route × role × tenant id on %s: only allowed calls succeed, none leaks another tenant', (kind) => {
  let api: SeededApi;
  /** Every id that belongs to a tenant, by tenant: tenants, users, subs, tenant agents, integrations, events (usage rows' ids are never in a response). */
  let owner: Map<string, string>;

  beforeAll(async () => {
    freezeDate();
    api = await startSeededApi(kind);
    const rows = await api.local.db.query<{ id: string; tenant_id: string }>(
      `SELECT id::text, id::text AS tenant_id FROM ${S}.tenants
       UNION ALL SELECT id::text, tenant_id::text FROM ${S}.tenant_users
       UNION ALL SELECT cognito_sub, tenant_id::text FROM ${S}.tenant_users
       UNION ALL SELECT id::text, tenant_id::text FROM ${S}.tenant_agents
       UNION ALL SELECT id::text, tenant_id::text FROM ${S}.tenant_integrations
       UNION ALL SELECT id::text, tenant_id::text FROM ${S}.operational_events WHERE tenant_id IS NOT NULL`,
    );
    owner = new Map(rows.map((r) => [r.id.toLowerCase(), r.tenant_id]));
  }, 120_000);
  afterAll(async () => {
    jest.useRealTimers();
    await api?.stop();
  });

  const tenantOf = (role: Role) => (role === 'tenantAdminB' ? api.tenantB : role.endsWith('A') ? api.tenantA : null);
  const idFor = (role: Role, kind: IdKind): string | undefined => {
    const own = tenantOf(role) ?? api.tenantA;
    return { none: undefined, own, foreign: own === api.tenantA ? api.tenantB : api.tenantA, random: RANDOM_ID, malformed: MALFORMED }[kind];
  };

  const cases = ROUTES.flatMap((route) =>
    ROLES.flatMap((role) => {
      const kinds: IdKind[] = tenantSlot(route) === null ? ['none'] : tenantSlot(route) === 'path' ? ['own', 'foreign', 'random', 'malformed'] : ['none', 'own', 'foreign', 'random', 'malformed'];
      return kinds.map((k) => [route.id, role, k] as const);
    }),
  );

  test.each(cases)('%s as %s with %s tenant id', async (id, role, idKind) => {
    const route = ROUTES.find((r) => r.id === id)!;
    const tenantId = idFor(role, idKind);
    const slot = tenantSlot(route);
    const query: Record<string, string> = {};
    if ((slot === 'query' || slot === 'filter') && tenantId !== undefined) query.tenant_id = tenantId;
    const body = route.method === 'POST' ? { command_type: 'HEALTH_CHECK', parameters: {}, ...(tenantId !== undefined && { tenant_id: tenantId }) } : undefined;

    const res = await api.invoke(id, {
      claims: api.claims[role],
      query,
      pathParameters: slot === 'path' ? { id: tenantId! } : undefined,
      body,
    });

    expect(res.status).toBe(expectedStatus(route, role, idKind));
    expect(openApiErrors(id, res.status, res.body)).toEqual([]);
    // A tenant person's answer names nothing that belongs to another tenant.
    const caller = tenantOf(role);
    if (caller) {
      const foreign = (JSON.stringify(res.body).match(UUID) ?? []).filter((uuid) => {
        const holder = owner.get(uuid.toLowerCase());
        return holder !== undefined && holder !== caller;
      });
      expect(foreign).toEqual([]);
    }
  });

  test('the oracle is not vacuous: staff answers do name other tenants’ rows', async () => {
    const res = await api.invoke('listTenants', { claims: api.claims.admin, query: { status: 'all', limit: '50' } });
    const tenants = new Set((JSON.stringify(res.body).match(UUID) ?? []).map((u) => owner.get(u.toLowerCase())).filter(Boolean));
    expect(tenants.size).toBeGreaterThan(2);
  });

  test('a tenant user’s incidents and usage are only their own (checked against the database)', async () => {
    const incidents = await api.invoke('listTenantIncidents', { claims: api.claims.tenantUserA, query: { limit: '100' } });
    const ids: string[] = incidents.body.incidents.map((i: { id: string }) => i.id);
    if (ids.length > 0) {
      const owners = await api.local.db.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id::text FROM ${S}.operational_events WHERE id = ANY(CAST(:ids AS uuid[]))`, { ids: p.uuidList(ids) });
      expect(owners.map((o) => o.tenant_id)).toEqual([api.tenantA]);
    }
  });
});
