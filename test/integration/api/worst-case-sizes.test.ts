import { LIST_LIMITS, TEXT_LIMITS } from '@shared/bounds';
import { p } from '@shared/db';
import { ROUTES, type RouteId } from '@lambda/routes';
import { BACKENDS } from '../../support/local-db';
import { SEED_NOW, startSeededApi, type SeededApi } from '../../support/api';

const S = 'alquimista_platform';
/** Four bytes in UTF-8, one character to PostgreSQL's char_length and to the bounds: the largest a character gets. */
const WIDE = '😀';
const wide = (chars: number) => WIDE.repeat(chars);
const DAY = new Date(SEED_NOW.getTime() - 86_400_000).toISOString().slice(0, 10);

/**
 * Issue 18, every read bounded by construction: each read route against the strict local Data API
 * (64 KB per row, 1 MiB per response) with its largest page and every text at its maximum length,
 * in the widest characters. Before, most of these answered 500 (a row or a response too large).
 */
describe.each(BACKENDS)('worst-case sizes on %s', (kind) => {
  let api: SeededApi;
  let tenant: string;

  beforeAll(async () => {
    api = await startSeededApi(kind, { tenants: 4 });
    const db = api.local.db;
    // One tenant with the longest everything, and enough tenants with the longest names for a full page.
    await db.execute(
      `INSERT INTO ${S}.tenants (name, cnpj, segment, plan, status, mrr_estimate)
       SELECT :prefix || lpad(g::text, 3, '0'), lpad((90000000000000 + g)::text, 14, '0'), 'varejo', 'enterprise', 'active', 9999999999.99
       FROM generate_series(1, ${LIST_LIMITS.tenantsPage}) g`,
      { prefix: p.text(wide(TEXT_LIMITS.name - 3)) },
    );
    tenant = (await db.one<{ id: string }>(`SELECT id FROM ${S}.tenants WHERE cnpj = '90000000000001'`))!.id;
    const agents = LIST_LIMITS.tenantAgents + 10;
    await db.execute(
      `INSERT INTO ${S}.agents (name, segment, description)
       SELECT :prefix || lpad(g::text, 3, '0'), 'varejo', 'x' FROM generate_series(1, ${agents}) g`,
      { prefix: p.text(wide(TEXT_LIMITS.name - 3)) },
    );
    // The largest configuration a tenant agent may hold: a JSON object of exactly the limit in bytes.
    const config = JSON.stringify({ prompt: 'x'.repeat(TEXT_LIMITS.agentConfigBytes - 14) });
    await db.execute(
      `INSERT INTO ${S}.tenant_agents (tenant_id, agent_id, status, config)
       SELECT :tenant, a.id, 'active', CAST(:config AS jsonb) FROM ${S}.agents a WHERE a.name LIKE :pattern`,
      { tenant: p.uuid(tenant), config: p.text(config), pattern: p.text(`${WIDE}%`) },
    );
    expect((await db.one<{ bytes: number }>(`SELECT max(octet_length(config::text))::int AS bytes FROM ${S}.tenant_agents WHERE tenant_id = :t`, { t: p.uuid(tenant) }))!.bytes).toBe(
      TEXT_LIMITS.agentConfigBytes,
    );
    await db.execute(
      `INSERT INTO ${S}.tenant_usage_daily (tenant_id, agent_id, date, total_requests, successful_requests, failed_requests, avg_response_time_ms)
       SELECT ta.tenant_id, ta.agent_id, :day, 2147483647, 2147483647, 0, 2147483647 FROM ${S}.tenant_agents ta WHERE ta.tenant_id = :t`,
      { t: p.uuid(tenant), day: p.date(DAY) },
    );
    await db.execute(
      `INSERT INTO ${S}.tenant_users (tenant_id, cognito_sub, email, full_name, role)
       SELECT :t, 'worst-' || g, lpad(g::text, ${TEXT_LIMITS.email - 12}, 'a') || '@example.com', :name, 'USER'
       FROM generate_series(1, ${LIST_LIMITS.detailUsers + 10}) g`,
      { t: p.uuid(tenant), name: p.text(wide(TEXT_LIMITS.name)) },
    );
    await db.execute(
      `INSERT INTO ${S}.tenant_integrations (tenant_id, integration_type, integration_name, status, last_error)
       SELECT :t, 'crm', :name || lpad(g::text, 3, '0'), 'error', :error FROM generate_series(1, ${LIST_LIMITS.tenantIntegrations + 10}) g`,
      { t: p.uuid(tenant), name: p.text(wide(TEXT_LIMITS.name - 3)), error: p.text(`"\\${wide(TEXT_LIMITS.lastError - 2)}`) },
    );
    await db.execute(
      `INSERT INTO ${S}.operational_events (event_type, severity, tenant_id, title, description, created_at)
       SELECT 'incident', 'critical', :t, :title, :description, now() - g * interval '1 minute' FROM generate_series(1, ${LIST_LIMITS.incidentsPage + 10}) g`,
      { t: p.uuid(tenant), title: p.text(wide(TEXT_LIMITS.title)), description: p.text(`"\\\n${wide(TEXT_LIMITS.description - 3)}`) },
    );
  }, 300_000);
  afterAll(async () => {
    await api?.stop();
  });

  const big = (id: RouteId, query: Record<string, string> = {}, pathParameters?: Record<string, string>) =>
    api.invoke(id, { claims: api.claims.admin, query, pathParameters });

  test.each([
    ['listTenants', () => big('listTenants', { limit: String(LIST_LIMITS.tenantsPage), search: WIDE }), (b: any) => b.tenants.length === LIST_LIMITS.tenantsPage],
    ['getTenantDetail', () => big('getTenantDetail', {}, { id: tenant }), (b: any) => b.users.length === LIST_LIMITS.detailUsers && b.users_total === LIST_LIMITS.detailUsers + 10 && b.agents_total > LIST_LIMITS.detailAgents],
    ['listTenantAgentsInternal', () => big('listTenantAgentsInternal', { limit: String(LIST_LIMITS.internalAgentsPage) }, { id: tenant }), (b: any) => b.agents.length === LIST_LIMITS.internalAgentsPage],
    ['listTenantAgents', () => big('listTenantAgents', { tenant_id: tenant, status: 'all' }), (b: any) => b.agents.length === LIST_LIMITS.tenantAgents && b.total === LIST_LIMITS.tenantAgents + 10],
    ['listTenantIntegrations', () => big('listTenantIntegrations', { tenant_id: tenant }), (b: any) => b.integrations.length === LIST_LIMITS.tenantIntegrations && b.total === LIST_LIMITS.tenantIntegrations + 10],
    ['listTenantIncidents', () => big('listTenantIncidents', { tenant_id: tenant, limit: String(LIST_LIMITS.incidentsPage) }), (b: any) => b.incidents.length === LIST_LIMITS.incidentsPage],
    ['getTenantUsage', () => big('getTenantUsage', { tenant_id: tenant, period: '90d' }), (b: any) => b.daily_data.length === 90 && b.by_agent.length === LIST_LIMITS.usageByAgent],
    ['getTenantMe', () => big('getTenantMe', { tenant_id: tenant }), (b: any) => [...b.name].length === TEXT_LIMITS.name],
    ['getUsageOverview', () => big('getUsageOverview', { period: '90d' }), (b: any) => b.daily_trends.length === 90],
    ['getBillingOverview', () => big('getBillingOverview', { period: '90d' }), (b: any) => b.revenue_trend.length === 90],
  ])('%s answers its largest response within the Data API limits', async (_, call, full) => {
    const res = await call();
    expect({ status: res.status, body: res.status === 200 ? 'ok' : res.body }).toEqual({ status: 200, body: 'ok' });
    expect(full(res.body)).toBe(true);
  });

  test('every read route of the manifest is covered above', () => {
    const covered = ['listTenants', 'getTenantDetail', 'listTenantAgentsInternal', 'listTenantAgents', 'listTenantIntegrations', 'listTenantIncidents', 'getTenantUsage', 'getTenantMe', 'getUsageOverview', 'getBillingOverview'];
    // listOperationalCommands reads DynamoDB; its Aurora call reads at most 100 short names (one row each).
    expect(ROUTES.filter((r) => r.method === 'GET' && r.id !== 'listOperationalCommands').map((r) => r.id).sort()).toEqual(covered.sort());
  });

  test.each([
    ['a tenant name', `UPDATE ${S}.tenants SET name = :v WHERE id = :t`, () => wide(TEXT_LIMITS.name + 1)],
    ['a tenant name with a control character', `UPDATE ${S}.tenants SET name = :v WHERE id = :t`, () => 'A\u0007B'],
    ['an incident description', `UPDATE ${S}.operational_events SET description = :v WHERE tenant_id = :t AND event_type = 'incident'`, () => 'x'.repeat(TEXT_LIMITS.description + 1)],
    ['an integration error', `UPDATE ${S}.tenant_integrations SET last_error = :v WHERE tenant_id = :t`, () => 'x'.repeat(TEXT_LIMITS.lastError + 1)],
    ['an agent configuration', `UPDATE ${S}.tenant_agents SET config = CAST(:v AS jsonb) WHERE tenant_id = :t`, () => JSON.stringify({ prompt: 'x'.repeat(TEXT_LIMITS.agentConfigBytes) })],
    ['a user e-mail', `UPDATE ${S}.tenant_users SET email = :v WHERE tenant_id = :t`, () => `${'a'.repeat(TEXT_LIMITS.email)}@x.io`],
  ])('the database refuses %s past its bound (the bounds of lambda/shared/bounds.ts are the stored ones)', async (_, sql, value) => {
    await expect(api.local.db.execute(sql, { v: p.text(value()), t: p.uuid(tenant) })).rejects.toMatchObject({ status: expect.any(Number) });
  });
});
