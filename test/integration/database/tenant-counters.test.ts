import { migrate } from '@database/migrate';
import { type Db, p } from '@shared/db';
import type { LocalDatabase } from '@local/data-api';
import { BACKENDS, startTestDatabase } from '../../support/local-db';

const S = 'alquimista_platform';
const T1 = '30000000-0000-4000-8000-000000000001';
const T2 = '30000000-0000-4000-8000-000000000002';
const T3 = '30000000-0000-4000-8000-000000000003';
const A1 = '40000000-0000-4000-8000-000000000001';
const A2 = '40000000-0000-4000-8000-000000000002';

/**
 * The counters behind GET /internal/tenants (migration 0006), kept by triggers: after every kind
 * of write they must equal what counting the tables says.
 */
describe.each(BACKENDS)('tenant list counters on %s', (kind) => {
  let local: LocalDatabase;
  let db: Db;

  beforeAll(async () => {
    local = await startTestDatabase(kind);
    db = local.db;
    await migrate(db);
    await db.execute(`INSERT INTO ${S}.agents (id, name, segment, description) VALUES (:a1, 'Agente A', 'geral', 'a'), (:a2, 'Agente B', 'geral', 'b')`, {
      a1: p.uuid(A1),
      a2: p.uuid(A2),
    });
  }, 120_000);
  afterAll(async () => local?.stop());

  /** tenant_counts (non-zero groups) and what grouping tenants gives. */
  async function tenantCounts() {
    const kept = await db.query(`SELECT status, plan, segment, tenants::int AS n FROM ${S}.tenant_counts WHERE tenants <> 0 ORDER BY 1, 2, 3`);
    const truth = await db.query(`SELECT status, plan, segment, count(*)::int AS n FROM ${S}.tenants GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);
    return { kept, truth };
  }
  /** tenant_member_counts (non-zero rows) and what counting agents and users gives, per tenant. */
  async function memberCounts() {
    const kept = await db.query(
      `SELECT tenant_id, active_agents, users FROM ${S}.tenant_member_counts WHERE active_agents <> 0 OR users <> 0 ORDER BY 1`,
    );
    const truth = await db.query(
      `SELECT t.id AS tenant_id,
              (SELECT count(*) FROM ${S}.tenant_agents ta WHERE ta.tenant_id = t.id AND ta.status = 'active')::int AS active_agents,
              (SELECT count(*) FROM ${S}.tenant_users tu WHERE tu.tenant_id = t.id)::int AS users
       FROM ${S}.tenants t ORDER BY 1`,
    );
    return { kept, truth: truth.filter((r) => r.active_agents !== 0 || r.users !== 0) };
  }
  async function expectInStep(): Promise<void> {
    const tenants = await tenantCounts();
    expect(tenants.kept).toEqual(tenants.truth);
    const members = await memberCounts();
    expect(members.kept).toEqual(members.truth);
  }

  test('they follow inserts, updates, deletes (cascaded too) and truncates, whatever the statement size', async () => {
    await db.execute(
      `INSERT INTO ${S}.tenants (id, name, cnpj, segment, plan, mrr_estimate) VALUES
         (:t1, 'Um', '11222333000181', 'varejo', 'starter', 497),
         (:t2, 'Dois', '11444777000161', 'varejo', 'starter', 497),
         (:t3, 'Três', '45723174000110', 'saude', 'professional', 1497)`,
      { t1: p.uuid(T1), t2: p.uuid(T2), t3: p.uuid(T3) },
    );
    await expectInStep();
    expect((await tenantCounts()).kept).toContainEqual({ status: 'active', plan: 'starter', segment: 'varejo', n: 2 });

    // A status change moves a tenant between groups; a change of anything else moves nothing.
    await db.execute(`UPDATE ${S}.tenants SET status = 'suspended' WHERE id = :t`, { t: p.uuid(T2) });
    await db.execute(`UPDATE ${S}.tenants SET mrr_estimate = mrr_estimate + 1`);
    await db.execute(`UPDATE ${S}.tenants SET plan = 'enterprise', segment = 'juridico' WHERE id = :t`, { t: p.uuid(T3) });
    await expectInStep();

    await db.execute(
      `INSERT INTO ${S}.tenant_agents (tenant_id, agent_id, status) VALUES (:t1, :a1, 'active'), (:t1, :a2, 'inactive'), (:t2, :a1, 'active'), (:t3, :a2, 'active')`,
      { t1: p.uuid(T1), t2: p.uuid(T2), t3: p.uuid(T3), a1: p.uuid(A1), a2: p.uuid(A2) },
    );
    await db.execute(
      `INSERT INTO ${S}.tenant_users (tenant_id, cognito_sub, email, role)
       SELECT t, 'sub-' || t || '-' || g, 'u' || g || '@' || left(t::text, 8) || '.example', 'USER'
       FROM unnest(CAST(:ids AS uuid[])) AS t CROSS JOIN generate_series(1, 3) AS g`,
      { ids: p.textList([T1, T2, T3]) },
    );
    await expectInStep();
    expect((await memberCounts()).kept).toContainEqual({ tenant_id: T1, active_agents: 1, users: 3 });

    await db.execute(`UPDATE ${S}.tenant_agents SET status = CASE status WHEN 'active' THEN 'suspended' ELSE 'active' END WHERE tenant_id = :t`, { t: p.uuid(T1) });
    await db.execute(`DELETE FROM ${S}.tenant_users WHERE tenant_id = :t AND email LIKE 'u1@%'`, { t: p.uuid(T1) });
    await expectInStep();
    expect((await memberCounts()).kept).toContainEqual({ tenant_id: T1, active_agents: 1, users: 2 });

    // Row-level since 0007: an agent moved to another tenant, a status and a tenant changed in
    // one statement, and the nightly kind of update that changes neither.
    await db.execute(`UPDATE ${S}.tenant_agents SET tenant_id = :t2 WHERE tenant_id = :t1 AND agent_id = :a2`, { t1: p.uuid(T1), t2: p.uuid(T2), a2: p.uuid(A2) });
    await expectInStep();
    await db.execute(`UPDATE ${S}.tenant_agents SET tenant_id = :t1, status = 'inactive' WHERE tenant_id = :t2 AND agent_id = :a2`, { t1: p.uuid(T1), t2: p.uuid(T2), a2: p.uuid(A2) });
    await db.execute(`UPDATE ${S}.tenant_agents SET last_request_at = now(), config = '{"nightly": true}'`);
    await expectInStep();

    // …and that last kind runs no count trigger at all (0006's statement-level one ran on every
    // update of tenant_agents): the function calls of this transaction, as the statistics count them.
    const countTriggerCalls = await db.transaction(async (tx) => {
      await tx.query(`SELECT set_config('track_functions', 'pl', true)`);
      await tx.execute(`UPDATE ${S}.tenant_agents SET last_request_at = now()`);
      return tx.one<{ calls: number }>(
        `SELECT coalesce(sum(calls), 0)::int AS calls FROM pg_stat_xact_user_functions WHERE schemaname = '${S}' AND funcname LIKE 'tenant_agents_count%'`,
      );
    });
    expect(countTriggerCalls).toEqual({ calls: 0 });

    // A rolled-back statement leaves them as they were.
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(`DELETE FROM ${S}.tenant_users`);
        await tx.execute(`INSERT INTO ${S}.tenants (name, cnpj, segment, plan) VALUES ('Rollback', '11222333000181', 'varejo', 'starter')`); // duplicate CNPJ
      }),
    ).rejects.toThrow();
    await expectInStep();

    // Deleting a tenant cascades to its agents and users: every counter follows.
    await db.execute(`DELETE FROM ${S}.tenants WHERE id = :t`, { t: p.uuid(T2) });
    await expectInStep();
    expect((await memberCounts()).kept.map((r) => r.tenant_id)).not.toContain(T2);

    await db.execute(`TRUNCATE ${S}.tenant_users, ${S}.tenant_agents`);
    await expectInStep();
    expect((await memberCounts()).kept).toEqual([]);
    await db.execute(`TRUNCATE ${S}.tenant_usage_last_30_days, ${S}.tenants CASCADE`);
    await expectInStep();
    expect((await tenantCounts()).kept).toEqual([]);
  });
});
