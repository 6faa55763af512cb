import { ListSecretVersionIdsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { COMMAND_SWEEPER } from '@lambda/commands/declaration';
import type { CommandDeps } from '@lambda/commands/deps';
import type { StoredCommand } from '@lambda/commands/schemas';
import { sweepCommands } from '@lambda/commands/sweep';
import { p } from '@shared/db';
import type { ApiHandler } from '@shared/http/handler';
import { LOCAL_CREDENTIALS, REGION } from '@local/config';
import { startSeededApi, type EventSourceMapping, type SeededApi } from '../../support/api';
import { apiEvent } from '../../support/events';
import { startFaultProxy, type Fault, type FaultProxy, type ProxiedCall } from '../../support/fault-proxy';
import { openApiErrors } from '../../support/openapi';

/**
 * Nothing happens without its record (issue 19): operational commands under injected faults. The
 * real handlers and SDK clients talk to the local stand-ins through proxies that cut connections
 * before a call reaches the service ("drop") or after it ran ("lose": the caller cannot know, and
 * its SDK retries). Embedded PGlite only: the property is about the code's protocol, the same on
 * both backends.
 */
const S = 'alquimista_platform';
/** The seeded failed requests lie in this window (the seed ends on 2026-10-31). */
const WINDOW = { from: '2026-10-25T00:00:00Z', to: '2026-11-01T00:00:00Z' };
const isAuditInsert = (call: ProxiedCall, eventTypes: string[]) =>
  call.operation === '/Execute' && call.body.includes(`INSERT INTO ${S}.operational_events`) && eventTypes.some((type) => call.body.includes(`"${type}"`));

/** A small seeded PRNG (mulberry32): the same faults on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('operational commands under injected faults (PGlite)', () => {
  let api: SeededApi;
  let proxies: { data: FaultProxy; dynamo: FaultProxy; secrets: FaultProxy };
  /** The rule every proxy applies; each test sets its own. */
  let rule: (call: ProxiedCall, service: 'data' | 'dynamo' | 'secrets') => Fault = () => 'pass';
  let faulty: Record<string, string>;
  let createHandler: ApiHandler;
  let processor: EventSourceMapping;
  let deps: CommandDeps;
  let doc: DynamoDBDocumentClient;
  let secrets: SecretsManagerClient;

  beforeAll(async () => {
    // A transaction whose BeginTransaction answer was lost idles out after 2 s here (3 minutes on
    // AWS, where it holds no lock; the embedded database has one connection, which it would hold).
    api = await startSeededApi('pglite', {}, { transactionIdleMs: 2000 });
    proxies = {
      data: await startFaultProxy(api.env.AWS_ENDPOINT_URL_RDS_DATA!, (call) => rule(call, 'data')),
      dynamo: await startFaultProxy(api.env.AWS_ENDPOINT_URL_DYNAMODB!, (call) => rule(call, 'dynamo')),
      secrets: await startFaultProxy(api.env.AWS_ENDPOINT_URL_SECRETS_MANAGER!, (call) => rule(call, 'secrets')),
    };
    faulty = { AWS_ENDPOINT_URL_RDS_DATA: proxies.data.url, AWS_ENDPOINT_URL_DYNAMODB: proxies.dynamo.url, AWS_ENDPOINT_URL_SECRETS_MANAGER: proxies.secrets.url };
    createHandler = api.loadModule<{ handler: ApiHandler }>('internal/create-command.ts', faulty).handler;
    deps = api.loadModule<{ commandDeps: () => CommandDeps }>('commands/processor-deps.ts', faulty).commandDeps();
    // Lambda's retries of a failed record, then the on-failure destination (the sweeper takes over).
    processor = api.startProcessor(faulty, { retryAttempts: 2 });
    doc = DynamoDBDocumentClient.from(api.dynamo.client);
    secrets = new SecretsManagerClient({ endpoint: api.secretsEndpoint, region: REGION, credentials: LOCAL_CREDENTIALS });
  }, 180_000);
  afterAll(async () => {
    rule = () => 'pass';
    secrets?.destroy();
    await api?.stop();
    for (const proxy of Object.values(proxies ?? {})) await proxy.stop();
  });

  const create = async (body: unknown, key?: string) => {
    const res = await createHandler(apiEvent({ method: 'POST', path: '/internal/operations/commands', claims: api.claims.support, body, headers: key ? { 'Idempotency-Key': key } : {} }));
    return { status: res.statusCode, body: JSON.parse(res.body) };
  };
  const allCommands = async () => {
    const items: StoredCommand[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: api.env.COMMANDS_TABLE, ExclusiveStartKey: start, ConsistentRead: true }));
      items.push(...((page.Items ?? []) as StoredCommand[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  };
  const auditRows = () =>
    api.local.db.query<{ command_id: string; event_type: string }>(`SELECT CAST(command_id AS text) AS command_id, event_type FROM ${S}.operational_events WHERE command_id IS NOT NULL`);
  const restartCounts = async () =>
    new Map(
      (await api.local.db.query<{ key: string; n: number }>(`SELECT tenant_id || '/' || agent_id AS key, restart_count AS n FROM ${S}.tenant_agents WHERE tenant_id IN (:a, :b)`, { a: p.uuid(api.tenantA), b: p.uuid(api.tenantB) })).map(
        (row) => [row.key, row.n],
      ),
    );
  const agentsOf = async (tenantId: string) =>
    (await api.local.db.query<{ agent_id: string }>(`SELECT agent_id FROM ${S}.tenant_agents WHERE tenant_id = :t AND status <> 'suspended' ORDER BY agent_id LIMIT 2`, { t: p.uuid(tenantId) })).map((r) => r.agent_id);
  const integrationsOf = async (tenantId: string) =>
    (await api.local.db.query<{ id: string }>(`SELECT id FROM ${S}.tenant_integrations WHERE tenant_id = :t ORDER BY id LIMIT 2`, { t: p.uuid(tenantId) })).map((r) => r.id);
  /** Sweeps as the schedule would, `minutesLater` after now, until nothing is left to settle (or `rounds` sweeps). */
  const sweepUntilSettled = async (minutesLater: number, rounds: number) => {
    for (let round = 0; round < rounds; round++) {
      const clock = new Date(Date.now() + (minutesLater + round * 5) * 60_000);
      const report = await sweepCommands({ ...deps, now: () => clock }).catch(() => undefined);
      if (report && report.redriven + report.timedOut + report.abandoned + report.unstored + report.failed === 0) return;
    }
  };

  test('the audit row of a creation cannot be written: a clear 503, nothing stored or run; a retry, with or without Idempotency-Key, runs it exactly once', async () => {
    const [agentId] = await agentsOf(api.tenantA);
    const body = { command_type: 'RESTART_AGENT', tenant_id: api.tenantA, parameters: { agent_id: agentId } };
    const key = `audit-down-${Date.now()}`;
    for (const retryWithKey of [false, true]) {
      const [before, commandsBefore, rowsBefore] = [await restartCounts(), (await allCommands()).length, (await auditRows()).length];

      rule = (call) => (isAuditInsert(call, ['command_created']) ? 'drop' : 'pass');
      const refused = await create(body, retryWithKey ? key : undefined);
      rule = () => 'pass';

      expect(refused.status).toBe(503);
      expect(openApiErrors('createOperationalCommand', 503, refused.body)).toEqual([]);
      expect(refused.body.error.message).toMatch(/nothing was run/);
      await processor.idle();
      expect((await allCommands()).length).toBe(commandsBefore);
      expect((await auditRows()).length).toBe(rowsBefore);
      expect(await restartCounts()).toEqual(before);

      const accepted = await create(body, retryWithKey ? key : undefined);
      expect(accepted.status).toBe(202);
      await processor.idle();
      const after = await restartCounts();
      expect(after.get(`${api.tenantA}/${agentId}`)).toBe(before.get(`${api.tenantA}/${agentId}`)! + 1);
      const rows = (await auditRows()).filter((row) => row.command_id === accepted.body.command_id).map((row) => row.event_type).sort();
      expect(rows).toEqual(['command_created', 'command_executed']);
    }
  }, 120_000);

  test('the outcome cannot be written through every retry: nothing is committed, and the sweeper brings the effect and its audit row, once', async () => {
    const [, agentId] = await agentsOf(api.tenantB);
    const before = (await restartCounts()).get(`${api.tenantB}/${agentId}`)!;
    const failuresBefore = processor.failures.length;

    rule = (call) => (isAuditInsert(call, ['command_executed', 'command_failed']) ? 'drop' : 'pass');
    const accepted = await create({ command_type: 'RESTART_AGENT', tenant_id: api.tenantB, parameters: { agent_id: agentId } });
    expect(accepted.status).toBe(202);
    await processor.idle();

    // Every retry failed: the record went to the on-failure destination; the effect's transaction never committed.
    expect(processor.failures.length).toBe(failuresBefore + 1);
    expect((await allCommands()).find((c) => c.command_id === accepted.body.command_id)!.status).toBe('RUNNING');
    expect((await restartCounts()).get(`${api.tenantB}/${agentId}`)).toBe(before);

    rule = () => 'pass';
    await sweepUntilSettled(2, 3);

    const command = (await allCommands()).find((c) => c.command_id === accepted.body.command_id)!;
    expect(command).toMatchObject({ status: 'SUCCESS', redrives: 1 });
    expect((await restartCounts()).get(`${api.tenantB}/${agentId}`)).toBe(before + 1);
    const rows = (await auditRows()).filter((row) => row.command_id === accepted.body.command_id).map((row) => row.event_type).sort();
    expect(rows).toEqual(['command_created', 'command_executed']);
  }, 120_000);

  test('hundreds of random faults on every call: no effect without its audit row, none applied twice, every command ends', async () => {
    const agents = [...(await agentsOf(api.tenantA)).map((a) => [api.tenantA, a]), ...(await agentsOf(api.tenantB)).map((a) => [api.tenantB, a])] as Array<[string, string]>;
    const integrations = [...(await integrationsOf(api.tenantA)).map((i) => [api.tenantA, i]), ...(await integrationsOf(api.tenantB)).map((i) => [api.tenantB, i])] as Array<[string, string]>;
    const countsBefore = await restartCounts();
    const attemptsBefore = new Map(
      (await api.local.db.query<{ request_id: string; attempts: number }>(`SELECT CAST(request_id AS text) AS request_id, attempts FROM ${S}.agent_request_retries`)).map((r) => [r.request_id, r.attempts]),
    );
    const [commandsBefore, rowsBefore] = [new Set((await allCommands()).map((c) => c.command_id)), new Set((await auditRows()).map((r) => r.command_id))];
    const faultsBefore = Object.values(proxies).reduce((n, proxy) => n + proxy.injected.drop + proxy.injected.lose, 0);

    const next = random(20_261_130);
    rule = () => {
      const x = next();
      return x < 0.075 ? 'drop' : x < 0.15 ? 'lose' : 'pass';
    };
    // 100 requests, as a careful client sends them: a retry (up to 4) keeps its Idempotency-Key;
    // without a key, it retries only what the API says did not run.
    const LOGICAL = 100;
    for (let i = 0; i < LOGICAL; i++) {
      const [tenantId, agentId] = agents[i % agents.length]!;
      const [integrationTenant, integrationId] = integrations[i % integrations.length]!;
      const body = [
        { command_type: 'RESTART_AGENT', tenant_id: tenantId, parameters: { agent_id: agentId } },
        { command_type: 'RESTART_AGENT', tenant_id: tenantId, parameters: { agent_id: agentId } },
        { command_type: 'RESET_TOKEN', tenant_id: integrationTenant, parameters: { integration_id: integrationId } },
        { command_type: 'REPROCESS_QUEUE', tenant_id: api.tenantA, parameters: WINDOW },
        { command_type: 'HEALTH_CHECK', tenant_id: tenantId, parameters: {} },
      ][i % 5];
      const key = i % 2 === 0 ? `chaos-${i}` : undefined;
      for (let attempt = 0; attempt < 5; attempt++) {
        const res = await create(body, key);
        expect(res.status).not.toBe(500);
        if (res.status < 500) break;
        if (!key && !/nothing was run/.test(String(res.body.error?.message))) break;
      }
    }
    await processor.idle();
    await sweepUntilSettled(2, 4); // still under faults: some sweeps fail, the next ones go on
    rule = () => 'pass';
    // Later, with the faults gone: past every deadline, the stream's maximum record age and the unstored delay.
    await sweepUntilSettled(COMMAND_SWEEPER.pendingGiveUpSeconds / 60 + 5, 10);

    const faults = Object.values(proxies).reduce((n, proxy) => n + proxy.injected.drop + proxy.injected.lose, 0) - faultsBefore;
    expect(faults).toBeGreaterThanOrEqual(200);

    const commands = (await allCommands()).filter((c) => !commandsBefore.has(c.command_id));
    const rows = (await auditRows()).filter((r) => !rowsBefore.has(r.command_id));
    const rowsOf = (id: string) => rows.filter((r) => r.command_id === id).map((r) => r.event_type).sort();
    expect(commands.length).toBeGreaterThan(LOGICAL / 2);

    // Every command ended, with its creation and exactly one outcome, the one its status says.
    for (const command of commands) {
      expect({ id: command.command_id, status: command.status }).toEqual({ id: command.command_id, status: expect.stringMatching(/^(SUCCESS|ERROR)$/) });
      expect({ id: command.command_id, rows: rowsOf(command.command_id) }).toEqual({
        id: command.command_id,
        rows: ['command_created', command.status === 'SUCCESS' ? 'command_executed' : 'command_failed'],
      });
    }
    // Every recorded creation has an outcome (a creation never stored ends as failed).
    for (const id of new Set(rows.map((r) => r.command_id))) expect({ id, outcomes: rowsOf(id).filter((t) => t !== 'command_created').length }).toEqual({ id, outcomes: 1 });

    const executed = (type: string) => commands.filter((c) => c.command_type === type && c.status === 'SUCCESS');
    // RESTART_AGENT: each agent restarted exactly as many times as restarts were recorded executed.
    const countsAfter = await restartCounts();
    for (const [tenantId, agentId] of agents) {
      const key = `${tenantId}/${agentId}`;
      const recorded = executed('RESTART_AGENT').filter((c) => c.tenant_id === tenantId && c.parameters.agent_id === agentId).length;
      expect({ key, restarts: countsAfter.get(key)! - countsBefore.get(key)! }).toEqual({ key, restarts: recorded });
    }
    // RESET_TOKEN: a credential version (its id is the command's) exists for exactly the executed rotations.
    const versions = new Set<string>();
    for (const integration of new Set(commands.filter((c) => c.command_type === 'RESET_TOKEN').map((c) => `${c.tenant_id}/${c.parameters.integration_id}`))) {
      const listed = await secrets.send(new ListSecretVersionIdsCommand({ SecretId: `painel/integrations/${integration}`, IncludeDeprecated: true })).catch(() => undefined);
      for (const version of listed?.Versions ?? []) versions.add(version.VersionId!);
    }
    for (const c of commands.filter((c) => c.command_type === 'RESET_TOKEN')) {
      expect({ id: c.command_id, status: c.status, rotated: versions.has(c.command_id) }).toEqual({ id: c.command_id, status: c.status, rotated: c.status === 'SUCCESS' });
    }
    // REPROCESS_QUEUE: each failed request of the window re-queued once per executed command.
    const reprocessed = executed('REPROCESS_QUEUE').length;
    const retries = await api.local.db.query<{ request_id: string; attempts: number }>(`SELECT CAST(request_id AS text) AS request_id, attempts FROM ${S}.agent_request_retries WHERE tenant_id = :t`, { t: p.uuid(api.tenantA) });
    for (const row of retries) {
      expect({ request: row.request_id, added: row.attempts - (attemptsBefore.get(row.request_id) ?? 0) }).toEqual({ request: row.request_id, added: reprocessed });
    }
  }, 600_000);
});
