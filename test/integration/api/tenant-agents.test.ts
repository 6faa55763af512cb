import { p } from '@shared/db';
import { periodWindow } from '@shared/period';
import { TenantAgentsSchema } from '@lambda/tenant/schemas';
import { BACKENDS } from '../../support/local-db';
import { startSeededApi, type SeededApi, freezeDate } from '../../support/api';
import { deepStrict } from '../../support/strict';

const ROLES = ['tenantAdminA', 'tenantUserA', 'tenantAdminB', 'tenantUserB', 'support', 'admin'] as const;
const AGENT_KEYS = Object.keys(TenantAgentsSchema.shape.agents.def.element.shape).sort();
const USAGE_KEYS = Object.keys(TenantAgentsSchema.shape.agents.def.element.shape.usage_last_30_days.shape).sort();

interface AgentRow {
  agent_id: string;
  name: string;
  status: string;
}

describe.each(BACKENDS)('GET /tenant/agents on %s', (kind) => {
  let api: SeededApi;
  /** Tenant A's agent made inactive for the status filter (the seed contracts A's agents all active). */
  let inactiveAgentId: string;

  /** A tenant's contracted agents, as the endpoint should order them. */
  const contracted = (tenantId: string) =>
    api.local.db.query<AgentRow>(
      `SELECT ta.agent_id, a.name, ta.status FROM alquimista_platform.tenant_agents ta
       JOIN alquimista_platform.agents a ON a.id = ta.agent_id
       WHERE ta.tenant_id = :tenant_id ORDER BY a.name, a.id`,
      { tenant_id: p.uuid(tenantId) },
    );

  beforeAll(async () => {
    // Only Date is faked: handlers compute their windows from "now", and the seeded traffic ends at SEED_NOW.
    freezeDate();
    api = await startSeededApi(kind);
    const [first] = await contracted(api.tenantA);
    inactiveAgentId = first!.agent_id;
    await api.local.db.execute(
      `UPDATE alquimista_platform.tenant_agents SET status = 'inactive', deactivated_at = activated_at + interval '1 day'
       WHERE tenant_id = :tenant_id AND agent_id = :agent_id`,
      { tenant_id: p.uuid(api.tenantA), agent_id: p.uuid(inactiveAgentId) },
    );
  }, 120_000);
  afterAll(async () => {
    jest.useRealTimers();
    await api?.stop();
  });

  test("a tenant user gets their tenant's active agents in the contract shape, by name, in one Data API call", async () => {
    api.local.api.resetStats();

    const res = await api.invoke('listTenantAgents', { claims: api.claims.tenantUserA });

    expect(res.status).toBe(200);
    const body = deepStrict(TenantAgentsSchema).parse(res.body);
    for (const agent of res.body.agents) {
      expect(Object.keys(agent).sort()).toEqual(AGENT_KEYS);
      expect(Object.keys(agent.usage_last_30_days).sort()).toEqual(USAGE_KEYS);
    }
    expect(res.headers['Cache-Control']).toBe('private, max-age=300');
    expect(api.local.api.stats().calls).toEqual({ ExecuteStatement: 1 });
    const expected = (await contracted(api.tenantA)).filter((row) => row.status === 'active');
    expect(expected.length).toBeGreaterThan(0);
    expect(body.agents.map((a) => a.id)).toEqual(expected.map((row) => row.agent_id));
    expect(body.agents.every((a) => a.status === 'active')).toBe(true);
  });

  test('?status= filters: inactive gives the deactivated agent, all gives every contracted agent', async () => {
    const inactive = await api.invoke('listTenantAgents', { claims: api.claims.tenantUserA, query: { status: 'inactive' } });
    expect(inactive.status).toBe(200);
    expect(TenantAgentsSchema.parse(inactive.body).agents.map((a) => [a.id, a.status])).toEqual([[inactiveAgentId, 'inactive']]);

    const all = await api.invoke('listTenantAgents', { claims: api.claims.tenantUserA, query: { status: 'all' } });
    expect(all.status).toBe(200);
    const ids = TenantAgentsSchema.parse(all.body).agents.map((a) => a.id);
    expect(ids).toEqual((await contracted(api.tenantA)).map((row) => row.agent_id));
    expect(ids).toContain(inactiveAgentId);

    const suspended = await api.invoke('listTenantAgents', { claims: api.claims.tenantUserA, query: { status: 'suspended' } });
    expect(suspended.status).toBe(200);
    expect(suspended.body).toEqual({ agents: [], total: 0 });
  });

  test("usage_last_30_days is each agent's traffic in the 30 complete days before today, from the daily aggregate", async () => {
    const window = periodWindow('30d');
    expect(window.to).toBe('2026-10-31'); // the seed's last day: the window really holds traffic
    const res = await api.invoke('listTenantAgents', { claims: api.claims.tenantAdminA, query: { status: 'all' } });
    const rows = await api.local.db.query<{ agent_id: string; total: number; ok: number; weighted: number }>(
      `SELECT agent_id, CAST(sum(total_requests) AS int) AS total, CAST(sum(successful_requests) AS int) AS ok,
              CAST(sum(coalesce(avg_response_time_ms, 0) * total_requests) AS bigint) AS weighted
       FROM alquimista_platform.tenant_usage_daily
       WHERE tenant_id = :tenant_id AND agent_id IS NOT NULL AND date BETWEEN :from AND :to
       GROUP BY agent_id`,
      { tenant_id: p.uuid(api.tenantA), from: p.date(window.from), to: p.date(window.to) },
    );
    const byAgent = new Map(rows.map((row) => [row.agent_id, row]));

    const agents = TenantAgentsSchema.parse(res.body).agents;
    expect(agents.some((a) => a.usage_last_30_days.total_requests > 0)).toBe(true);
    for (const agent of agents) {
      const row = byAgent.get(agent.id);
      const usage = agent.usage_last_30_days;
      expect(usage.total_requests).toBe(row?.total ?? 0);
      if (!row || row.total === 0) {
        expect(usage).toEqual({ total_requests: 0, success_rate: 0, avg_response_time_ms: 0 });
        continue;
      }
      expect(usage.success_rate).toBeCloseTo(row.ok / row.total, 4);
      expect(Math.abs(usage.avg_response_time_ms - Number(row.weighted) / row.total)).toBeLessThanOrEqual(0.5);
    }
  });

  test('a tenant without agents gets an empty list, not a 404', async () => {
    const empty = '00000000-0000-4000-8000-0000000000e2';
    await api.local.db.execute(
      `INSERT INTO alquimista_platform.tenants (id, name, cnpj, segment, plan) VALUES (:id, 'Sem Agentes Ltda', '99999999000288', 'saude', 'starter')`,
      { id: p.uuid(empty) },
    );
    const res = await api.invoke('listTenantAgents', { claims: api.claims.support, query: { tenant_id: empty, status: 'all' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ agents: [], total: 0 });
  });

  test.each(ROLES)('%s → 200 (every group may list agents)', async (role) => {
    const staff = role === 'support' || role === 'admin';
    const res = await api.invoke('listTenantAgents', { claims: api.claims[role], query: staff ? { tenant_id: api.tenantA } : undefined });
    expect(res.status).toBe(200);
    deepStrict(TenantAgentsSchema).parse(res.body);
  });

  test('no claims → 401', async () => {
    const res = await api.invoke('listTenantAgents', { claims: null });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });

  test("tenant isolation: A naming B is refused; staff naming B get B's agents; A only ever sees A's", async () => {
    const refused = await api.invoke('listTenantAgents', { claims: api.claims.tenantUserA, query: { tenant_id: api.tenantB } });
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).not.toContain(api.tenantB);

    const named = await api.invoke('listTenantAgents', { claims: api.claims.support, query: { tenant_id: api.tenantB, status: 'all' } });
    expect(named.status).toBe(200);
    expect(TenantAgentsSchema.parse(named.body).agents.map((a) => a.id)).toEqual((await contracted(api.tenantB)).map((row) => row.agent_id));

    const own = await api.invoke('listTenantAgents', { claims: api.claims.tenantUserA, query: { status: 'all' } });
    const ids: string[] = own.body.agents.map((a: { id: string }) => a.id);
    const [check] = await api.local.db.query<{ foreign_ids: number }>(
      `SELECT CAST(count(*) AS int) AS foreign_ids FROM unnest(CAST(:ids AS uuid[])) AS x(id)
       WHERE NOT EXISTS (SELECT 1 FROM alquimista_platform.tenant_agents ta WHERE ta.tenant_id = :tenant_id AND ta.agent_id = x.id)`,
      { ids: p.uuidList(ids), tenant_id: p.uuid(api.tenantA) },
    );
    expect(ids.length).toBeGreaterThan(0);
    expect(check!.foreign_ids).toBe(0);
  });

  test('staff naming an unknown tenant → 404; a malformed tenant_id → 400 naming it', async () => {
    const unknown = await api.invoke('listTenantAgents', { claims: api.claims.admin, query: { tenant_id: '00000000-0000-4000-8000-000000000000' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');

    const malformed = await api.invoke('listTenantAgents', { claims: api.claims.admin, query: { tenant_id: 'not-a-uuid' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toContain('tenant_id');
  });

  test.each(['bogus', '', 'ACTIVE'])('status=%p → 400 naming the field', async (status) => {
    const res = await api.invoke('listTenantAgents', { claims: api.claims.tenantUserA, query: { status } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(res.body.error.message).toContain('status');
  });
});
