import { p } from '@shared/db';
import { TenantIntegrationsSchema } from '@lambda/tenant/schemas';
import { BACKENDS } from '../../support/local-db';
import { startSeededApi, type SeededApi } from '../../support/api';
import { deepStrict } from '../../support/strict';

const ROLES = ['tenantAdminA', 'tenantUserA', 'tenantAdminB', 'tenantUserB', 'support', 'admin'] as const;
const ALLOWED: ReadonlySet<string> = new Set(['tenantAdminA', 'tenantAdminB', 'support', 'admin']);
/** A value planted in every integration's config, which must never reach a response. */
const CONFIG_MARKER = 'config-must-not-leak';

describe.each(BACKENDS)('GET /tenant/integrations on %s', (kind) => {
  let api: SeededApi;

  /** A tenant's integration ids, in the endpoint's order. */
  const integrationIds = async (tenantId: string) =>
    (
      await api.local.db.query<{ id: string }>(
        `SELECT id FROM alquimista_platform.tenant_integrations WHERE tenant_id = :tenant_id
         ORDER BY integration_type, integration_name, id`,
        { tenant_id: p.uuid(tenantId) },
      )
    ).map((row) => row.id);

  beforeAll(async () => {
    api = await startSeededApi(kind);
    // The seed gives ~70% of integrations a secret; give every one of A's a secret and a config, so
    // "never selected" is checked against rows that have them.
    await api.local.db.execute(
      `UPDATE alquimista_platform.tenant_integrations
       SET credentials_secret_arn = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:test/' || id,
           config = config || jsonb_build_object('marker', :marker)
       WHERE tenant_id = :tenant_id`,
      { tenant_id: p.uuid(api.tenantA), marker: p.text(CONFIG_MARKER) },
    );
  }, 120_000);
  afterAll(async () => api?.stop());

  test("a tenant admin gets their tenant's integrations by type and name, without secrets or config, in one Data API call", async () => {
    api.local.api.resetStats();

    const res = await api.invoke('listTenantIntegrations', { claims: api.claims.tenantAdminA });

    expect(res.status).toBe(200);
    // The item schema is already .strict(): an extra column (a secret ARN, the config) fails the parse.
    const body = deepStrict(TenantIntegrationsSchema).parse(res.body);
    expect(res.headers['Cache-Control']).toBe('private, max-age=300');
    expect(api.local.api.stats().calls).toEqual({ ExecuteStatement: 1 });

    const expected = await integrationIds(api.tenantA);
    expect(expected.length).toBeGreaterThan(0);
    expect(body.integrations.map((i) => i.id)).toEqual(expected);
    const types = body.integrations.map((i) => i.type);
    expect(types).toEqual([...types].sort());

    const raw = JSON.stringify(res.body);
    expect(raw).not.toContain('secretsmanager');
    expect(raw).not.toContain(CONFIG_MARKER);
    expect(raw).not.toContain('credentials');
  });

  test('a tenant without integrations gets an empty list, not a 404', async () => {
    const empty = '00000000-0000-4000-8000-0000000000e1';
    await api.local.db.execute(
      `INSERT INTO alquimista_platform.tenants (id, name, cnpj, segment, plan) VALUES (:id, 'Sem Integrações Ltda', '99999999000199', 'varejo', 'starter')`,
      { id: p.uuid(empty) },
    );
    const res = await api.invoke('listTenantIntegrations', { claims: api.claims.support, query: { tenant_id: empty } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ integrations: [], total: 0 });
  });

  test.each(ROLES)('%s → 200 if TENANT_ADMIN or staff, else 403', async (role) => {
    const staff = role === 'support' || role === 'admin';
    const res = await api.invoke('listTenantIntegrations', { claims: api.claims[role], query: staff ? { tenant_id: api.tenantA } : undefined });
    if (ALLOWED.has(role)) {
      expect(res.status).toBe(200);
      deepStrict(TenantIntegrationsSchema).parse(res.body);
    } else {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      expect(res.body).not.toHaveProperty('integrations');
    }
  });

  test('no claims → 401', async () => {
    const res = await api.invoke('listTenantIntegrations', { claims: null });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });

  test("tenant isolation: A naming B is refused; staff naming B get B's integrations; A only ever sees A's", async () => {
    const refused = await api.invoke('listTenantIntegrations', { claims: api.claims.tenantAdminA, query: { tenant_id: api.tenantB } });
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).not.toContain(api.tenantB);

    const named = await api.invoke('listTenantIntegrations', { claims: api.claims.admin, query: { tenant_id: api.tenantB } });
    expect(named.status).toBe(200);
    expect(TenantIntegrationsSchema.parse(named.body).integrations.map((i) => i.id)).toEqual(await integrationIds(api.tenantB));

    const own = await api.invoke('listTenantIntegrations', { claims: api.claims.tenantAdminA });
    const ids: string[] = own.body.integrations.map((i: { id: string }) => i.id);
    const [check] = await api.local.db.query<{ foreign_ids: number }>(
      `SELECT CAST(count(*) AS int) AS foreign_ids FROM unnest(CAST(:ids AS uuid[])) AS x(id)
       WHERE NOT EXISTS (SELECT 1 FROM alquimista_platform.tenant_integrations i WHERE i.tenant_id = :tenant_id AND i.id = x.id)`,
      { ids: p.uuidList(ids), tenant_id: p.uuid(api.tenantA) },
    );
    expect(ids.length).toBeGreaterThan(0);
    expect(check!.foreign_ids).toBe(0);
  });

  test('staff naming an unknown tenant → 404; a malformed tenant_id → 400 naming it', async () => {
    const unknown = await api.invoke('listTenantIntegrations', { claims: api.claims.support, query: { tenant_id: '00000000-0000-4000-8000-000000000000' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');

    const malformed = await api.invoke('listTenantIntegrations', { claims: api.claims.support, query: { tenant_id: '1234' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toContain('tenant_id');
  });
});
