import { InternalTenantAgentsSchema } from '@lambda/internal/schemas';
import { p } from '@shared/db';
import { BACKENDS } from '../../support/local-db';
import { startSeededApi, type SeededApi, freezeDate } from '../../support/api';
import { deepStrict } from '../../support/strict';

/** The contract, refusing any field it does not name (at every level; `config` is the tenant's own object). */
const StrictTenantAgentsSchema = deepStrict(InternalTenantAgentsSchema);

/** At SEED_NOW (2026-11-01) the last 30 complete UTC days. */
const LAST_30_DAYS = { from: '2026-10-02', to: '2026-10-31' };

describe.each(BACKENDS)('GET /internal/tenants/{id}/agents on %s', (kind) => {
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

  const agents = (id: string) => api.invoke('listTenantAgentsInternal', { claims: api.claims.admin, pathParameters: { id } });

  test("staff get the tenant's agents with configuration and usage, in one Data API call", async () => {
    api.local.api.resetStats();

    const res = await agents(api.tenantA);

    expect(res.status).toBe(200);
    expect(res.headers['Cache-Control']).toBe('private, max-age=300');
    expect(api.local.api.stats().calls).toEqual({ ExecuteStatement: 1 });
    const body = StrictTenantAgentsSchema.parse(res.body);
    expect(body.agents.length).toBeGreaterThan(0);
    expect(body.agents.every((a) => typeof a.config.language === 'string')).toBe(true);
    expect(body.agents.some((a) => a.usage_stats.total_requests > 0 && a.usage_stats.avg_response_time_ms > 0)).toBe(true);
  });

  test('staff are allowed, tenant roles refused (even for their own tenant), no claims unauthorised', async () => {
    for (const [role, claims] of Object.entries(api.claims)) {
      const res = await api.invoke('listTenantAgentsInternal', { claims, pathParameters: { id: api.tenantA } });
      expect([role, res.status]).toEqual([role, role === 'support' || role === 'admin' ? 200 : 403]);
    }
    expect((await api.invoke('listTenantAgentsInternal', { claims: null, pathParameters: { id: api.tenantA } })).status).toBe(401);
  });

  test('an unknown tenant is a 404; a malformed id a 400 naming it', async () => {
    const unknown = await agents('00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');

    const malformed = await agents('abc');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toContain('"id"');
  });

  test.each(['tenantA', 'tenantB'] as const)('%s: exactly its own agents, each with its own config, dates and 30-day usage', async (which) => {
    const id = api[which];
    const body = StrictTenantAgentsSchema.parse((await agents(id)).body);
    const expected = await api.local.db.query<{
      agent_id: string;
      name: string;
      status: string;
      config: string;
      activated_at: string;
      deactivated_at: string | null;
      last_request_at: string | null;
      total: number;
      ok: number;
      weighted_ms: number;
    }>(
      `SELECT ta.agent_id, a.name, ta.status, CAST(ta.config AS text) AS config,
              to_char(ta.activated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS activated_at,
              to_char(ta.deactivated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS deactivated_at,
              to_char(ta.last_request_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_request_at,
              coalesce(sum(u.total_requests), 0)::int AS total,
              coalesce(sum(u.successful_requests), 0)::int AS ok,
              coalesce(sum(u.avg_response_time_ms::float8 * u.total_requests), 0)::float8 AS weighted_ms
       FROM alquimista_platform.tenant_agents ta
       JOIN alquimista_platform.agents a ON a.id = ta.agent_id
       LEFT JOIN alquimista_platform.tenant_usage_daily u
              ON u.tenant_id = ta.tenant_id AND u.agent_id = ta.agent_id AND u.date BETWEEN :from AND :to
       WHERE ta.tenant_id = :id
       GROUP BY ta.id, a.name`,
      { id: p.uuid(id), from: p.date(LAST_30_DAYS.from), to: p.date(LAST_30_DAYS.to) },
    );

    expect(body.agents.map((a) => a.id).sort()).toEqual(expected.map((e) => e.agent_id).sort());
    for (const agent of body.agents) {
      const e = expected.find((row) => row.agent_id === agent.id)!;
      expect(agent).toEqual({
        id: e.agent_id,
        name: e.name,
        status: e.status,
        config: JSON.parse(e.config),
        activated_at: e.activated_at,
        deactivated_at: e.deactivated_at,
        usage_stats: {
          total_requests: e.total,
          success_rate: e.total === 0 ? 0 : Math.round((e.ok / e.total) * 10_000) / 10_000,
          avg_response_time_ms: e.total === 0 ? 0 : Math.round(e.weighted_ms / e.total),
          last_request_at: e.last_request_at,
        },
      });
    }
    // The seed keeps last_request_at: an agent that served requests in the window has one.
    expect(body.agents.filter((a) => a.usage_stats.total_requests > 0).every((a) => a.usage_stats.last_request_at !== null)).toBe(true);
  });

  test('a deactivated agent is listed with its deactivation date', async () => {
    const [row] = await api.local.db.query<{ tenant_id: string; agent_id: string }>(
      `SELECT tenant_id, agent_id FROM alquimista_platform.tenant_agents WHERE deactivated_at IS NOT NULL ORDER BY id LIMIT 1`,
    );
    const body = StrictTenantAgentsSchema.parse((await agents(row!.tenant_id)).body);
    const agent = body.agents.find((a) => a.id === row!.agent_id)!;
    expect(agent.status).toBe('inactive');
    expect(agent.deactivated_at).not.toBeNull();
  });
});
