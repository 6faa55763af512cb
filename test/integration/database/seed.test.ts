import { migrate } from '@database/migrate';
import { isValidCnpj, seedDemoData, type SeedReport } from '@database/seed';
import type { LocalDatabase } from '@local/data-api';
import { BACKENDS, startTestDatabase } from '../../support/local-db';

const S = 'alquimista_platform';

describe.each(BACKENDS)('demo data on %s', (kind) => {
  let local: LocalDatabase;
  let report: SeedReport;

  beforeAll(async () => {
    local = await startTestDatabase(kind);
    await migrate(local.db);
    // WHEN the default-size seed runs through the Data API
    report = await seedDemoData(local.db, { now: new Date('2026-11-01T12:00:00Z') });
  }, 120_000);
  afterAll(async () => local?.stop());

  test('the default size completes with ~50 tenants and ~200k requests over 90 days', () => {
    expect(report.counts.tenants).toBe(50);
    expect(report.counts.agent_requests).toBeGreaterThan(190_000);
    expect(report.counts.agent_requests).toBeLessThan(210_000);
    expect(report.window).toEqual({ from: '2026-08-03', to: '2026-10-31' });
  });

  test('every CNPJ has valid check digits', async () => {
    const rows = await local.db.query<{ cnpj: string }>(`SELECT cnpj FROM ${S}.tenants`);
    expect(rows.every((r) => isValidCnpj(r.cnpj))).toBe(true);
  });

  test('daily usage equals the raw requests it was aggregated from', async () => {
    const [row] = await local.db.query<{ raw: number; usage: number; raw_errors: number; usage_errors: number }>(
      `SELECT (SELECT count(*) FROM ${S}.agent_requests)::int AS raw,
              (SELECT sum(total_requests) FROM ${S}.tenant_usage_daily)::int AS usage,
              (SELECT count(*) FROM ${S}.agent_requests WHERE status = 'error')::int AS raw_errors,
              (SELECT sum(failed_requests) FROM ${S}.tenant_usage_daily)::int AS usage_errors`,
    );
    expect(row!.usage).toBe(row!.raw);
    expect(row!.usage_errors).toBe(row!.raw_errors);
  });

  test('demo tenant users are linked to their tenants by sub, two tenants, both roles', async () => {
    const tenantUsers = report.demoUsers.filter((u) => u.tenantId);
    const rows = await local.db.query<{ cognito_sub: string; tenant_id: string; role: string }>(
      `SELECT cognito_sub, tenant_id, role FROM ${S}.tenant_users WHERE cognito_sub = ANY(CAST(:subs AS text[]))`,
      { subs: { value: { stringValue: `{${tenantUsers.map((u) => u.sub).join(',')}}` } } },
    );
    expect(rows).toHaveLength(tenantUsers.length);
    expect(new Set(rows.map((r) => r.tenant_id)).size).toBe(2);
    expect(new Set(rows.map((r) => r.role))).toEqual(new Set(['ADMIN', 'USER']));
    expect(report.demoUsers.some((u) => u.groups.includes('INTERNAL_ADMIN') && !u.tenantId)).toBe(true);
  });

  test('the same options give the same data', async () => {
    const fingerprint = () =>
      local.db.one<{ t: string; r: string }>(
        `SELECT md5(string_agg(id::text || cnpj || name, ',' ORDER BY id)) AS t,
                (SELECT md5(string_agg(tenant_id::text || status || response_time_ms, ',' ORDER BY id)) FROM ${S}.agent_requests WHERE id <= 5000) AS r
         FROM ${S}.tenants`,
      );
    const before = await fingerprint();
    await seedDemoData(local.db, { now: new Date('2026-11-01T12:00:00Z'), reset: true, days: 3 });
    const after = await fingerprint();
    expect(after!.t).toBe(before!.t);
  });
});
