import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { COMMANDS_TABLE } from '@lambda/commands/declaration';
import { LOCAL_CREDENTIALS, REGION } from '@local/config';
import { dynamoHandlerEnvironment, startLocalDynamo, type LocalDynamo } from '@local/dynamodb';

describe('local DynamoDB: dynalite behind the stream-capturing proxy', () => {
  let local: LocalDynamo;
  let docs: DynamoDBDocumentClient;
  const TableName = COMMANDS_TABLE.logicalName;

  beforeAll(async () => {
    local = await startLocalDynamo({ port: 0 });
    docs = DynamoDBDocumentClient.from(local.client);
  });

  afterAll(async () => {
    await local?.stop();
  });

  /** The records appended while `act` runs. */
  async function appendedBy(act: () => Promise<unknown>): Promise<DynamoDBRecord[]> {
    const before = local.stream.length;
    await act();
    return local.stream.records().slice(before);
  }

  const command = (id: string, status = 'PENDING') => ({
    command_id: id,
    status,
    list_pk: 'COMMAND',
    tenant_id: 't-1',
    created_at: '2026-11-01T10:00:00.000Z',
    attempts: 0,
  });
  const image = (id: string, status = 'PENDING', attempts = '0') => ({
    command_id: { S: id },
    status: { S: status },
    list_pk: { S: 'COMMAND' },
    tenant_id: { S: 't-1' },
    created_at: { S: '2026-11-01T10:00:00.000Z' },
    attempts: { N: attempts },
  });

  test('the commands table is created from the declaration', async () => {
    // WHEN the table is described through the real client
    const { Table } = await local.client.send(new DescribeTableCommand({ TableName }));

    // THEN key, billing and every declared index (projecting ALL) are there
    expect(local.tableName).toBe(TableName);
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'command_id', KeyType: 'HASH' }]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const indexes = (Table?.GlobalSecondaryIndexes ?? []).map((i) => ({ name: i.IndexName, keys: i.KeySchema?.map((k) => k.AttributeName), projection: i.Projection?.ProjectionType }));
    expect(indexes.sort((a, b) => a.name!.localeCompare(b.name!))).toEqual(
      Object.values(COMMANDS_TABLE.indexes)
        .map((i) => ({ name: i.name, keys: [i.partitionKey.name, i.sortKey.name], projection: 'ALL' }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  test('DescribeTable reports the stream and DescribeTimeToLive the declared TTL (dynalite has neither; the proxy adds them)', async () => {
    const ttl = await local.client.send(new DescribeTimeToLiveCommand({ TableName }));
    expect(ttl.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: COMMANDS_TABLE.ttlAttribute });
    const { Table } = await local.client.send(new DescribeTableCommand({ TableName }));
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: COMMANDS_TABLE.streamViewType });
    expect(local.stream.streamArn).toMatch(new RegExp(`^arn:aws:dynamodb:us-east-1:000000000000:table/${TableName}/stream/\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}$`));
    expect(Table?.LatestStreamArn).toBe(local.stream.streamArn);
    expect(Table?.LatestStreamLabel).toBe(local.stream.streamArn.split('/stream/')[1]);
  });

  test('an empty string in a key attribute is refused, the table’s or an index’s, as the service does', async () => {
    const empty = await docs.send(new PutCommand({ TableName, Item: { ...command('x'), command_id: '' } })).catch((e: unknown) => e as Error);
    expect(empty).toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/empty string value\. Key: command_id/) });
    const emptyIndexKey = await docs.send(new PutCommand({ TableName, Item: { ...command('empty-index'), tenant_id: '' } })).catch((e: unknown) => e as Error);
    expect(emptyIndexKey).toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/IndexName: tenant_id-created_at-index/) });
    const emptyGet = await docs.send(new UpdateCommand({ TableName, Key: { command_id: '' }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': 'X' } })).catch((e: unknown) => e as Error);
    expect(emptyGet).toMatchObject({ name: 'ValidationException' });
  });

  test('ReturnValuesOnConditionCheckFailure ALL_OLD returns the item whose condition failed', async () => {
    await docs.send(new PutCommand({ TableName, Item: command('rv-1', 'RUNNING') }));
    const failed = (await docs
      .send(
        new UpdateCommand({
          TableName,
          Key: { command_id: 'rv-1' },
          UpdateExpression: 'SET #s = :new',
          ConditionExpression: '#s = :expected',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':new': 'SUCCESS', ':expected': 'PENDING' },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      )
      .catch((e: unknown) => e)) as ConditionalCheckFailedException;
    expect(failed).toBeInstanceOf(ConditionalCheckFailedException);
    expect(failed.Item).toMatchObject({ command_id: { S: 'rv-1' }, status: { S: 'RUNNING' } });
    // Without it, the failure carries no item.
    const plain = (await docs
      .send(new PutCommand({ TableName, Item: command('rv-1'), ConditionExpression: 'attribute_not_exists(command_id)' }))
      .catch((e: unknown) => e)) as ConditionalCheckFailedException;
    expect(plain.Item).toBeUndefined();
  });

  test('a put appends an INSERT record in the Lambda event shape', async () => {
    // WHEN a new command is put
    const [record, ...more] = await appendedBy(() => docs.send(new PutCommand({ TableName, Item: command('put-1') })));

    // THEN one INSERT record carries the key and the new image, and no old image
    expect(more).toEqual([]);
    expect(record).toEqual({
      eventID: expect.stringMatching(/^[0-9a-f]{32}$/),
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      eventSourceARN: local.stream.streamArn,
      dynamodb: {
        ApproximateCreationDateTime: expect.any(Number),
        Keys: { command_id: { S: 'put-1' } },
        NewImage: image('put-1'),
        SequenceNumber: expect.stringMatching(/^\d{21}$/),
        SizeBytes: expect.any(Number),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(record!.dynamodb).not.toHaveProperty('OldImage');
    expect(Number.isInteger(record!.dynamodb!.ApproximateCreationDateTime)).toBe(true);
    expect(record!.dynamodb!.SizeBytes).toBeGreaterThan(0);
  });

  test('a conditional write that fails appends nothing', async () => {
    // GIVEN an existing PENDING command
    await docs.send(new PutCommand({ TableName, Item: command('cond-1') }));

    // WHEN a create-if-absent and a guarded update both fail their condition
    const appended = await appendedBy(async () => {
      await expect(
        docs.send(new PutCommand({ TableName, Item: command('cond-1', 'RUNNING'), ConditionExpression: 'attribute_not_exists(command_id)' })),
      ).rejects.toBeInstanceOf(ConditionalCheckFailedException);
      await expect(
        docs.send(
          new UpdateCommand({
            TableName,
            Key: { command_id: 'cond-1' },
            UpdateExpression: 'SET #s = :running',
            ConditionExpression: '#s = :succeeded',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':running': 'RUNNING', ':succeeded': 'SUCCESS' },
          }),
        ),
      ).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    });

    // THEN the stream is unchanged
    expect(appended).toEqual([]);
  });

  test('an update appends MODIFY with the old and the new image', async () => {
    await docs.send(new PutCommand({ TableName, Item: command('upd-1') }));

    const [record, ...more] = await appendedBy(() =>
      docs.send(
        new UpdateCommand({
          TableName,
          Key: { command_id: 'upd-1' },
          UpdateExpression: 'SET #s = :running ADD attempts :one',
          ConditionExpression: '#s = :pending',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':running': 'RUNNING', ':pending': 'PENDING', ':one': 1 },
        }),
      ),
    );

    expect(more).toEqual([]);
    expect(record?.eventName).toBe('MODIFY');
    expect(record?.dynamodb?.Keys).toEqual({ command_id: { S: 'upd-1' } });
    expect(record?.dynamodb?.OldImage).toEqual(image('upd-1'));
    expect(record?.dynamodb?.NewImage).toEqual(image('upd-1', 'RUNNING', '1'));
  });

  test('a write that changes nothing appends nothing, as the service does', async () => {
    await docs.send(new PutCommand({ TableName, Item: command('same-1') }));
    const appended = await appendedBy(() => docs.send(new PutCommand({ TableName, Item: command('same-1') })));
    expect(appended).toEqual([]);
  });

  test('a delete appends REMOVE with the old image; deleting a missing item appends nothing', async () => {
    await docs.send(new PutCommand({ TableName, Item: command('del-1') }));

    const [record, ...more] = await appendedBy(() => docs.send(new DeleteCommand({ TableName, Key: { command_id: 'del-1' } })));
    expect(more).toEqual([]);
    expect(record?.eventName).toBe('REMOVE');
    expect(record?.dynamodb?.Keys).toEqual({ command_id: { S: 'del-1' } });
    expect(record?.dynamodb?.OldImage).toEqual(image('del-1'));
    expect(record?.dynamodb).not.toHaveProperty('NewImage');

    expect(await appendedBy(() => docs.send(new DeleteCommand({ TableName, Key: { command_id: 'del-1' } })))).toEqual([]);
  });

  test('a batch write appends one record per changed item, in request order', async () => {
    await docs.send(new PutCommand({ TableName, Item: command('batch-0') }));

    const records = await appendedBy(() =>
      docs.send(
        new BatchWriteCommand({
          RequestItems: {
            [TableName]: [
              { PutRequest: { Item: command('batch-1') } },
              { DeleteRequest: { Key: { command_id: 'batch-0' } } },
              { PutRequest: { Item: command('batch-2') } },
              { DeleteRequest: { Key: { command_id: 'batch-missing' } } },
            ],
          },
        }),
      ),
    );

    expect(records.map((r) => [r.eventName, r.dynamodb?.Keys?.command_id?.S])).toEqual([
      ['INSERT', 'batch-1'],
      ['REMOVE', 'batch-0'],
      ['INSERT', 'batch-2'],
    ]);
  });

  test('sequence numbers increase strictly across the whole stream', async () => {
    await docs.send(new PutCommand({ TableName, Item: command('seq-1') }));
    await docs.send(new PutCommand({ TableName, Item: command('seq-2') }));
    const numbers = local.stream.records().map((r) => r.dynamodb!.SequenceNumber!);
    expect(numbers.length).toBeGreaterThan(2);
    for (let i = 1; i < numbers.length; i++) expect(BigInt(numbers[i]!)).toBeGreaterThan(BigInt(numbers[i - 1]!));
  });

  test('binary attributes appear base64-encoded in stream images, as Lambda delivers them', async () => {
    const [record] = await appendedBy(() => docs.send(new PutCommand({ TableName, Item: { ...command('bin-1'), blob: new Uint8Array([0, 1, 254, 255]) } })));
    expect(record?.dynamodb?.NewImage?.blob).toEqual({ B: Buffer.from([0, 1, 254, 255]).toString('base64') });
  });

  test('TransactWriteItems is not available locally (dynalite answers UnknownOperationException)', async () => {
    const appended = await appendedBy(async () => {
      await expect(
        local.client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName, Item: { command_id: { S: 'tx-1' } } } }] })),
      ).rejects.toMatchObject({ name: 'UnknownOperationException' });
    });
    expect(appended).toEqual([]);
  });

  test('a table created through the endpoint gets a stream only when it asks for one', async () => {
    // GIVEN one table without and one with a stream (KEYS_ONLY)
    const define = (name: string, stream: boolean) =>
      local.client.send(
        new CreateTableCommand({
          TableName: name,
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
          ...(stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' as const } } : {}),
        }),
      );
    await define('plain-table', false);
    await define('keys-only-table', true);

    // WHEN both receive a write
    const commandsBefore = local.stream.length;
    await docs.send(new PutCommand({ TableName: 'plain-table', Item: { pk: 'a', v: 1 } }));
    await docs.send(new PutCommand({ TableName: 'keys-only-table', Item: { pk: 'a', v: 1 } }));

    // THEN only the streamed table records it, with keys and no images; the commands stream is untouched
    expect(local.streamOf('plain-table')).toBeUndefined();
    const records = local.streamOf('keys-only-table')!.records();
    expect(records).toHaveLength(1);
    expect(records[0]!.dynamodb).toMatchObject({ Keys: { pk: { S: 'a' } }, StreamViewType: 'KEYS_ONLY' });
    expect(records[0]!.dynamodb).not.toHaveProperty('NewImage');
    expect(local.stream.length).toBe(commandsBefore);
  });

  test('the SDK honours AWS_ENDPOINT_URL_DYNAMODB from dynamoHandlerEnvironment', async () => {
    // GIVEN the handler environment, and a client configured as the handlers configure theirs
    const env = dynamoHandlerEnvironment(local);
    expect(env).toEqual({ AWS_ENDPOINT_URL_DYNAMODB: local.endpoint, COMMANDS_TABLE: TableName });
    const saved = process.env.AWS_ENDPOINT_URL_DYNAMODB;
    process.env.AWS_ENDPOINT_URL_DYNAMODB = env.AWS_ENDPOINT_URL_DYNAMODB;
    const client = new DynamoDBClient({ region: REGION, credentials: LOCAL_CREDENTIALS });
    try {
      // WHEN it writes without being given an endpoint
      const appended = await appendedBy(() => DynamoDBDocumentClient.from(client).send(new PutCommand({ TableName: env.COMMANDS_TABLE, Item: command('env-1') })));

      // THEN the write reached the local table
      expect(appended.map((r) => r.dynamodb?.Keys?.command_id?.S)).toEqual(['env-1']);
    } finally {
      client.destroy();
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
      else process.env.AWS_ENDPOINT_URL_DYNAMODB = saved;
    }
  });
});

describe('local DynamoDB on disk', () => {
  test('the table and its items survive a restart; the stream goes on for new writes', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const path = mkdtempSync(join(tmpdir(), 'painel-dynamo-'));
    try {
      const first = await startLocalDynamo({ port: 0, path });
      await DynamoDBDocumentClient.from(first.client).send(new PutCommand({ TableName: first.tableName, Item: { command_id: 'kept', list_pk: 'COMMAND', status: 'SUCCESS', created_at: '2026-11-30T00:00:00.000Z' } }));
      await first.stop();

      const second = await startLocalDynamo({ port: 0, path });
      try {
        const docs = DynamoDBDocumentClient.from(second.client);
        const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
        expect((await docs.send(new GetCommand({ TableName: second.tableName, Key: { command_id: 'kept' } }))).Item).toMatchObject({ status: 'SUCCESS' });
        await docs.send(new PutCommand({ TableName: second.tableName, Item: { command_id: 'new', list_pk: 'COMMAND', status: 'PENDING', created_at: '2026-11-30T00:00:01.000Z' } }));
        expect(second.stream.records().map((r) => r.dynamodb?.Keys?.command_id?.S)).toEqual(['new']);
        const { Table } = await second.client.send(new DescribeTableCommand({ TableName: second.tableName }));
        expect(Table?.StreamSpecification?.StreamEnabled).toBe(true);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(path, { recursive: true, force: true });
    }
  });

  test('the rate limits’ counters stay in memory: listed with the other tables, gone after a restart', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const { ListTablesCommand } = await import('@aws-sdk/client-dynamodb');
    const path = mkdtempSync(join(tmpdir(), 'painel-dynamo-'));
    try {
      // GIVEN a counter written on an on-disk local DynamoDB
      const first = await startLocalDynamo({ port: 0, path });
      const counter = { TableName: first.rateLimitTableName, Key: { pk: 'user#a#60' } };
      await DynamoDBDocumentClient.from(first.client).send(new UpdateCommand({ ...counter, UpdateExpression: 'ADD requests :one', ExpressionAttributeValues: { ':one': 1 } }));
      expect((await DynamoDBDocumentClient.from(first.client).send(new GetCommand(counter))).Item).toEqual({ pk: 'user#a#60', requests: 1 });
      // THEN both tables are listed, in DynamoDB's order, and paged as DynamoDB pages
      expect((await first.client.send(new ListTablesCommand({}))).TableNames).toEqual([first.tableName, first.rateLimitTableName].sort());
      const page = await first.client.send(new ListTablesCommand({ Limit: 1 }));
      expect(page.TableNames).toHaveLength(1);
      expect((await first.client.send(new ListTablesCommand({ ExclusiveStartTableName: page.LastEvaluatedTableName }))).TableNames).toHaveLength(1);
      await expect(first.client.send(new ListTablesCommand({ Limit: 0 }))).rejects.toMatchObject({ name: 'ValidationException' });
      await first.stop();

      // WHEN npm run dev starts again on the same directory
      const second = await startLocalDynamo({ port: 0, path });
      try {
        // THEN the counter is gone (it would have expired within its window) and the table is there, empty
        expect((await DynamoDBDocumentClient.from(second.client).send(new GetCommand({ ...counter, TableName: second.rateLimitTableName }))).Item).toBeUndefined();
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(path, { recursive: true, force: true });
    }
  });
});
