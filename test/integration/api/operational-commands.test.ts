import { GetCommand, PutCommand, ScanCommand, UpdateCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { COMMAND_PROCESSOR, COMMAND_SWEEPER, COMMANDS_LIST_PK } from '@lambda/commands/declaration';
import { CommandStore } from '@lambda/commands/command-store';
import { listCommands } from '@lambda/commands/list';
import { CommandViewSchema, CREATED_MESSAGE, ListCommandsQuerySchema, type StoredCommand } from '@lambda/commands/schemas';
import { p } from '@shared/db';
import { LOCAL_CREDENTIALS, REGION } from '@local/config';
import { BACKENDS } from '../../support/local-db';
import { startSeededApi, type SeededApi, type EventSourceMapping } from '../../support/api';
import { openApiErrors } from '../../support/openapi';
import { captureOutput } from '../../support/logs';
import { deepStrict } from '../../support/strict';

const S = 'alquimista_platform';
const FINAL = ['SUCCESS', 'ERROR'];
/** The seeded requests end on 2026-10-31; this window holds some of every tenant's failures. */
const WINDOW = { from: '2026-10-25T00:00:00Z', to: '2026-11-01T00:00:00Z' };

/**
 * Operational commands end to end: the real handlers, the real SDK clients, dynalite with the
 * stream emulator, the local Secrets Manager and the local Data API.
 */
describe.each(BACKENDS)('operational commands on %s', (kind) => {
  let api: SeededApi;
  let doc: DynamoDBDocumentClient;
  let secrets: SecretsManagerClient;
  let table: string;

  const create = (body: unknown, options: { claims?: SeededApi['claims'][keyof SeededApi['claims']]; headers?: Record<string, string> } = {}) =>
    api.invoke('createOperationalCommand', { claims: options.claims ?? api.claims.support, body, headers: options.headers });
  const list = (query: Record<string, string> = {}) => api.invoke('listOperationalCommands', { claims: api.claims.admin, query });

  const getItem = async (id: string) => (await doc.send(new GetCommand({ TableName: table, Key: { command_id: id }, ConsistentRead: true }))).Item as StoredCommand | undefined;
  const allItems = async () => {
    const items: StoredCommand[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }));
      items.push(...((page.Items ?? []) as StoredCommand[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  };
  const eventsOf = (commandId: string) =>
    api.local.db.query<{ event_type: string; severity: string; tenant_id: string | null; user_sub: string; title: string; description: string | null; metadata: string }>(
      `SELECT event_type, severity, tenant_id, user_sub, title, description, metadata::text AS metadata
       FROM ${S}.operational_events WHERE command_id = :id ORDER BY created_at, event_type`,
      { id: p.uuid(commandId) },
    );
  const eventCount = async () => (await api.local.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM ${S}.operational_events`))!.n;

  /** Polls DynamoDB until the command ends (the stream emulator runs the processor in this process). */
  const waitForEnd = async (id: string, mapping: EventSourceMapping): Promise<StoredCommand> => {
    for (let i = 0; i < 200; i++) {
      await mapping.idle();
      const item = await getItem(id);
      if (item && FINAL.includes(item.status)) return item;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`command ${id} did not end`);
  };

  /** The statuses a command went through, read from the table's stream (NewImage of each change). */
  const statusTrail = (id: string) =>
    api.dynamo.stream
      .records()
      .filter((r) => r.dynamodb?.Keys?.command_id?.S === id)
      .map((r) => r.dynamodb?.NewImage?.status?.S);

  const agentOf = async (tenantId: string, status = 'active') =>
    (await api.local.db.one<{ agent_id: string }>(
      `SELECT agent_id FROM ${S}.tenant_agents WHERE tenant_id = :t AND status = :s ORDER BY agent_id LIMIT 1`,
      { t: p.uuid(tenantId), s: p.text(status) },
    ))!.agent_id;
  const integrationOf = async (tenantId: string) =>
    (await api.local.db.one<{ id: string }>(`SELECT id FROM ${S}.tenant_integrations WHERE tenant_id = :t ORDER BY id LIMIT 1`, { t: p.uuid(tenantId) }))!.id;

  beforeAll(async () => {
    api = await startSeededApi(kind);
    table = api.env.COMMANDS_TABLE!;
    doc = DynamoDBDocumentClient.from(api.dynamo.client);
    secrets = new SecretsManagerClient({ endpoint: api.secretsEndpoint, region: REGION, credentials: LOCAL_CREDENTIALS });
  }, 120_000);
  afterAll(async () => {
    secrets?.destroy();
    await api?.stop();
  });

  describe('POST /internal/operations/commands', () => {
    test('support creates a command: 202 with the contract body, a PENDING item with created_by and a 90-day ttl, and an audit row', async () => {
      const agentId = await agentOf(api.tenantA);

      const res = await create({ command_type: 'RESTART_AGENT', tenant_id: api.tenantA, parameters: { agent_id: agentId } });

      expect(res.status).toBe(202);
      expect(openApiErrors('createOperationalCommand', 202, res.body)).toEqual([]);
      expect(res.body).toEqual({ command_id: expect.any(String), status: 'PENDING', created_at: expect.any(String), message: CREATED_MESSAGE });
      const item = (await getItem(res.body.command_id))!;
      expect(item).toMatchObject({ status: 'PENDING', command_type: 'RESTART_AGENT', tenant_id: api.tenantA, parameters: { agent_id: agentId }, created_at: res.body.created_at });
      expect(item.created_by).toBe(api.claims.support.sub);
      expect(item.ttl - Math.floor(Date.parse(item.created_at) / 1000)).toBe(90 * 86_400);

      const events = await eventsOf(res.body.command_id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ event_type: 'command_created', severity: 'info', tenant_id: api.tenantA, user_sub: api.claims.support.sub });
      expect(JSON.parse(events[0]!.metadata)).toMatchObject({ command_type: 'RESTART_AGENT', parameters: { agent_id: agentId } });
    });

    test('the same Idempotency-Key returns the same command and creates nothing new; reused for another body → 409', async () => {
      const key = `retry-${kind}-1`;
      const body = { command_type: 'HEALTH_CHECK', tenant_id: api.tenantB, parameters: {} };
      const before = (await allItems()).length;

      const first = await create(body, { headers: { 'Idempotency-Key': key } });
      const again = await create(body, { headers: { 'idempotency-key': key } });
      const other = await create({ command_type: 'HEALTH_CHECK', parameters: {} }, { headers: { 'Idempotency-Key': key } });

      expect(first.status).toBe(202);
      expect(again.status).toBe(202);
      expect(again.body).toEqual(first.body);
      expect(again.headers['Idempotent-Replayed']).toBe('true');
      expect(first.headers['Idempotent-Replayed']).toBeUndefined();
      expect((await allItems()).length).toBe(before + 1);
      expect(await eventsOf(first.body.command_id)).toHaveLength(1);
      expect(other.status).toBe(409);
      expect(openApiErrors('createOperationalCommand', 409, other.body)).toEqual([]);
      // Keys are per caller: another staff member's identical key is a different command.
      const admins = await create(body, { claims: api.claims.admin, headers: { 'Idempotency-Key': key } });
      expect(admins.status).toBe(202);
      expect(admins.body.command_id).not.toBe(first.body.command_id);
    });

    test.each([
      ['an unknown command type', () => ({ command_type: 'DROP_TABLES', parameters: {} }), 400, 'command_type'],
      ['RESTART_AGENT without agent_id', () => ({ command_type: 'RESTART_AGENT', tenant_id: api.tenantA, parameters: {} }), 400, 'parameters.agent_id'],
      ['a tenant that does not exist', () => ({ command_type: 'HEALTH_CHECK', tenant_id: '00000000-0000-4000-8000-000000000000', parameters: {} }), 400, 'tenant_id'],
      ['an agent of another tenant', async () => ({ command_type: 'RESTART_AGENT', tenant_id: api.tenantA, parameters: { agent_id: await agentOfOnlyB() } }), 400, 'parameters.agent_id'],
      ['an integration of another tenant', async () => ({ command_type: 'RESET_TOKEN', tenant_id: api.tenantA, parameters: { integration_id: await integrationOf(api.tenantB) } }), 400, 'parameters.integration_id'],
      ['a reprocess window over 31 days', () => ({ command_type: 'REPROCESS_QUEUE', tenant_id: api.tenantA, parameters: { from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' } }), 400, 'parameters'],
      ['a body that is not JSON', () => '{"command_type":', 400, 'body'],
      // Each would have been a stack overflow (a 500) in the recursive walks of the body.
      ['a body nested 10,000 levels deep', () => `{"command_type":"HEALTH_CHECK","parameters":${'['.repeat(10_000)}${']'.repeat(10_000)}}`, 400, 'body'],
      ['parameters nested 10,000 levels deep', () => `{"command_type":"HEALTH_CHECK","parameters":{"x":${'{"x":'.repeat(10_000)}1${'}'.repeat(10_001)}}`, 400, 'body'],
      // Instants PostgreSQL cannot store (year 0000) or the API cannot print (year 10000 in UTC).
      ['a reprocess window from year 0000', () => ({ command_type: 'REPROCESS_QUEUE', tenant_id: api.tenantA, parameters: { from: '0000-01-01T00:00:00Z', to: '0000-01-02T00:00:00Z' } }), 400, 'parameters.from'],
      ['a reprocess window ending in year 10000 (UTC)', () => ({ command_type: 'REPROCESS_QUEUE', tenant_id: api.tenantA, parameters: { from: '9999-12-31T00:00:00Z', to: '9999-12-31T23:59:59-14:00' } }), 400, 'parameters.to'],
      ['a reprocess window whose default start falls before 2000', () => ({ command_type: 'REPROCESS_QUEUE', tenant_id: api.tenantA, parameters: { to: '2000-01-01T10:00:00Z' } }), 400, 'parameters'],
    ])('%s: refused with the status and field given, and nothing is written', async (_name, makeBody, status, field) => {
      const body = await makeBody();
      const [items, events] = [(await allItems()).length, await eventCount()];

      const res = await create(body);

      expect(res.status).toBe(status);
      expect(openApiErrors('createOperationalCommand', status, res.body)).toEqual([]);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
      expect((await allItems()).length).toBe(items);
      expect(await eventCount()).toBe(events);
    });

    test('RESTART_AGENT of a suspended agent → 409 with a clear message, nothing written', async () => {
      const agentId = await agentOf(api.tenantA);
      await setAgentStatus(api.tenantA, agentId, 'suspended');
      const items = (await allItems()).length;
      try {
        const res = await create({ command_type: 'RESTART_AGENT', tenant_id: api.tenantA, parameters: { agent_id: agentId } });
        expect(res.status).toBe(409);
        expect(res.body.error.message).toMatch(/suspended/);
        expect((await allItems()).length).toBe(items);
      } finally {
        await setAgentStatus(api.tenantA, agentId, 'active');
      }
    });

    test('an Idempotency-Key that is not printable ASCII → 400', async () => {
      const res = await create({ command_type: 'HEALTH_CHECK' }, { headers: { 'Idempotency-Key': 'chave com espaço' } });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe('Idempotency-Key');
    });

    test.each(['tenantAdminA', 'tenantUserA'] as const)('%s → 403 on both routes, nothing written', async (role) => {
      const items = (await allItems()).length;
      const post = await create({ command_type: 'HEALTH_CHECK', tenant_id: api.tenantA }, { claims: api.claims[role] });
      const get = await api.invoke('listOperationalCommands', { claims: api.claims[role] });
      expect([post.status, get.status]).toEqual([403, 403]);
      expect((await allItems()).length).toBe(items);
    });
  });

  describe('GET /internal/operations/commands', () => {
    const TYPES = ['HEALTH_CHECK', 'RESTART_AGENT', 'RESET_TOKEN', 'REPROCESS_QUEUE'] as const;
    const STATUSES = ['PENDING', 'RUNNING', 'SUCCESS', 'ERROR'] as const;

    beforeAll(async () => {
      // 60 commands written straight to the table, in every status, type and tenant (and none),
      // some sharing a created_at, so pages must be cut by DynamoDB's keys rather than by time.
      const tenants = [api.tenantA, api.tenantB, undefined];
      for (let i = 0; i < 60; i++) {
        const created = new Date(Date.UTC(2026, 9, 1, 0, 0, Math.floor(i / 2))).toISOString();
        const tenant = tenants[i % 3];
        await doc.send(
          new PutCommand({
            TableName: table,
            Item: {
              command_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
              created_at: created,
              list_pk: COMMANDS_LIST_PK,
              ...(tenant && { tenant_id: tenant }),
              command_type: TYPES[i % 4],
              status: STATUSES[(i >> 2) % 4],
              created_by: 'seeded-sub',
              parameters: {},
              request_hash: 'x',
              ttl: 2_000_000_000,
              ...(STATUSES[(i >> 2) % 4] === 'SUCCESS' && { output: '{"ok":true}', started_at: created, completed_at: created }),
              ...(STATUSES[(i >> 2) % 4] === 'ERROR' && { error_message: 'falhou', started_at: created, completed_at: created }),
            },
          }),
        );
      }
    });

    /** The oracle: a full scan, filtered and ordered newest first (created_at, then id as DynamoDB orders ties arbitrarily). */
    const expected = async (filter: { status?: string; command_type?: string; tenant_id?: string }) =>
      (await allItems())
        .filter((c) => (!filter.status || c.status === filter.status) && (!filter.command_type || c.command_type === filter.command_type) && (!filter.tenant_id || c.tenant_id === filter.tenant_id))
        .sort((a, b) => b.created_at.localeCompare(a.created_at));

    /** Every page, following next_cursor. */
    const walk = async (query: Record<string, string>) => {
      const pages: Array<{ commands: Array<{ command_id: string; created_at: string }>; total: number; next_cursor: string | null }> = [];
      let cursor: string | undefined;
      do {
        const res = await list({ ...query, ...(cursor && { cursor }) });
        expect(res.status).toBe(200);
        expect(openApiErrors('listOperationalCommands', 200, res.body)).toEqual([]);
        pages.push(res.body);
        cursor = res.body.next_cursor ?? undefined;
      } while (cursor && pages.length < 50);
      return pages;
    };

    test.each([
      [{}],
      [{ status: 'PENDING' }],
      [{ status: 'ERROR', command_type: 'RESET_TOKEN' }],
      [{ command_type: 'HEALTH_CHECK' }],
      [{ tenant_id: 'A' }],
      [{ tenant_id: 'B', status: 'SUCCESS' }],
      [{ tenant_id: 'A', command_type: 'RESTART_AGENT', status: 'all' }],
    ])('%p: pages of 7 cover exactly the matching commands, newest first, with the total', async (filter: Record<string, string>) => {
      const query: Record<string, string> = { ...filter, limit: '7' };
      if (filter.tenant_id) query.tenant_id = filter.tenant_id === 'A' ? api.tenantA : api.tenantB;
      const oracle = await expected({ ...query, status: query.status === 'all' ? undefined : query.status });

      const pages = await walk(query);

      const ids = pages.flatMap((page) => page.commands.map((c) => c.command_id));
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual(oracle.map((c) => c.command_id).sort());
      const times = pages.flatMap((page) => page.commands.map((c) => c.created_at));
      expect(times).toEqual([...times].sort().reverse());
      for (const page of pages) {
        expect(page.total).toBe(oracle.length);
        expect(page.commands.length).toBeLessThanOrEqual(7);
      }
      expect(pages.at(-1)!.next_cursor).toBeNull();
    });

    test('rows carry the contract fields, tenant names included, with at most one Data API call per page', async () => {
      api.local.api.resetStats();
      const res = await list({ limit: '30' });
      expect(api.local.api.stats().calls).toEqual({ ExecuteStatement: 1 });

      const rows = res.body.commands.map((row: unknown) => deepStrict(CommandViewSchema).parse(row));
      const names = new Map(
        (await api.local.db.query<{ id: string; name: string }>(`SELECT id, name FROM ${S}.tenants WHERE id = ANY(CAST(:ids AS uuid[]))`, { ids: p.uuidList([api.tenantA, api.tenantB]) })).map((r) => [r.id, r.name]),
      );
      for (const row of rows) expect(row.tenant_name).toBe(row.tenant_id ? names.get(row.tenant_id) : null);

      api.local.api.resetStats();
      await list({ tenant_id: '00000000-0000-4000-8000-000000000000' });
      expect(api.local.api.stats().calls).toEqual({});
    });

    test('a first page that holds every match is its own total; any other page counts (once)', async () => {
      // The real store against the local DynamoDB; the spies only count.
      const store = new CommandStore(doc, table);
      const count = jest.spyOn(store, 'count');
      const run = (query: Record<string, string>) => listCommands({ db: api.local.db, store }, ListCommandsQuerySchema.parse(query));

      const small = await run({ tenant_id: api.tenantB, status: 'SUCCESS' });
      expect(small.total).toBe((await expected({ tenant_id: api.tenantB, status: 'SUCCESS' })).length);
      expect(small.total).toBeGreaterThan(0);
      expect(small.next_cursor).toBeNull();
      expect(count).not.toHaveBeenCalled();

      const all = (await expected({})).length;
      const first = await run({ limit: '7' });
      expect(first.total).toBe(all);
      expect(count).toHaveBeenCalledTimes(1);
      const second = await run({ limit: '7', cursor: first.next_cursor! });
      const skipped = await run({ limit: '7', offset: '7' });
      expect([second.total, skipped.total]).toEqual([all, all]);
      expect(count).toHaveBeenCalledTimes(3);
      // Past the end, an offset page is empty and still says how many there are.
      expect((await run({ tenant_id: api.tenantB, status: 'SUCCESS', offset: '50' })).total).toBe(small.total);
    });

    test('offset (the contract’s) skips that many matching commands', async () => {
      const ids = (res: { body: { commands: Array<{ command_id: string }> } }) => res.body.commands.map((c) => c.command_id);
      const firstSeven = ids(await list({ status: 'SUCCESS', limit: '7' }));
      const skipped = ids(await list({ status: 'SUCCESS', offset: '3', limit: '4' }));
      expect(firstSeven).toHaveLength(7);
      expect(skipped).toEqual(firstSeven.slice(3, 7));
    });

    test.each([
      ['garbage', () => 'not-a-cursor'],
      ['a cursor of other filters', async () => (await list({ status: 'PENDING', limit: '1' })).body.next_cursor],
    ])('%s as cursor → 400 naming cursor', async (_name, makeCursor) => {
      const res = await list({ status: 'ERROR', cursor: await makeCursor() });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe('cursor');
    });
  });

  describe('the processor, invoked with stream events', () => {
    let processor: (event: DynamoDBStreamEvent, context: unknown) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }>;
    beforeAll(() => {
      processor = api.loadModule<{ handler: typeof processor }>(COMMAND_PROCESSOR.handler).handler;
    });

    const insertRecordOf = (commandId: string): DynamoDBRecord => {
      const record = api.dynamo.stream.records().find((r) => r.eventName === 'INSERT' && r.dynamodb?.Keys?.command_id?.S === commandId);
      if (!record) throw new Error(`no INSERT record for ${commandId}`);
      return structuredClone(record);
    };
    const restartCount = async (tenantId: string, agentId: string) =>
      (await api.local.db.one<{ n: number }>(`SELECT restart_count AS n FROM ${S}.tenant_agents WHERE tenant_id = :t AND agent_id = :a`, { t: p.uuid(tenantId), a: p.uuid(agentId) }))!.n;

    test('one record delivered twice executes once', async () => {
      const agentId = await agentOf(api.tenantB);
      const before = await restartCount(api.tenantB, agentId);
      const { body } = await create({ command_type: 'RESTART_AGENT', tenant_id: api.tenantB, parameters: { agent_id: agentId } });
      const record = insertRecordOf(body.command_id);

      const first = await processor({ Records: [record] }, {});
      const second = await processor({ Records: [record] }, {});

      expect(first.batchItemFailures).toEqual([]);
      expect(second.batchItemFailures).toEqual([]);
      expect(await restartCount(api.tenantB, agentId)).toBe(before + 1);
      expect((await getItem(body.command_id))!.status).toBe('SUCCESS');
      expect((await eventsOf(body.command_id)).map((e) => e.event_type)).toEqual(['command_created', 'command_executed']);
    });

    test('RESTART_AGENT of an agent suspended after the command was created ends in ERROR with a clear message', async () => {
      const agentId = await agentOf(api.tenantB, 'active');
      const { body } = await create({ command_type: 'RESTART_AGENT', tenant_id: api.tenantB, parameters: { agent_id: agentId } });
      await setAgentStatus(api.tenantB, agentId, 'suspended');
      try {
        const result = await processor({ Records: [insertRecordOf(body.command_id)] }, {});

        expect(result.batchItemFailures).toEqual([]);
        expect(await getItem(body.command_id)).toMatchObject({ status: 'ERROR', error_message: expect.stringMatching(/suspended/) });
        expect((await eventsOf(body.command_id)).find((e) => e.event_type === 'command_failed')).toMatchObject({ severity: 'error', description: expect.stringMatching(/suspended/) });
      } finally {
        await setAgentStatus(api.tenantB, agentId, 'active');
      }
    });

    test('a batch with one poison record reports only that record; the others succeed', async () => {
      const a = await create({ command_type: 'HEALTH_CHECK', parameters: {} });
      const b = await create({ command_type: 'HEALTH_CHECK', tenant_id: api.tenantA, parameters: {} });
      const good1 = insertRecordOf(a.body.command_id);
      const good2 = insertRecordOf(b.body.command_id);
      const poison = structuredClone(good1);
      poison.eventID = 'poison';
      poison.dynamodb = { ...poison.dynamodb!, SequenceNumber: '999999999999999999999', NewImage: { status: { S: 'PENDING' } } };

      const result = await processor({ Records: [good1, poison, good2] }, {});

      expect(result.batchItemFailures).toEqual([{ itemIdentifier: '999999999999999999999' }]);
      expect((await getItem(a.body.command_id))!.status).toBe('SUCCESS');
      expect((await getItem(b.body.command_id))!.status).toBe('SUCCESS');
    });

    test('records the filter would drop are ignored if they arrive anyway (MODIFY, non-PENDING INSERT)', async () => {
      const { body } = await create({ command_type: 'HEALTH_CHECK', parameters: {} });
      const insert = insertRecordOf(body.command_id);
      const modify = { ...structuredClone(insert), eventName: 'MODIFY' as const };
      const running = structuredClone(insert);
      running.dynamodb!.NewImage!.status = { S: 'RUNNING' };

      expect((await processor({ Records: [modify, running] }, {})).batchItemFailures).toEqual([]);
      expect((await getItem(body.command_id))!.status).toBe('PENDING');
    });

    test('a stored command with invalid parameters ends in ERROR, not stuck and not retried', async () => {
      const id = '00000000-0000-4000-8000-0000000000aa';
      await doc.send(new PutCommand({ TableName: table, Item: { command_id: id, created_at: new Date().toISOString(), list_pk: COMMANDS_LIST_PK, command_type: 'RESTART_AGENT', status: 'PENDING', created_by: 'someone', parameters: { agent_id: 'nope' }, request_hash: 'x', ttl: 2_000_000_000 } }));

      const result = await processor({ Records: [insertRecordOf(id)] }, {});

      expect(result.batchItemFailures).toEqual([]);
      expect(await getItem(id)).toMatchObject({ status: 'ERROR', error_message: expect.stringMatching(/Invalid parameters/) });
      expect((await eventsOf(id)).map((e) => [e.event_type, e.severity])).toEqual([['command_failed', 'error']]);
    });
  });

  describe('the sweeper', () => {
    let sweeper: () => Promise<{ redriven: number; timedOut: number; abandoned: number; unstored: number; failed: number }>;
    beforeAll(() => {
      sweeper = api.loadModule<{ handler: typeof sweeper }>(COMMAND_SWEEPER.handler).handler;
    });
    /** What a processor leaves behind when it is killed right after its claim. */
    const leftRunning = async (commandId: string, redrives?: number) => {
      const past = new Date(Date.now() - 60_000).toISOString();
      await doc.send(
        new UpdateCommand({
          TableName: table,
          Key: { command_id: commandId },
          UpdateExpression: `SET #s = :r, started_at = :t, deadline_at = :t${redrives === undefined ? '' : ', redrives = :n'}`,
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':r': 'RUNNING', ':t': past, ...(redrives === undefined ? {} : { ':n': redrives }) },
        }),
      );
    };

    test('a processor that died after RUNNING: the sweeper runs the command again to its end, once, with its audit row', async () => {
      const agentId = await agentOf(api.tenantA);
      const before = (await api.local.db.one<{ n: number }>(`SELECT restart_count AS n FROM ${S}.tenant_agents WHERE tenant_id = :t AND agent_id = :a`, { t: p.uuid(api.tenantA), a: p.uuid(agentId) }))!.n;
      const { body } = await create({ command_type: 'RESTART_AGENT', tenant_id: api.tenantA, parameters: { agent_id: agentId } });
      await leftRunning(body.command_id);

      const first = await sweeper();
      const second = await sweeper();

      expect(first.redriven).toBeGreaterThanOrEqual(1);
      expect(second.redriven).toBe(0);
      expect(await getItem(body.command_id)).toMatchObject({ status: 'SUCCESS', redrives: 1, completed_at: expect.any(String) });
      expect((await eventsOf(body.command_id)).map((e) => e.event_type)).toEqual(['command_created', 'command_executed']);
      expect((await api.local.db.one<{ n: number }>(`SELECT restart_count AS n FROM ${S}.tenant_agents WHERE tenant_id = :t AND agent_id = :a`, { t: p.uuid(api.tenantA), a: p.uuid(agentId) }))!.n).toBe(before + 1);
    });

    test('a command whose effect and outcome were committed but not written onto it: the sweeper adopts the outcome, the effect does not run again', async () => {
      const agentId = await agentOf(api.tenantA);
      const { body } = await create({ command_type: 'RESTART_AGENT', tenant_id: api.tenantA, parameters: { agent_id: agentId } });
      const processor = api.loadModule<{ handler: (event: DynamoDBStreamEvent, context: unknown) => Promise<unknown> }>(COMMAND_PROCESSOR.handler).handler;
      const record = api.dynamo.stream.records().find((r) => r.eventName === 'INSERT' && r.dynamodb?.Keys?.command_id?.S === body.command_id)!;
      await processor({ Records: [structuredClone(record)] }, {});
      const restarted = (await api.local.db.one<{ n: number }>(`SELECT restart_count AS n FROM ${S}.tenant_agents WHERE tenant_id = :t AND agent_id = :a`, { t: p.uuid(api.tenantA), a: p.uuid(agentId) }))!.n;
      // As if the processor had stopped between Aurora's commit and the table write.
      await leftRunning(body.command_id);

      await sweeper();

      expect(await getItem(body.command_id)).toMatchObject({ status: 'SUCCESS' });
      expect((await eventsOf(body.command_id)).map((e) => e.event_type)).toEqual(['command_created', 'command_executed']);
      expect((await api.local.db.one<{ n: number }>(`SELECT restart_count AS n FROM ${S}.tenant_agents WHERE tenant_id = :t AND agent_id = :a`, { t: p.uuid(api.tenantA), a: p.uuid(agentId) }))!.n).toBe(restarted);
    });

    test(`after ${COMMAND_SWEEPER.maxRedrives} re-runs a command still RUNNING ends as ERROR "timed out", with its audit row, once`, async () => {
      const { body } = await create({ command_type: 'HEALTH_CHECK', parameters: {} });
      await leftRunning(body.command_id, COMMAND_SWEEPER.maxRedrives);

      const first = await sweeper();
      const second = await sweeper();

      expect(first.timedOut).toBeGreaterThanOrEqual(1);
      expect(second.timedOut).toBe(0);
      expect(await getItem(body.command_id)).toMatchObject({ status: 'ERROR', error_message: expect.stringMatching(/^Timed out/), completed_at: expect.any(String) });
      expect((await eventsOf(body.command_id)).map((e) => e.event_type)).toEqual(['command_created', 'command_failed']);
    });

    test('a RUNNING command still inside its deadline is left alone', async () => {
      const { body } = await create({ command_type: 'HEALTH_CHECK', parameters: {} });
      const future = new Date(Date.now() + 60_000).toISOString();
      await doc.send(new UpdateCommand({ TableName: table, Key: { command_id: body.command_id }, UpdateExpression: 'SET #s = :r, started_at = :n, deadline_at = :f', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':r': 'RUNNING', ':n': new Date().toISOString(), ':f': future } }));

      await sweeper();

      expect((await getItem(body.command_id))!.status).toBe('RUNNING');
    });

    test('a PENDING command older than the stream could still deliver is ended as "not processed"', async () => {
      const id = '00000000-0000-4000-8000-0000000000bb';
      const old = new Date(Date.now() - (COMMAND_SWEEPER.pendingGiveUpSeconds + 60) * 1000).toISOString();
      await doc.send(new PutCommand({ TableName: table, Item: { command_id: id, created_at: old, list_pk: COMMANDS_LIST_PK, command_type: 'HEALTH_CHECK', status: 'PENDING', created_by: 'someone', parameters: {}, request_hash: 'x', ttl: 2_000_000_000 } }));

      await sweeper();

      expect(await getItem(id)).toMatchObject({ status: 'ERROR', error_message: expect.stringMatching(/^Not processed/) });
    });
  });

  describe('through the stream emulator, as deployed', () => {
    let mapping: EventSourceMapping;
    let logs: ReturnType<typeof captureOutput>;
    beforeAll(() => {
      logs = captureOutput();
      // DEBUG so that every log line the processor can write is captured and checked for the token.
      mapping = api.startProcessor({ LOG_LEVEL: 'DEBUG' }, { startingPosition: 'LATEST' });
    });
    afterAll(async () => {
      await mapping.stop();
      jest.restoreAllMocks();
    });

    test('HEALTH_CHECK with a tenant: PENDING → RUNNING → SUCCESS with Aurora, DynamoDB and the tenant summary', async () => {
      const { body } = await create({ command_type: 'HEALTH_CHECK', tenant_id: api.tenantA, parameters: {} });

      const done = await waitForEnd(body.command_id, mapping);

      expect(statusTrail(body.command_id)).toEqual(['PENDING', 'RUNNING', 'SUCCESS']);
      const output = JSON.parse(done.output!);
      expect(output).toMatchObject({ aurora: { ok: true, latency_ms: expect.any(Number) }, dynamodb: { ok: true, table_status: 'ACTIVE' }, tenant: { tenant_id: api.tenantA, agents: expect.any(Object), integrations: expect.any(Object) } });
      expect(['healthy', 'degraded']).toContain(output.status);
      expect(done.started_at! <= done.completed_at!).toBe(true);
      const outcome = (await eventsOf(body.command_id)).find((e) => e.event_type === 'command_executed')!;
      expect(outcome).toMatchObject({ tenant_id: api.tenantA, user_sub: api.claims.support.sub });
      expect(['info', 'warning']).toContain(outcome.severity);
    });

    test('RESTART_AGENT: the agent is recorded as restarted and active again', async () => {
      const agentId = await agentOf(api.tenantA, 'active');
      await setAgentStatus(api.tenantA, agentId, 'inactive');
      const { body } = await create({ command_type: 'RESTART_AGENT', tenant_id: api.tenantA, parameters: { agent_id: agentId } });

      const done = await waitForEnd(body.command_id, mapping);

      expect(statusTrail(body.command_id)).toEqual(['PENDING', 'RUNNING', 'SUCCESS']);
      expect(JSON.parse(done.output!)).toMatchObject({ previous_status: 'inactive', status: 'active', restart_count: expect.any(Number) });
      const row = await api.local.db.one<{ status: string; restarted_at: string | null }>(`SELECT status, restarted_at::text FROM ${S}.tenant_agents WHERE tenant_id = :t AND agent_id = :a`, { t: p.uuid(api.tenantA), a: p.uuid(agentId) });
      expect(row).toMatchObject({ status: 'active', restarted_at: expect.any(String) });
    });

    test('REPROCESS_QUEUE: the window’s failed requests are queued once each, and the count is in the output', async () => {
      const failed = (await api.local.db.one<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${S}.agent_requests WHERE tenant_id = :t AND status = 'error' AND created_at >= :f AND created_at < :to`,
        { t: p.uuid(api.tenantA), f: p.timestamp(WINDOW.from), to: p.timestamp(WINDOW.to) },
      ))!.n;
      expect(failed).toBeGreaterThan(0);

      const first = await waitForEnd((await create({ command_type: 'REPROCESS_QUEUE', tenant_id: api.tenantA, parameters: WINDOW })).body.command_id, mapping);
      const second = await waitForEnd((await create({ command_type: 'REPROCESS_QUEUE', tenant_id: api.tenantA, parameters: WINDOW })).body.command_id, mapping);

      expect(statusTrail(first.command_id)).toEqual(['PENDING', 'RUNNING', 'SUCCESS']);
      expect(JSON.parse(first.output!)).toMatchObject({ failed_requests: failed, newly_queued: failed, requeued: 0 });
      expect(JSON.parse(second.output!)).toMatchObject({ failed_requests: failed, newly_queued: 0, requeued: failed });
      const queued = await api.local.db.one<{ n: number; attempts: number }>(
        `SELECT count(*)::int AS n, min(attempts) AS attempts FROM ${S}.agent_request_retries WHERE tenant_id = :t`,
        { t: p.uuid(api.tenantA) },
      );
      expect(queued).toEqual({ n: failed, attempts: 2 });
    });

    test('RESET_TOKEN rotates the secret (creating one when missing); the token appears in no response, output, event or log line', async () => {
      const integrationId = await integrationOf(api.tenantA);
      await api.local.db.execute(`UPDATE ${S}.tenant_integrations SET credentials_secret_arn = NULL, status = 'error', last_error = 'token expirado' WHERE id = :id`, { id: p.uuid(integrationId) });

      const responses: unknown[] = [];
      const rotate = async () => {
        const res = await create({ command_type: 'RESET_TOKEN', tenant_id: api.tenantA, parameters: { integration_id: integrationId } });
        responses.push(res.body);
        return waitForEnd(res.body.command_id, mapping);
      };
      const first = await rotate();
      const arnAfterFirst = (await api.local.db.one<{ arn: string }>(`SELECT credentials_secret_arn AS arn FROM ${S}.tenant_integrations WHERE id = :id`, { id: p.uuid(integrationId) }))!.arn;
      const firstToken = JSON.parse((await secrets.send(new GetSecretValueCommand({ SecretId: arnAfterFirst }))).SecretString!).token as string;
      const second = await rotate();
      const secondToken = JSON.parse((await secrets.send(new GetSecretValueCommand({ SecretId: arnAfterFirst }))).SecretString!).token as string;

      expect(statusTrail(first.command_id)).toEqual(['PENDING', 'RUNNING', 'SUCCESS']);
      expect(statusTrail(second.command_id)).toEqual(['PENDING', 'RUNNING', 'SUCCESS']);
      expect(JSON.parse(first.output!)).toMatchObject({ secret_created: true, status: 'active' });
      expect(JSON.parse(second.output!)).toMatchObject({ secret_created: false, status: 'active' });
      expect(firstToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(secondToken).not.toBe(firstToken);
      const row = await api.local.db.one(`SELECT status, last_error, credentials_secret_arn AS arn FROM ${S}.tenant_integrations WHERE id = :id`, { id: p.uuid(integrationId) });
      expect(row).toEqual({ status: 'active', last_error: null, arn: arnAfterFirst });

      const listed = await list({ command_type: 'RESET_TOKEN', tenant_id: api.tenantA });
      const events = [...(await eventsOf(first.command_id)), ...(await eventsOf(second.command_id))];
      const everything = JSON.stringify([responses, listed.body, first, second, events, logs.raw()]);
      for (const token of [firstToken, secondToken]) expect(everything).not.toContain(token);
      // Nor where the credential lives.
      expect(JSON.stringify([responses, listed.body, first.output, second.output])).not.toContain('secretsmanager');
      expect(logs.raw()).toContain('command succeeded');
    });

    test('every command ended and nothing went to the on-failure destination', async () => {
      await mapping.idle();
      expect(mapping.failures).toEqual([]);
    });
  });

  async function setAgentStatus(tenantId: string, agentId: string, status: string) {
    await api.local.db.execute(
      `UPDATE ${S}.tenant_agents SET status = :s, deactivated_at = CASE WHEN :s = 'active' THEN NULL ELSE greatest(activated_at, now()) END
       WHERE tenant_id = :t AND agent_id = :a`,
      { s: p.text(status), t: p.uuid(tenantId), a: p.uuid(agentId) },
    );
  }

  /** An agent tenant B has and tenant A does not. */
  async function agentOfOnlyB() {
    return (await api.local.db.one<{ agent_id: string }>(
      `SELECT b.agent_id FROM ${S}.tenant_agents b WHERE b.tenant_id = :b
       AND NOT EXISTS (SELECT 1 FROM ${S}.tenant_agents a WHERE a.tenant_id = :a AND a.agent_id = b.agent_id) LIMIT 1`,
      { a: p.uuid(api.tenantA), b: p.uuid(api.tenantB) },
    ))!.agent_id;
  }
});
