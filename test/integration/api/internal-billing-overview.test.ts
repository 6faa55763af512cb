import * as z from 'zod';
import { BillingOverviewSchema, PLANS } from '@lambda/internal/schemas';
import { p } from '@shared/db';
import { BACKENDS } from '../../support/local-db';
import { startSeededApi, SEED_NOW, type SeededApi, freezeDate } from '../../support/api';
import { deepStrict } from '../../support/strict';

/** The contract, refusing any field it does not name (at every level). */
const StrictBillingOverviewSchema = deepStrict(BillingOverviewSchema);
type BillingOverview = z.infer<typeof StrictBillingOverviewSchema>;

const DAY_MS = 86_400_000;
const TODAY = Date.UTC(SEED_NOW.getUTCFullYear(), SEED_NOW.getUTCMonth(), SEED_NOW.getUTCDate());
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Money compared in cents, so float sums cannot blur a cent. */
const cents = (brl: number) => Math.round(brl * 100);

interface HistoryRow {
  tenant_id: string;
  status: string;
  cents: number;
  at: number;
}

/**
 * The billing figures of a window, recomputed in JS from the raw history rows (each row is the
 * tenant's state from `at` on), as an oracle independent of the endpoint's SQL.
 */
function expectedFromHistory(history: HistoryRow[], days: number) {
  const start = TODAY - days * DAY_MS;
  const byTenant = new Map<string, HistoryRow[]>();
  for (const row of history) byTenant.set(row.tenant_id, [...(byTenant.get(row.tenant_id) ?? []), row]);
  const mrrAt = (instant: number) => {
    let total = 0;
    for (const rows of byTenant.values()) {
      const latest = rows.filter((r) => r.at < instant).at(-1);
      if (latest?.status === 'active') total += latest.cents;
    }
    return total;
  };
  const inWindow = (at: number, from = start, to = TODAY) => at >= from && at < to;
  const activations: HistoryRow[] = [];
  const churns: HistoryRow[] = [];
  for (const rows of byTenant.values()) {
    const first = rows.find((r) => r.status === 'active');
    if (first) activations.push(first);
    rows.forEach((r, k) => {
      if (r.status === 'inactive' && k > 0 && rows[k - 1]!.status !== 'inactive') churns.push(r);
    });
  }
  const trend = Array.from({ length: days }, (_, i) => {
    const from = start + i * DAY_MS;
    return {
      date: day(from),
      mrr: mrrAt(from + DAY_MS),
      new_tenants: activations.filter((r) => inWindow(r.at, from, from + DAY_MS)).length,
      churned_tenants: churns.filter((r) => inWindow(r.at, from, from + DAY_MS)).length,
    };
  });
  const sum = (rows: HistoryRow[]) => rows.filter((r) => inWindow(r.at)).reduce((s, r) => s + r.cents, 0);
  return { trend, newMrr: sum(activations), churnedMrr: sum(churns), activations: activations.filter((r) => inWindow(r.at)).length, churns: churns.filter((r) => inWindow(r.at)).length };
}

describe.each(BACKENDS)('GET /internal/billing/overview on %s', (kind) => {
  let api: SeededApi;
  let history: HistoryRow[];
  let active: Array<{ plan: string; segment: string; cents: number }>;
  beforeAll(async () => {
    // Only Date is faked: the handlers' windows end yesterday, and the seeded data ends 2026-10-31.
    freezeDate();
    api = await startSeededApi(kind);
    history = await api.local.db.query<HistoryRow>(
      `SELECT tenant_id, status, CAST(mrr_estimate * 100 AS integer) AS cents, CAST(extract(epoch FROM changed_at) * 1000 AS float8) AS at
       FROM alquimista_platform.tenant_status_history ORDER BY tenant_id, changed_at, id`,
    );
    active = await api.local.db.query(
      `SELECT plan, segment, CAST(mrr_estimate * 100 AS integer) AS cents FROM alquimista_platform.tenants WHERE status = 'active'`,
    );
  }, 120_000);
  afterAll(async () => {
    jest.useRealTimers();
    await api?.stop();
  });

  const billing = async (query: Record<string, string> = {}): Promise<BillingOverview> => {
    const res = await api.invoke('getBillingOverview', { claims: api.claims.admin, query });
    expect(res.status).toBe(200);
    return StrictBillingOverviewSchema.parse(res.body);
  };

  test('an internal admin gets the billing overview of the last 30 days by default, in one Data API call', async () => {
    api.local.api.resetStats();

    const res = await api.invoke('getBillingOverview', { claims: api.claims.admin });

    expect(res.status).toBe(200);
    expect(res.headers['Cache-Control']).toBe('private, max-age=900');
    expect(api.local.api.stats().calls).toEqual({ ExecuteStatement: 1 });
    const body = StrictBillingOverviewSchema.parse(res.body);
    expect(body.period).toBe('30d');
    expect(body.revenue_trend[0]!.date).toBe('2026-10-02');
    expect(body.revenue_trend.at(-1)!.date).toBe('2026-10-31');
  });

  test('internal admins only: support and tenant roles refused, no claims unauthorised; period=1y is a 400 naming it', async () => {
    for (const [role, claims] of Object.entries(api.claims)) {
      const res = await api.invoke('getBillingOverview', { claims });
      expect([role, res.status]).toEqual([role, role === 'admin' ? 200 : 403]);
    }
    expect((await api.invoke('getBillingOverview', { claims: null })).status).toBe(401);

    const bad = await api.invoke('getBillingOverview', { claims: api.claims.admin, query: { period: '1y' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('"period"');
  });

  test('current MRR: active tenants only; ARR and the average follow; by plan (all three) and by segment add up to it', async () => {
    const body = await billing();
    const mrr = active.reduce((sum, t) => sum + t.cents, 0);
    const summary = body.financial_summary;

    expect(mrr).toBeGreaterThan(0);
    expect(cents(summary.total_mrr)).toBe(mrr);
    expect(cents(summary.total_arr)).toBe(12 * mrr);
    expect(cents(summary.avg_mrr_per_tenant)).toBe(Math.round(mrr / active.length));

    expect(body.by_plan.map((b) => b.plan_name).sort()).toEqual([...PLANS].sort());
    expect(body.by_segment.length).toBe(new Set(active.map((t) => t.segment)).size);
    for (const breakdown of [body.by_plan, body.by_segment]) {
      expect(breakdown.reduce((sum, b) => sum + cents(b.total_mrr), 0)).toBe(mrr);
      expect(breakdown.reduce((sum, b) => sum + b.tenant_count, 0)).toBe(active.length);
      const totals = breakdown.map((b) => b.total_mrr);
      expect(totals).toEqual([...totals].sort((a, b) => b - a));
    }
    for (const plan of body.by_plan) {
      const own = active.filter((t) => t.plan === plan.plan_name);
      expect([plan.plan_name, plan.tenant_count, cents(plan.total_mrr)]).toEqual([plan.plan_name, own.length, own.reduce((s, t) => s + t.cents, 0)]);
    }
    for (const segment of body.by_segment) {
      const own = active.filter((t) => t.segment === segment.segment);
      expect([segment.segment, segment.tenant_count, cents(segment.total_mrr)]).toEqual([segment.segment, own.length, own.reduce((s, t) => s + t.cents, 0)]);
    }
  });

  test('a plan with no active tenant is still listed, with zeros', async () => {
    const moved = await api.local.db.query<{ id: string }>(
      `UPDATE alquimista_platform.tenants SET status = 'suspended' WHERE plan = 'enterprise' AND status = 'active' RETURNING id`,
    );
    try {
      expect(moved.length).toBeGreaterThan(0);
      const body = await billing();
      expect(body.by_plan.map((b) => b.plan_name).sort()).toEqual([...PLANS].sort());
      expect(body.by_plan.at(-1)).toEqual({ plan_name: 'enterprise', tenant_count: 0, total_mrr: 0 });
      expect(body.by_segment.reduce((sum, b) => sum + cents(b.total_mrr), 0)).toBe(cents(body.financial_summary.total_mrr));
    } finally {
      await api.local.db.execute(`UPDATE alquimista_platform.tenants SET status = 'active' WHERE id = ANY(CAST(:ids AS uuid[]))`, {
        ids: p.uuidList(moved.map((r) => r.id)),
      });
    }
  });

  test.each([
    ['7d', 7],
    ['30d', 30],
    ['90d', 90],
  ] as const)('%s: new and churned MRR and the daily revenue trend follow the status history', async (period, n) => {
    const body = await billing({ period });
    const expected = expectedFromHistory(history, n);

    expect(body.period).toBe(period);
    expect(cents(body.financial_summary.new_mrr_this_period)).toBe(expected.newMrr);
    expect(cents(body.financial_summary.churned_mrr_this_period)).toBe(expected.churnedMrr);
    expect(body.revenue_trend.map((d) => ({ ...d, mrr: cents(d.mrr) }))).toEqual(expected.trend);
    expect(body.revenue_trend.reduce((s, d) => s + d.new_tenants, 0)).toBe(expected.activations);
    expect(body.revenue_trend.reduce((s, d) => s + d.churned_tenants, 0)).toBe(expected.churns);

    // The seed's tenants agree with their history (all of it before today), so the trend ends at today's MRR.
    expect(body.revenue_trend.at(-1)!.mrr).toBe(body.financial_summary.total_mrr);
  });

  test('the seed shows movement: churn in every window, activations in the 30- and 90-day ones', async () => {
    const [d7, d30, d90] = await Promise.all([billing({ period: '7d' }), billing({ period: '30d' }), billing({ period: '90d' })]);
    expect(d7.financial_summary.churned_mrr_this_period).toBeGreaterThan(0);
    expect(d30.financial_summary.churned_mrr_this_period).toBeGreaterThan(0);
    expect(d30.financial_summary.new_mrr_this_period).toBeGreaterThan(0);
    expect(d90.financial_summary.new_mrr_this_period).toBeGreaterThan(d30.financial_summary.new_mrr_this_period);
    expect(new Set(d90.revenue_trend.map((d) => d.mrr)).size).toBeGreaterThan(1);
  });
});
