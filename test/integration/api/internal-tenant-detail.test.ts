import { TenantDetailSchema } from '@lambda/internal/schemas';
import { p } from '@shared/db';
import { BACKENDS } from '../../support/local-db';
import { startSeededApi, type SeededApi, freezeDate } from '../../support/api';
import { deepStrict } from '../../support/strict';

/** The contract, refusing any field it does not name (at every level). */
const StrictTenantDetailSchema = deepStrict(TenantDetailSchema);

/** At SEED_NOW (2026-11-01) the last 7 and 30 complete UTC days. */
const LAST_7_DAYS = { from: '2026-10-25', to: '2026-10-31' };
const LAST_30_DAYS = { from: '2026-10-02', to: '2026-10-31' };
const UNKNOWN_TENANT = '00000000-0000-4000-8000-000000000000';

describe.each(BACKENDS)('GET /internal/tenants/{id} on %s', (kind) => {
  let api: SeededApi;
  beforeAll(async () => {
    // Only Date is faked: the handlers' windows end yesterday, and the seeded data ends 2026-10-31.
    freezeDate();
    api = await startSeededApi(kind);
  }, 120_000);
  afterAll(async () => {
    jest.useRealTimers();
    await api?.stop();
  });

  const detail = (id: string) => api.invoke('getTenantDetail', { claims: api.claims.support, pathParameters: { id } });
  const column = <T = string>(sql: string, params = {}) =>
    api.local.db.query<{ v: T }>(sql, params).then((rows) => rows.map((r) => r.v));

  test('staff get one tenant in the contract shape, in one Data API call', async () => {
    api.local.api.resetStats();

    const res = await detail(api.tenantA);

    expect(res.status).toBe(200);
    expect(res.headers['Cache-Control']).toBe('private, max-age=300');
    expect(api.local.api.stats().calls).toEqual({ ExecuteStatement: 1 });
    const body = StrictTenantDetailSchema.parse(res.body);
    expect(body.tenant.id).toBe(api.tenantA);
    // The demo tenant is a rich one: every list has something in it.
    expect(body.users.length).toBeGreaterThan(0);
    expect(body.agents.length).toBeGreaterThan(0);
    expect(body.integrations.length).toBeGreaterThan(0);
    expect(body.usage_summary.requests_last_30_days).toBeGreaterThan(0);
  });

  test('staff are allowed, tenant roles refused (even for their own tenant), no claims unauthorised', async () => {
    for (const [role, claims] of Object.entries(api.claims)) {
      const res = await api.invoke('getTenantDetail', { claims, pathParameters: { id: api.tenantA } });
      expect([role, res.status]).toEqual([role, role === 'support' || role === 'admin' ? 200 : 403]);
    }
    expect((await api.invoke('getTenantDetail', { claims: null, pathParameters: { id: api.tenantA } })).status).toBe(401);
  });

  test('an unknown tenant is a 404; a malformed id a 400 naming it', async () => {
    const unknown = await detail(UNKNOWN_TENANT);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');

    const malformed = await detail('abc');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toContain('"id"');
  });

  test.each(['tenantA', 'tenantB'] as const)("%s: every user, agent, integration and incident is the tenant's own, all of them", async (which) => {
    const id = api[which];
    const body = StrictTenantDetailSchema.parse((await detail(id)).body);
    const tenant = { id: p.uuid(id) };

    expect(body.users.map((u) => u.id)).toEqual(
      await column(`SELECT id AS v FROM alquimista_platform.tenant_users WHERE tenant_id = :id ORDER BY role, email`, tenant),
    );
    expect(new Set(body.agents.map((a) => a.id))).toEqual(
      new Set(await column(`SELECT agent_id AS v FROM alquimista_platform.tenant_agents WHERE tenant_id = :id`, tenant)),
    );
    expect(new Set(body.integrations.map((i) => i.id))).toEqual(
      new Set(await column(`SELECT id AS v FROM alquimista_platform.tenant_integrations WHERE tenant_id = :id`, tenant)),
    );
    expect(body.recent_incidents.map((i) => i.id)).toEqual(
      await column(
        `SELECT id AS v FROM alquimista_platform.operational_events WHERE tenant_id = :id AND event_type = 'incident' ORDER BY created_at DESC, id DESC LIMIT 10`,
        tenant,
      ),
    );
    expect(body.users.every((u) => u.role === 'ADMIN' || u.role === 'USER')).toBe(true);
  });

  test('integrations never carry credentials or configuration', async () => {
    const res = await detail(api.tenantA);
    const arns = await column(
      `SELECT credentials_secret_arn AS v FROM alquimista_platform.tenant_integrations WHERE tenant_id = :id AND credentials_secret_arn IS NOT NULL`,
      { id: p.uuid(api.tenantA) },
    );
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('secretsmanager');
    expect(text).not.toContain('credentials');
    for (const arn of arns) expect(text).not.toContain(arn);
    for (const integration of res.body.integrations) expect(Object.keys(integration).sort()).toEqual(['id', 'last_sync_at', 'name', 'status', 'type']);
  });

  test('usage: 7- and 30-day totals and rates, overall and per agent, over complete UTC days', async () => {
    const body = StrictTenantDetailSchema.parse((await detail(api.tenantA)).body);
    const sum = async (window: { from: string; to: string }, agentId?: string) => {
      const [row] = await api.local.db.query<{ total: number; ok: number }>(
        `SELECT coalesce(sum(total_requests), 0)::int AS total, coalesce(sum(successful_requests), 0)::int AS ok
         FROM alquimista_platform.tenant_usage_daily
         WHERE tenant_id = :id AND date BETWEEN :from AND :to AND (CAST(:agent AS uuid) IS NULL OR agent_id = :agent)`,
        { id: p.uuid(api.tenantA), from: p.date(window.from), to: p.date(window.to), agent: p.uuid(agentId ?? null) },
      );
      return row!;
    };
    const rate = ({ total, ok }: { total: number; ok: number }) => (total === 0 ? 0 : Math.round((ok / total) * 10_000) / 10_000);

    const d30 = await sum(LAST_30_DAYS);
    const d7 = await sum(LAST_7_DAYS);
    expect(d7.total).toBeGreaterThan(0);
    expect(body.usage_summary).toEqual({ requests_last_7_days: d7.total, requests_last_30_days: d30.total, success_rate_last_30_days: rate(d30) });
    for (const agent of body.agents) {
      const used = await sum(LAST_30_DAYS, agent.id);
      expect([agent.id, agent.usage_last_30_days]).toEqual([agent.id, { total_requests: used.total, success_rate: rate(used) }]);
    }
    expect(body.agents.some((a) => a.usage_last_30_days.total_requests > 0)).toBe(true);
  });

  test('a tenant with no agents, integrations, usage or incidents gets empty lists and zeros; a user without a name, ""', async () => {
    const id = '00000000-0000-4000-8000-0000000000aa';
    const userId = '00000000-0000-4000-8000-0000000000ab';
    await api.local.db.execute(
      `INSERT INTO alquimista_platform.tenants (id, name, cnpj, segment, plan, status, mrr_estimate)
       VALUES (:id, 'Empresa Vazia', '00000000000191', 'varejo', 'starter', 'inactive', 0)`,
      { id: p.uuid(id) },
    );
    await api.local.db.execute(
      `INSERT INTO alquimista_platform.tenant_users (id, tenant_id, cognito_sub, email, full_name, role)
       VALUES (:user_id, :id, 'sub-empresa-vazia', 'ninguem@vazia.com.br', NULL, 'USER')`,
      { id: p.uuid(id), user_id: p.uuid(userId) },
    );
    try {
      const body = StrictTenantDetailSchema.parse((await detail(id)).body);
      expect(body).toMatchObject({
        users: [{ id: userId, email: 'ninguem@vazia.com.br', full_name: '', role: 'USER', last_login_at: null }],
        agents: [],
        integrations: [],
        recent_incidents: [],
        usage_summary: { requests_last_7_days: 0, requests_last_30_days: 0, success_rate_last_30_days: 0 },
      });
    } finally {
      await api.local.db.execute(`DELETE FROM alquimista_platform.tenants WHERE id = :id`, { id: p.uuid(id) });
    }
  });
});
