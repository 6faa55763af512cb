import { API_CONTRACT } from '@lambda/api-contract';
import { ROUTES, type RouteId } from '@lambda/routes';
import { GROUPS } from '@shared/auth';
import { BACKENDS } from '../../support/local-db';
import { startSeededApi, type SeededApi, freezeDate } from '../../support/api';
import { openApiErrors } from '../../support/openapi';

/**
 * Generated from the route manifest: every route called as every demo role (and with no claims),
 * and every response checked against the committed OpenAPI document.
 */
describe.each(BACKENDS)('every route × every role on %s', (kind) => {
  let api: SeededApi;
  beforeAll(async () => {
    freezeDate();
    api = await startSeededApi(kind);
  }, 120_000);
  afterAll(async () => {
    jest.useRealTimers();
    await api?.stop();
  });

  const roles = ['tenantAdminA', 'tenantUserA', 'support', 'admin'] as const;
  const groupOf = { tenantAdminA: 'TENANT_ADMIN', tenantUserA: 'TENANT_USER', support: 'INTERNAL_SUPPORT', admin: 'INTERNAL_ADMIN' } as const;

  /** A valid body for each route that takes one. */
  const SAMPLE_BODIES: Partial<Record<RouteId, unknown>> = {
    createOperationalCommand: { command_type: 'HEALTH_CHECK', parameters: {} },
  };

  const cases = ROUTES.flatMap((route) => roles.map((role) => [route.id, role] as const));

  test('every route that takes a body has a sample here', () => {
    for (const route of ROUTES) expect([route.id, SAMPLE_BODIES[route.id] !== undefined]).toEqual([route.id, API_CONTRACT[route.id].body !== undefined]);
  });

  test.each(cases)('%s as %s: allowed → its success status in the documented shape, otherwise 403', async (id: RouteId, role) => {
    const route = ROUTES.find((r) => r.id === id)!;
    const staff = role === 'support' || role === 'admin';
    const res = await api.invoke(id, {
      claims: api.claims[role],
      // staff address a tenant explicitly; tenant users never need to
      query: staff && route.path.startsWith('/tenant/') ? { tenant_id: api.tenantA } : undefined,
      pathParameters: route.path.includes('{id}') ? { id: api.tenantA } : undefined,
      body: SAMPLE_BODIES[id],
    });

    const allowed = (route.groups as readonly string[]).includes(groupOf[role]);
    expect(res.status).toBe(allowed ? (API_CONTRACT[id].status ?? 200) : 403);
    expect(openApiErrors(id, res.status, res.body)).toEqual([]);
    if (!allowed) expect(res.body.error.code).toBe('FORBIDDEN');
  });

  test.each(ROUTES.map((r) => r.id))('%s with no claims → 401 in the documented error shape', async (id) => {
    const res = await api.invoke(id, { claims: null });
    expect(res.status).toBe(401);
    expect(openApiErrors(id, 401, res.body)).toEqual([]);
  });

  test('the matrix covers every group the system knows', () => {
    expect(new Set(Object.values(groupOf))).toEqual(new Set(GROUPS));
  });
});
