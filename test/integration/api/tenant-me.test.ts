import { TenantMeSchema } from '@lambda/tenant/schemas';
import { BACKENDS } from '../../support/local-db';
import { startSeededApi, type SeededApi } from '../../support/api';
import { deepStrict } from '../../support/strict';

describe.each(BACKENDS)('GET /tenant/me on %s', (kind) => {
  let api: SeededApi;
  beforeAll(async () => {
    api = await startSeededApi(kind);
  }, 120_000);
  afterAll(async () => api?.stop());

  test('a tenant user gets their own tenant in the contract shape, in one Data API call', async () => {
    api.local.api.resetStats();

    const res = await api.invoke('getTenantMe', { claims: api.claims.tenantUserA });

    expect(res.status).toBe(200);
    expect(deepStrict(TenantMeSchema).parse(res.body).id).toBe(api.tenantA);
    expect(res.headers['Cache-Control']).toBe('private, max-age=300');
    expect(api.local.api.stats().calls).toEqual({ ExecuteStatement: 1 });
  });

  test('staff name a tenant with ?tenant_id=; an unknown one is a 404; a malformed one a 400', async () => {
    const named = await api.invoke('getTenantMe', { claims: api.claims.support, query: { tenant_id: api.tenantB } });
    expect(named.status).toBe(200);
    expect(named.body.id).toBe(api.tenantB);

    const unknown = await api.invoke('getTenantMe', { claims: api.claims.support, query: { tenant_id: '00000000-0000-4000-8000-000000000000' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');

    const malformed = await api.invoke('getTenantMe', { claims: api.claims.support, query: { tenant_id: 'abc' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toContain('tenant_id');
  });

  test("a tenant user naming another tenant is refused, never answered with that tenant's data", async () => {
    const res = await api.invoke('getTenantMe', { claims: api.claims.tenantUserA, query: { tenant_id: api.tenantB } });
    expect(res.status).toBe(403);
    expect(JSON.stringify(res.body)).not.toContain(api.tenantB);
  });

  test('no claims → 401; staff naming no tenant → 400', async () => {
    expect((await api.invoke('getTenantMe', { claims: null })).status).toBe(401);
    const res = await api.invoke('getTenantMe', { claims: api.claims.admin });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('tenant_id');
  });
});
