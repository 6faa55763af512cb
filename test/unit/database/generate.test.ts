import { isValidCnpj } from '@database/seed/cnpj';
import { DEMO_USERS } from '@database/seed/demo-users';
import { generateDemoData, type GenerateOptions, type SeedPlan } from '@database/seed/generate';
import { tenantIdFor } from '@database/seed/ids';

// The generator reads plans from the database; these stand in for the migration's rows.
const PLANS: SeedPlan[] = [
  { code: 'starter', maxAgents: 3, maxUsers: 5, maxRequestsPerMonth: 30_000, priceMonthly: 497 },
  { code: 'professional', maxAgents: 8, maxUsers: 20, maxRequestsPerMonth: 150_000, priceMonthly: 1497 },
  { code: 'enterprise', maxAgents: 20, maxUsers: 100, maxRequestsPerMonth: 1_000_000, priceMonthly: 4990 },
];
const NOW = new Date('2025-06-15T13:45:00Z');
const TODAY = Date.parse('2025-06-15T00:00:00Z');
const options = (overrides: Partial<GenerateOptions> = {}): GenerateOptions => ({ tenants: 40, days: 90, seed: 42, now: NOW, ...overrides });

describe('generateDemoData', () => {
  it('gives the same rows, ids included, for the same options', () => {
    // WHEN the same options are generated twice
    const a = generateDemoData(PLANS, options());
    const b = generateDemoData(PLANS, options());

    // THEN everything is equal
    expect(b).toEqual(a);
    expect(a.tenants[0]!.id).toBe(tenantIdFor(42, 0));
  });

  it('gives different tenants for a different seed', () => {
    const a = generateDemoData(PLANS, options({ seed: 42 }));
    const b = generateDemoData(PLANS, options({ seed: 43 }));

    const idsA = new Set(a.tenants.map((t) => t.id));
    expect(b.tenants.some((t) => idsA.has(t.id))).toBe(false);
    expect(b.tenants.map((t) => t.name)).not.toEqual(a.tenants.map((t) => t.name));
    expect(b.tenants.map((t) => t.cnpj)).not.toEqual(a.tenants.map((t) => t.cnpj));
  });

  it('generates tenant N the same way whatever the number of tenants', () => {
    const small = generateDemoData(PLANS, options({ tenants: 10 }));
    const large = generateDemoData(PLANS, options({ tenants: 40 }));

    expect(large.tenants.slice(0, 10)).toEqual(small.tenants);
    const firstTen = new Set(small.tenants.map((t) => t.id));
    expect(large.users.filter((u) => firstTen.has(u.tenant_id))).toEqual(small.users);
  });

  it('produces valid, unique CNPJs and plan-consistent MRR', () => {
    const data = generateDemoData(PLANS, options({ tenants: 200 }));
    const price = new Map(PLANS.map((p) => [p.code, p.priceMonthly]));

    expect(new Set(data.tenants.map((t) => t.cnpj)).size).toBe(data.tenants.length);
    for (const tenant of data.tenants) {
      expect(isValidCnpj(tenant.cnpj)).toBe(true);
      expect(tenant.mrr_estimate).toBeLessThanOrEqual(price.get(tenant.plan)!);
      expect(tenant.mrr_estimate).toBeGreaterThanOrEqual(price.get(tenant.plan)! * 0.85 - 0.01);
    }
  });

  it('keeps each tenant within its plan and its history consistent with its status', () => {
    const data = generateDemoData(PLANS, options({ tenants: 200 }));
    const plan = new Map(PLANS.map((p) => [p.code, p]));

    for (const tenant of data.tenants) {
      const users = data.users.filter((u) => u.tenant_id === tenant.id);
      const agents = data.tenantAgents.filter((a) => a.tenant_id === tenant.id);
      const history = data.statusHistory.filter((h) => h.tenant_id === tenant.id);
      expect(users.length).toBeGreaterThanOrEqual(2);
      expect(users.length).toBeLessThanOrEqual(Math.min(8, plan.get(tenant.plan)!.maxUsers));
      expect(users.some((u) => u.role === 'ADMIN')).toBe(true);
      expect(agents.length).toBeGreaterThanOrEqual(1);
      expect(agents.length).toBeLessThanOrEqual(plan.get(tenant.plan)!.maxAgents);
      expect(history[0]!.status).toBe('active');
      expect(history[0]!.changed_at).toBe(tenant.activated_at);
      expect(history[history.length - 1]!.status).toBe(tenant.status);
      expect(history[history.length - 1]!.plan).toBe(tenant.plan);
      expect(tenant.churned_at !== null).toBe(tenant.status === 'inactive');
    }
    const statuses = new Set(data.tenants.map((t) => t.status));
    expect([...statuses].sort()).toEqual(['active', 'inactive', 'suspended']);
  });

  it('ends every timestamp before the UTC day of `now`', () => {
    const data = generateDemoData(PLANS, options());
    const rows: object[] = [...data.tenants, ...data.statusHistory, ...data.users, ...data.tenantAgents, ...data.integrations, ...data.events];
    for (const row of rows) {
      for (const [key, value] of Object.entries(row)) {
        if (/_at$/.test(key) && value !== null) expect(Date.parse(value as string)).toBeLessThan(TODAY);
      }
    }
  });

  it('puts the demo tenant people on tenants 0 and 1 with their fixed subs', () => {
    const data = generateDemoData(PLANS, options());

    for (const demo of DEMO_USERS.filter((u) => u.tenantIndex !== null)) {
      const row = data.users.find((u) => u.cognito_sub === demo.sub);
      expect(row).toMatchObject({ tenant_id: tenantIdFor(42, demo.tenantIndex!), email: demo.email });
    }
    expect(data.tenants[0]!.status).toBe('active');
    expect(data.tenants[1]!.status).toBe('active');
  });

  it('marks some tenants as troubled and gives integrations errors and secret ARNs', () => {
    const data = generateDemoData(PLANS, options());

    expect(data.troubledTenantIds).toContain(tenantIdFor(42, 2));
    const failing = data.integrations.filter((i) => i.status === 'error');
    expect(failing.length).toBeGreaterThan(0);
    expect(failing.every((i) => typeof i.last_error === 'string' && i.last_error.length > 0)).toBe(true);
    for (const integration of data.integrations.filter((i) => i.credentials_secret_arn !== null)) {
      expect(integration.credentials_secret_arn).toBe(
        `arn:aws:secretsmanager:us-east-1:000000000000:secret:painel/tenant/${integration.tenant_id}/${integration.integration_type}`,
      );
    }
    expect(data.events.some((e) => e.event_type === 'incident' && e.resolved_at === null)).toBe(true);
    expect(data.events.some((e) => e.event_type === 'incident' && e.resolved_at !== null)).toBe(true);
  });

  it('refuses to run without the three plans', () => {
    expect(() => generateDemoData(PLANS.slice(0, 2), options())).toThrow(/enterprise/);
  });
});
