import type { APIGatewayProxyResult } from 'aws-lambda';
import { route as routeOf, type RouteId } from '@lambda/routes';
import type { ApiHandler } from '@shared/http/handler';
import { rateLimitEnvironment, type RateLimits } from '@shared/rate-limits';
import { startSeededApi, type SeededApi } from '../../support/api';
import { apiEvent, type Claims } from '../../support/events';
import { captureOutput } from '../../support/logs';
import { openApiErrors } from '../../support/openapi';

/**
 * Rate limits per user and per tenant, operational commands apart (issue 19): the real handlers
 * with their handler kit, counting in the local DynamoDB as they count in AWS. Each test has its
 * own window length, so its counters are its own. Embedded PGlite only: the database plays no part.
 */
describe('rate limits per user and per tenant', () => {
  let api: SeededApi;
  let window = 86_400;

  beforeAll(async () => {
    api = await startSeededApi('pglite');
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
  });

  /** Handlers of `ids` with these limits (a fresh module each, as a fresh Lambda environment). */
  const withLimits = (limits: Omit<RateLimits, 'windowSeconds'>, table = api.dynamo.rateLimitTableName) => {
    const env = { ...rateLimitEnvironment(table, { windowSeconds: --window, ...limits }), LOG_LEVEL: 'INFO' };
    const handlers = new Map<RouteId, ApiHandler>();
    return async (id: RouteId, claims: Claims, options: { query?: Record<string, string>; body?: unknown } = {}) => {
      if (!handlers.has(id)) handlers.set(id, api.loadModule<{ handler: ApiHandler }>(routeOf(id).handler, env).handler);
      const route = routeOf(id);
      const res: APIGatewayProxyResult = await handlers.get(id)!(apiEvent({ method: route.method, path: route.path, claims, query: options.query, body: options.body }));
      return { status: res.statusCode, headers: (res.headers ?? {}) as Record<string, string>, body: JSON.parse(res.body) };
    };
  };
  const statuses = async (n: number, call: () => Promise<{ status: number }>) => {
    const seen: number[] = [];
    for (let i = 0; i < n; i++) seen.push((await call()).status);
    return seen;
  };

  test('one user’s burst stops at their own limit; the tenant’s other users go on until the tenant’s limit', async () => {
    const call = withLimits({ user: 3, tenant: 5, commandsPerUser: 1 });

    expect(await statuses(5, () => call('getTenantMe', api.claims.tenantAdminA))).toEqual([200, 200, 200, 429, 429]);
    expect((await call('getTenantMe', api.claims.tenantAdminA)).body.error.message).toMatch(/^Too many requests for this user: at most 3 per/);
    // The refused requests did not spend the tenant's budget: 2 of its 5 are left for the others.
    expect(await statuses(2, () => call('getTenantMe', api.claims.tenantUserA))).toEqual([200, 200]);

    const refused = await call('getTenantMe', api.claims.tenantUserA);
    expect(refused.status).toBe(429);
    expect(openApiErrors('getTenantMe', 429, refused.body)).toEqual([]);
    expect(refused.body.error).toMatchObject({ code: 'TOO_MANY_REQUESTS', message: expect.stringMatching(/^Too many requests for this user's tenant: at most 5 per \d+ s/) });
    expect(Number(refused.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect(refused.headers['Cache-Control']).toBe('no-store');
  });

  test('one tenant’s burst does not throttle another tenant', async () => {
    const call = withLimits({ user: 10, tenant: 4, commandsPerUser: 1 });

    expect(await statuses(6, () => call('getTenantMe', api.claims.tenantAdminA))).toEqual([200, 200, 200, 200, 429, 429]);

    expect(await statuses(4, () => call('getTenantMe', api.claims.tenantAdminB))).toEqual([200, 200, 200, 200]);
  });

  test('staff limits are their own, whatever tenant they look at, and spend no tenant’s budget', async () => {
    const call = withLimits({ user: 3, tenant: 3, commandsPerUser: 1 });
    const asSupport = (tenantId: string) => call('getTenantMe', api.claims.support, { query: { tenant_id: tenantId } });

    expect([(await asSupport(api.tenantA)).status, (await asSupport(api.tenantA)).status, (await asSupport(api.tenantB)).status]).toEqual([200, 200, 200]);
    expect((await asSupport(api.tenantB)).status).toBe(429);
    expect((await asSupport(api.tenantA)).status).toBe(429);
    // Tenant A's users still have their whole budget.
    expect(await statuses(3, () => call('getTenantMe', api.claims.tenantUserA))).toEqual([200, 200, 200]);
    // Another staff member has theirs.
    expect((await call('getTenantMe', api.claims.admin, { query: { tenant_id: api.tenantA } })).status).toBe(200);
  });

  test('operational commands have their own, tighter budget; reads go on', async () => {
    const call = withLimits({ user: 10, tenant: 10, commandsPerUser: 2 });
    const create = () => call('createOperationalCommand', api.claims.support, { body: { command_type: 'HEALTH_CHECK', parameters: {} } });

    expect([(await create()).status, (await create()).status]).toEqual([202, 202]);
    const refused = await create();
    expect(refused.status).toBe(429);
    expect(openApiErrors('createOperationalCommand', 429, refused.body)).toEqual([]);
    expect(refused.body.error.message).toMatch(/^Too many operational commands for this user: at most 2 per/);
    expect((await call('listOperationalCommands', api.claims.support)).status).toBe(200);
  });

  test('a 429 is logged as a warning with the tenant and the user, never with the token', async () => {
    const call = withLimits({ user: 1, tenant: 10, commandsPerUser: 1 });
    await call('getTenantMe', api.claims.tenantAdminB);
    const logs = captureOutput();
    try {
      expect((await call('getTenantMe', api.claims.tenantAdminB)).status).toBe(429);
      const line = logs.lines().find((l) => l.message === 'request rejected' && l.status === 429);
      expect(line).toMatchObject({ level: 'WARN', tenant_id: api.tenantB, user: api.claims.tenantAdminB.sub, code: 'TOO_MANY_REQUESTS' });
    } finally {
      jest.restoreAllMocks();
    }
  });

  test('when the counters cannot be reached the request goes through (logged): the limits must not take the API down', async () => {
    const call = withLimits({ user: 1, tenant: 1, commandsPerUser: 1 }, 'NoSuchTable');
    const logs = captureOutput();
    try {
      expect(await statuses(3, () => call('getTenantMe', api.claims.tenantAdminA))).toEqual([200, 200, 200]);
      expect(logs.lines().some((l) => l.message === 'rate limit counters unavailable; request allowed' && l.level === 'WARN')).toBe(true);
    } finally {
      jest.restoreAllMocks();
    }
  });
});
