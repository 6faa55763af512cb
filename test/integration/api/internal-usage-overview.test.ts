import * as z from 'zod';
import { UsageOverviewSchema } from '@lambda/internal/schemas';
import { p } from '@shared/db';
import { BACKENDS } from '../../support/local-db';
import { startSeededApi, SEED_NOW, type SeededApi, freezeDate } from '../../support/api';
import { deepStrict } from '../../support/strict';

/** The contract, refusing any field it does not name (at every level). */
const StrictUsageOverviewSchema = deepStrict(UsageOverviewSchema);
type UsageOverview = z.infer<typeof StrictUsageOverviewSchema>;

const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The N complete UTC days before `now`, oldest first. */
const windowDays = (n: number, now = SEED_NOW) => {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: n }, (_, i) => day(today - (n - i) * DAY_MS));
};
const rate = (ok: number, total: number) => (total === 0 ? 0 : Math.round((ok / total) * 10_000) / 10_000);

describe.each(BACKENDS)('GET /internal/usage/overview on %s', (kind) => {
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

  const overview = async (query: Record<string, string> = {}): Promise<UsageOverview> => {
    const res = await api.invoke('getUsageOverview', { claims: api.claims.support, query });
    expect(res.status).toBe(200);
    return StrictUsageOverviewSchema.parse(res.body);
  };

  test('staff get the platform usage of the last 30 days by default, in one Data API call', async () => {
    api.local.api.resetStats();

    const res = await api.invoke('getUsageOverview', { claims: api.claims.support });

    expect(res.status).toBe(200);
    expect(res.headers['Cache-Control']).toBe('private, max-age=600');
    expect(api.local.api.stats().calls).toEqual({ ExecuteStatement: 1 });
    const body = StrictUsageOverviewSchema.parse(res.body);
    expect(body.period).toBe('30d');
    expect(body.daily_trends[0]!.date).toBe('2026-10-02');
    expect(body.daily_trends.at(-1)!.date).toBe('2026-10-31');
  });

  test('staff are allowed, tenant roles refused, no claims unauthorised; period=1y is a 400 naming it', async () => {
    for (const [role, claims] of Object.entries(api.claims)) {
      const res = await api.invoke('getUsageOverview', { claims });
      expect([role, res.status]).toEqual([role, role === 'support' || role === 'admin' ? 200 : 403]);
    }
    expect((await api.invoke('getUsageOverview', { claims: null })).status).toBe(401);

    const bad = await api.invoke('getUsageOverview', { claims: api.claims.admin, query: { period: '1y' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('"period"');
  });

  test.each([
    ['7d', 7],
    ['30d', 30],
    ['90d', 90],
  ] as const)('%s: every figure reconciles with tenant_usage_daily over the %i complete days before today', async (period, n) => {
    const body = await overview({ period });
    const days = windowDays(n);
    const window = { from: p.date(days[0]!), to: p.date(days.at(-1)!) };
    const db = api.local.db;

    // The stats over the window, independently.
    const [all] = await db.query<{ total: number; ok: number; weighted: number; tenants: number; active: number; deployed: number }>(
      `SELECT coalesce(sum(total_requests), 0)::int AS total, coalesce(sum(successful_requests), 0)::int AS ok,
              coalesce(sum(avg_response_time_ms::float8 * total_requests), 0)::float8 AS weighted,
              (SELECT count(*) FROM alquimista_platform.tenants)::int AS tenants,
              (SELECT count(*) FROM alquimista_platform.tenants WHERE status = 'active')::int AS active,
              (SELECT count(*) FROM alquimista_platform.tenant_agents WHERE status = 'active')::int AS deployed
       FROM alquimista_platform.tenant_usage_daily WHERE date BETWEEN :from AND :to`,
      window,
    );
    expect(all!.total).toBeGreaterThan(0);
    expect(body.global_stats).toEqual({
      total_tenants: all!.tenants,
      active_tenants: all!.active,
      total_agents_deployed: all!.deployed,
      total_requests: all!.total,
      global_success_rate: rate(all!.ok, all!.total),
      avg_response_time_ms: Math.round(all!.weighted / all!.total),
    });

    // One entry per day, consecutive, zero-filled, summing to the total.
    expect(body.daily_trends.map((d) => d.date)).toEqual(days);
    expect(body.daily_trends.reduce((sum, d) => sum + d.total_requests, 0)).toBe(all!.total);
    const perDay = await db.query<{ date: string; total: number; ok: number; tenants: number }>(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, sum(total_requests)::int AS total, sum(successful_requests)::int AS ok,
              count(DISTINCT tenant_id) FILTER (WHERE total_requests > 0)::int AS tenants
       FROM alquimista_platform.tenant_usage_daily WHERE date BETWEEN :from AND :to GROUP BY date`,
      window,
    );
    const byDate = new Map(perDay.map((d) => [d.date, d]));
    for (const d of body.daily_trends) {
      const e = byDate.get(d.date) ?? { total: 0, ok: 0, tenants: 0 };
      expect(d).toEqual({ date: d.date, total_requests: e.total, success_rate: rate(e.ok, e.total), active_tenants: e.tenants });
    }

    // Top tenants: the 10 busiest, busiest first, with their own totals.
    const tenants = await db.query<{ id: string; name: string; total: number; ok: number }>(
      `SELECT t.id, t.name, sum(u.total_requests)::int AS total, sum(u.successful_requests)::int AS ok
       FROM alquimista_platform.tenant_usage_daily u JOIN alquimista_platform.tenants t ON t.id = u.tenant_id
       WHERE u.date BETWEEN :from AND :to GROUP BY t.id, t.name HAVING sum(u.total_requests) > 0 ORDER BY total DESC`,
      window,
    );
    expect(body.top_tenants_by_usage).toHaveLength(Math.min(10, tenants.length));
    expect(body.top_tenants_by_usage.map((t) => t.total_requests)).toEqual(tenants.slice(0, 10).map((t) => t.total));
    for (const top of body.top_tenants_by_usage) {
      const e = tenants.find((t) => t.id === top.tenant_id)!;
      expect(top).toEqual({ tenant_id: e.id, tenant_name: e.name, total_requests: e.total, success_rate: rate(e.ok, e.total) });
    }

    // Top agents: catalog agents only (unattributed requests are not an agent), with their deployments.
    const agents = await db.query<{ id: string; name: string; total: number; deployed: number }>(
      `SELECT a.id, a.name, sum(u.total_requests)::int AS total,
              (SELECT count(*) FROM alquimista_platform.tenant_agents ta WHERE ta.agent_id = a.id AND ta.status = 'active')::int AS deployed
       FROM alquimista_platform.tenant_usage_daily u JOIN alquimista_platform.agents a ON a.id = u.agent_id
       WHERE u.date BETWEEN :from AND :to GROUP BY a.id, a.name HAVING sum(u.total_requests) > 0 ORDER BY total DESC`,
      window,
    );
    expect(body.top_agents_by_usage.length).toBeGreaterThan(0);
    expect(body.top_agents_by_usage).toHaveLength(Math.min(10, agents.length));
    expect(body.top_agents_by_usage.map((a) => a.total_requests)).toEqual(agents.slice(0, 10).map((a) => a.total));
    for (const top of body.top_agents_by_usage) {
      const e = agents.find((a) => a.id === top.agent_id)!;
      expect(top).toEqual({ agent_id: e.id, agent_name: e.name, total_requests: e.total, deployed_count: e.deployed });
    }
  });

  test('the window follows the current date: a window with no usage is all zeros, every day still listed', async () => {
    const later = new Date('2027-03-15T08:00:00Z');
    jest.setSystemTime(later);
    try {
      const body = await overview({ period: '7d' });
      expect(body.daily_trends).toEqual(windowDays(7, later).map((date) => ({ date, total_requests: 0, success_rate: 0, active_tenants: 0 })));
      expect(body.global_stats).toMatchObject({ total_requests: 0, global_success_rate: 0, avg_response_time_ms: 0 });
      expect(body.global_stats.total_tenants).toBeGreaterThan(0);
      expect(body.top_tenants_by_usage).toEqual([]);
      expect(body.top_agents_by_usage).toEqual([]);
    } finally {
      jest.setSystemTime(SEED_NOW);
    }
  });
});
