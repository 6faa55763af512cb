import type * as z from 'zod';
import { tenantIdFor } from '@database/seed';
import { p } from '@shared/db';
import { PERIODS, type Period } from '@shared/http/schemas';
import { PERIOD_DAYS, periodWindow } from '@shared/period';
import { TenantUsageSchema } from '@lambda/tenant/schemas';
import { BACKENDS } from '../../support/local-db';
import { SEED_NOW, startSeededApi, type SeededApi, freezeDate } from '../../support/api';
import { deepStrict } from '../../support/strict';

const ROLES = ['tenantAdminA', 'tenantUserA', 'tenantAdminB', 'tenantUserB', 'support', 'admin'] as const;
const shape = TenantUsageSchema.shape;
const KEYS = {
  summary: Object.keys(shape.summary.shape).sort(),
  day: Object.keys(shape.daily_data.def.element.shape).sort(),
  agent: Object.keys(shape.by_agent.def.element.shape).sort(),
};
const DAY_MS = 86_400_000;
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

type Usage = z.infer<typeof TenantUsageSchema>;

/** The three views of the same traffic agree exactly, and each day's counts add up. */
function expectReconciled(usage: Usage): void {
  const { summary, daily_data: days, by_agent: agents } = usage;
  expect(sum(days.map((d) => d.total_requests))).toBe(summary.total_requests);
  expect(sum(days.map((d) => d.successful_requests))).toBe(summary.successful_requests);
  expect(sum(days.map((d) => d.failed_requests))).toBe(summary.failed_requests);
  expect(sum(agents.map((a) => a.total_requests))).toBe(summary.total_requests);
  // by_agent carries only a rate; at these volumes (< 10^4 per agent) a 4-decimal rate recovers the count.
  expect(sum(agents.map((a) => Math.round(a.success_rate * a.total_requests)))).toBe(summary.successful_requests);
  expect(summary.successful_requests + summary.failed_requests).toBe(summary.total_requests);
  for (const day of days) expect(day.successful_requests + day.failed_requests).toBe(day.total_requests);
  if (summary.total_requests === 0) {
    expect(summary.success_rate).toBe(0);
    expect(summary.avg_response_time_ms).toBe(0);
  } else {
    expect(summary.success_rate).toBeCloseTo(summary.successful_requests / summary.total_requests, 4);
    // daily averages are themselves rounded, so their weighted mean may differ by up to 0.5 ms
    const weighted = sum(days.map((d) => d.avg_response_time_ms * d.total_requests)) / summary.total_requests;
    expect(Math.abs(summary.avg_response_time_ms - weighted)).toBeLessThanOrEqual(1);
  }
}

describe.each(BACKENDS)('GET /tenant/usage on %s', (kind) => {
  let api: SeededApi;

  /** Σ of the daily aggregate for a tenant (optionally one agent) over a period's window. */
  const dbTotals = async (tenantId: string, period: Period, agentId?: string) => {
    const window = periodWindow(period);
    const [row] = await api.local.db.query<{ total: number; ok: number; failed: number }>(
      `SELECT CAST(coalesce(sum(total_requests), 0) AS int) AS total, CAST(coalesce(sum(successful_requests), 0) AS int) AS ok,
              CAST(coalesce(sum(failed_requests), 0) AS int) AS failed
       FROM alquimista_platform.tenant_usage_daily
       WHERE tenant_id = :tenant_id AND date BETWEEN :from AND :to AND (CAST(:agent_id AS uuid) IS NULL OR agent_id = CAST(:agent_id AS uuid))`,
      { tenant_id: p.uuid(tenantId), from: p.date(window.from), to: p.date(window.to), agent_id: p.uuid(agentId ?? null) },
    );
    return row!;
  };

  beforeAll(async () => {
    // Only Date is faked: handlers compute their windows from "now", and the seeded traffic ends at SEED_NOW.
    freezeDate();
    api = await startSeededApi(kind);
  }, 120_000);
  afterAll(async () => {
    jest.useRealTimers();
    await api?.stop();
  });

  test("a tenant user gets their tenant's last 30 days in the contract shape, in one Data API call", async () => {
    api.local.api.resetStats();

    const res = await api.invoke('getTenantUsage', { claims: api.claims.tenantUserA });

    expect(res.status).toBe(200);
    const usage = deepStrict(TenantUsageSchema).parse(res.body);
    expect(Object.keys(res.body.summary).sort()).toEqual(KEYS.summary);
    for (const day of res.body.daily_data) expect(Object.keys(day).sort()).toEqual(KEYS.day);
    for (const agent of res.body.by_agent) expect(Object.keys(agent).sort()).toEqual(KEYS.agent);
    expect(res.headers['Cache-Control']).toBe('private, max-age=300');
    expect(api.local.api.stats().calls).toEqual({ ExecuteStatement: 1 });
    expect(usage.period).toBe('30d');
    expect(usage.daily_data).toHaveLength(30);
  });

  test.each(PERIODS)('period=%s: every day of the window ending yesterday, oldest first, reconciling with the summary and by_agent', async (period) => {
    const res = await api.invoke('getTenantUsage', { claims: api.claims.tenantAdminA, query: { period } });

    expect(res.status).toBe(200);
    const usage = TenantUsageSchema.parse(res.body);
    expect(usage.period).toBe(period);
    const n = PERIOD_DAYS[period];
    const yesterday = addDays(SEED_NOW.toISOString().slice(0, 10), -1);
    expect(usage.daily_data.map((d) => d.date)).toEqual(Array.from({ length: n }, (_, i) => addDays(yesterday, i - n + 1)));
    expect(usage.daily_data[0]!.date).toBe(periodWindow(period).from);

    // the window really holds seeded traffic, and the endpoint reports all of it
    const db = await dbTotals(api.tenantA, period);
    expect(db.total).toBeGreaterThan(0);
    expect(usage.summary).toMatchObject({ total_requests: db.total, successful_requests: db.ok, failed_requests: db.failed });
    expectReconciled(usage);

    // requests not attributed to an agent are a bucket of their own
    const unattributed = usage.by_agent.filter((a) => a.agent_id === null);
    expect(unattributed).toHaveLength(1);
    expect(unattributed[0]!.agent_name).toBe('Sem agente');
    const totals = usage.by_agent.map((a) => a.total_requests);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
  });

  test('days without traffic are zero-filled: a tenant that churned within the window', async () => {
    const churned = tenantIdFor(api.seed.options.seed, 4);
    const res = await api.invoke('getTenantUsage', { claims: api.claims.support, query: { tenant_id: churned } });

    expect(res.status).toBe(200);
    const usage = TenantUsageSchema.parse(res.body);
    expect(usage.daily_data).toHaveLength(30);
    const idle = usage.daily_data.filter((d) => d.total_requests === 0);
    expect(idle.length).toBeGreaterThan(0);
    expect(idle.length).toBeLessThan(30);
    for (const day of idle) expect(day).toEqual({ date: day.date, total_requests: 0, successful_requests: 0, failed_requests: 0, avg_response_time_ms: 0 });
    expect(usage.summary.total_requests).toBe((await dbTotals(churned, '30d')).total);
    expectReconciled(usage);
  });

  test('?agent_id= narrows everything to that agent', async () => {
    const all = TenantUsageSchema.parse((await api.invoke('getTenantUsage', { claims: api.claims.tenantUserA })).body);
    const top = all.by_agent.find((a) => a.agent_id !== null)!;

    const res = await api.invoke('getTenantUsage', { claims: api.claims.tenantUserA, query: { agent_id: top.agent_id!.toUpperCase() } });

    expect(res.status).toBe(200);
    const usage = TenantUsageSchema.parse(res.body);
    expect(usage.by_agent).toEqual([top]);
    expect(usage.summary.total_requests).toBe(top.total_requests);
    expect(usage.summary.total_requests).toBe((await dbTotals(api.tenantA, '30d', top.agent_id!)).total);
    expect(usage.daily_data).toHaveLength(30);
    expectReconciled(usage);
  });

  test("an agent_id the tenant does not have yields zeros for every day, never another tenant's traffic", async () => {
    // a catalog agent with traffic at other tenants in the window, that tenant A never contracted
    const window = periodWindow('30d');
    const [foreign] = await api.local.db.query<{ agent_id: string }>(
      `SELECT u.agent_id FROM alquimista_platform.tenant_usage_daily u
       WHERE u.agent_id IS NOT NULL AND u.date BETWEEN :from AND :to AND u.tenant_id <> :tenant_id
         AND NOT EXISTS (SELECT 1 FROM alquimista_platform.tenant_agents ta WHERE ta.tenant_id = :tenant_id AND ta.agent_id = u.agent_id)
       GROUP BY u.agent_id ORDER BY sum(u.total_requests) DESC LIMIT 1`,
      { tenant_id: p.uuid(api.tenantA), from: p.date(window.from), to: p.date(window.to) },
    );
    expect(foreign).toBeDefined();

    for (const agentId of [foreign!.agent_id, '00000000-0000-4000-8000-00000000a9e1']) {
      const res = await api.invoke('getTenantUsage', { claims: api.claims.tenantUserA, query: { agent_id: agentId } });
      expect(res.status).toBe(200);
      const usage = TenantUsageSchema.parse(res.body);
      expect(usage.summary).toEqual({ total_requests: 0, successful_requests: 0, failed_requests: 0, success_rate: 0, avg_response_time_ms: 0 });
      expect(usage.by_agent).toEqual([]);
      expect(usage.daily_data).toHaveLength(30);
      expect(usage.daily_data.every((d) => d.total_requests === 0 && d.avg_response_time_ms === 0)).toBe(true);
    }
  });

  test.each(ROLES)('%s → 200 (every group may read usage)', async (role) => {
    const staff = role === 'support' || role === 'admin';
    const res = await api.invoke('getTenantUsage', { claims: api.claims[role], query: staff ? { tenant_id: api.tenantA } : undefined });
    expect(res.status).toBe(200);
    deepStrict(TenantUsageSchema).parse(res.body);
  });

  test('no claims → 401', async () => {
    const res = await api.invoke('getTenantUsage', { claims: null });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });

  test("tenant isolation: A naming B is refused; staff naming B get B's usage; A's agents are A's", async () => {
    const refused = await api.invoke('getTenantUsage', { claims: api.claims.tenantUserA, query: { tenant_id: api.tenantB } });
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).not.toContain(api.tenantB);

    const named = await api.invoke('getTenantUsage', { claims: api.claims.admin, query: { tenant_id: api.tenantB, period: '7d' } });
    expect(named.status).toBe(200);
    const b = await dbTotals(api.tenantB, '7d');
    expect(TenantUsageSchema.parse(named.body).summary).toMatchObject({ total_requests: b.total, successful_requests: b.ok, failed_requests: b.failed });

    const own = TenantUsageSchema.parse((await api.invoke('getTenantUsage', { claims: api.claims.tenantUserA, query: { period: '90d' } })).body);
    const ids = own.by_agent.map((a) => a.agent_id).filter((id): id is string => id !== null);
    const [check] = await api.local.db.query<{ foreign_ids: number }>(
      `SELECT CAST(count(*) AS int) AS foreign_ids FROM unnest(CAST(:ids AS uuid[])) AS x(id)
       WHERE NOT EXISTS (SELECT 1 FROM alquimista_platform.tenant_agents ta WHERE ta.tenant_id = :tenant_id AND ta.agent_id = x.id)`,
      { ids: p.uuidList(ids), tenant_id: p.uuid(api.tenantA) },
    );
    expect(ids.length).toBeGreaterThan(0);
    expect(check!.foreign_ids).toBe(0);
  });

  test('staff naming an unknown tenant → 404; a malformed tenant_id → 400 naming it', async () => {
    const unknown = await api.invoke('getTenantUsage', { claims: api.claims.support, query: { tenant_id: '00000000-0000-4000-8000-000000000000' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');

    const malformed = await api.invoke('getTenantUsage', { claims: api.claims.support, query: { tenant_id: 'xyz' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toContain('tenant_id');
  });

  test.each([
    ['period', '1y'],
    ['period', '30'],
    ['period', ''],
    ['agent_id', 'xyz'],
    ['agent_id', ''],
  ])('%s=%p → 400 naming the field', async (field, value) => {
    const res = await api.invoke('getTenantUsage', { claims: api.claims.tenantUserA, query: { [field]: value } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(res.body.error.message).toContain(field);
  });
});
