import { DynamoDBDocumentClient, PutCommand, UpdateCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { COMMAND_PROCESSOR } from '@lambda/commands/declaration';
import {
  startEventSourceMapping,
  startLocalDynamo,
  type EventSourceMapping,
  type EventSourceMappingConfig,
  type LocalDynamo,
  type StreamHandler,
} from '@local/dynamodb';

/** The declared mapping without its batching window, so partial batches go out at once. */
const NO_WINDOW: EventSourceMappingConfig = { ...COMMAND_PROCESSOR, maxBatchingWindowSeconds: 0 };

describe('local event source mapping (one shard, in-process handler)', () => {
  let local: LocalDynamo;
  let docs: DynamoDBDocumentClient;
  let mapping: EventSourceMapping | undefined;

  beforeEach(async () => {
    local = await startLocalDynamo({ port: 0 });
    docs = DynamoDBDocumentClient.from(local.client);
  });

  afterEach(async () => {
    await mapping?.stop();
    mapping = undefined;
    await local.stop();
  });

  const insert = async (ids: string[], status = 'PENDING') => {
    for (const id of ids) {
      await docs.send(new PutCommand({ TableName: local.tableName, Item: { command_id: id, status, list_pk: 'COMMAND', created_at: new Date().toISOString() } }));
    }
  };
  const idOf = (r: DynamoDBRecord) => r.dynamodb?.NewImage?.command_id?.S ?? r.dynamodb?.Keys?.command_id?.S;
  const seqOf = (id: string) => local.stream.records().find((r) => idOf(r) === id)!.dynamodb!.SequenceNumber!;
  const ids = (n: number, prefix = 'c') => Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);

  /** A handler that records every invocation's ids and answers with `respond`. */
  function recorder(respond: (batch: string[], event: DynamoDBStreamEvent) => DynamoDBBatchResponse | void | Promise<DynamoDBBatchResponse | void> = () => undefined) {
    const calls: string[][] = [];
    const handler: StreamHandler = async (event) => {
      const batch = event.Records.map((r) => idOf(r)!);
      calls.push(batch);
      return respond(batch, event);
    };
    return { calls, handler };
  }

  test('the declared filter drops everything but the INSERT of a PENDING command', async () => {
    // GIVEN a PENDING insert, a RUNNING insert, an update and a delete
    await insert(['p-1']);
    await insert(['r-1'], 'RUNNING');
    await docs.send(
      new UpdateCommand({ TableName: local.tableName, Key: { command_id: 'p-1' }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': 'RUNNING' } }),
    );
    await docs.send(new DeleteCommand({ TableName: local.tableName, Key: { command_id: 'r-1' } }));
    await insert(['p-2']);

    // WHEN the mapping consumes the stream
    const { calls, handler } = recorder();
    mapping = startEventSourceMapping({ stream: local.stream, handler, config: NO_WINDOW });
    await mapping.idle();

    // THEN only the PENDING inserts reached the handler, and the mapping is past the rest
    expect(local.stream.length).toBe(5);
    expect(calls.flat()).toEqual(['p-1', 'p-2']);
    expect(mapping.failures).toEqual([]);
  });

  test('batches respect batchSize and arrive in stream order, one at a time', async () => {
    // GIVEN 12 records already in the stream
    await insert(ids(12));

    // WHEN the mapping starts with the declared configuration (batch size 5, 1 s window)
    let running = 0;
    let overlapped = false;
    const { calls, handler } = recorder(async () => {
      overlapped ||= running > 0;
      running++;
      await new Promise((resolve) => setImmediate(resolve));
      running--;
    });
    mapping = startEventSourceMapping({ stream: local.stream, handler, config: COMMAND_PROCESSOR });
    await mapping.idle();

    // THEN three batches, full ones first, never two at once
    expect(calls.map((batch) => batch.length)).toEqual([5, 5, 2]);
    expect(calls.flat()).toEqual(ids(12));
    expect(overlapped).toBe(false);
  });

  test('records written while the mapping runs are delivered; LATEST skips what came before', async () => {
    await insert(['before-1']);
    const { calls, handler } = recorder();
    mapping = startEventSourceMapping({ stream: local.stream, handler, config: { ...NO_WINDOW, startingPosition: 'LATEST' } });

    await insert(['after-1', 'after-2']);
    await mapping.idle();

    expect(calls.flat()).toEqual(['after-1', 'after-2']);
  });

  test('each invocation gets a Lambda context', async () => {
    await insert(['ctx-1']);
    const contexts: Array<{ id: string; remaining: number; name: string }> = [];
    mapping = startEventSourceMapping({
      stream: local.stream,
      config: NO_WINDOW,
      handler: async (_event, context) => {
        contexts.push({ id: context.awsRequestId, remaining: context.getRemainingTimeInMillis(), name: context.functionName });
      },
    });
    await mapping.idle();
    expect(contexts).toEqual([{ id: expect.stringMatching(/^[0-9a-f-]{36}$/), remaining: expect.any(Number), name: 'painel-local-process-command' }]);
    expect(contexts[0]!.remaining).toBeGreaterThan(0);
    expect(contexts[0]!.remaining).toBeLessThanOrEqual(COMMAND_PROCESSOR.functionTimeoutSeconds * 1000);
  });

  test('a partial failure is retried from the lowest reported sequence number, later records included', async () => {
    // GIVEN five records, where the handler reports c-4 and c-2 failed the first time
    await insert(ids(5));
    let first = true;
    const { calls, handler } = recorder(() => {
      if (!first) return;
      first = false;
      return { batchItemFailures: [{ itemIdentifier: seqOf('c-4') }, { itemIdentifier: seqOf('c-2') }] };
    });

    // WHEN the mapping runs
    mapping = startEventSourceMapping({ stream: local.stream, handler, config: NO_WINDOW });
    await mapping.idle();

    // THEN the retry starts at c-2 (the lowest) and c-1 is not delivered again
    expect(calls).toEqual([ids(5), ['c-2', 'c-3', 'c-4', 'c-5']]);
    expect(mapping.failures).toEqual([]);
  });

  test('an empty or unknown itemIdentifier fails the whole batch', async () => {
    await insert(ids(3));
    const answers: DynamoDBBatchResponse[] = [{ batchItemFailures: [{ itemIdentifier: '' }] }, { batchItemFailures: [{ itemIdentifier: '999' }] }];
    const { calls, handler } = recorder(() => answers.shift());

    mapping = startEventSourceMapping({ stream: local.stream, handler, config: { ...NO_WINDOW, bisectBatchOnError: false } });
    await mapping.idle();

    expect(calls).toEqual([ids(3), ids(3), ids(3)]);
  });

  test('with bisect, a thrown error isolates the poison record, which goes to on-failure; the rest are processed', async () => {
    // GIVEN five records and a handler that throws on any batch holding c-4
    await insert(ids(5));
    const { calls, handler } = recorder((batch) => {
      if (batch.includes('c-4')) throw new Error('poison');
    });

    // WHEN the mapping runs with the declared bisect and 3 retries
    mapping = startEventSourceMapping({ stream: local.stream, handler, config: NO_WINDOW });
    await mapping.idle();

    // THEN the batch is halved until c-4 is alone, retried 3 times, then sent to on-failure
    expect(calls).toEqual([ids(5), ['c-1', 'c-2', 'c-3'], ['c-4', 'c-5'], ['c-4'], ['c-4'], ['c-4'], ['c-4'], ['c-5']]);
    expect(mapping.failures).toEqual([
      {
        requestContext: {
          requestId: expect.any(String),
          functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:painel-local-process-command',
          condition: 'RetryAttemptsExhausted',
          approximateInvokeCount: 4,
        },
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
        version: '1.0',
        timestamp: expect.any(String),
        DDBStreamBatchInfo: {
          shardId: local.stream.shardId,
          startSequenceNumber: seqOf('c-4'),
          endSequenceNumber: seqOf('c-4'),
          approximateArrivalOfFirstRecord: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
          approximateArrivalOfLastRecord: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
          batchSize: 1,
          streamArn: local.stream.streamArn,
        },
      },
    ]);
  });

  test('without bisect, exhausted retries send the whole batch to on-failure and the mapping moves on', async () => {
    // GIVEN a batch that always fails
    await insert(ids(3, 'bad'));
    const { calls, handler } = recorder((batch) => {
      if (batch.some((id) => id.startsWith('bad'))) throw new Error('always');
    });
    mapping = startEventSourceMapping({ stream: local.stream, handler, config: { ...NO_WINDOW, bisectBatchOnError: false, retryAttempts: 2 } });
    await mapping.idle();

    // THEN it was tried 1 + 2 times, then recorded as one failed batch
    expect(calls).toEqual([ids(3, 'bad'), ids(3, 'bad'), ids(3, 'bad')]);
    expect(mapping.failures.map((f) => [f.requestContext.condition, f.DDBStreamBatchInfo.batchSize, f.DDBStreamBatchInfo.startSequenceNumber, f.DDBStreamBatchInfo.endSequenceNumber])).toEqual([
      ['RetryAttemptsExhausted', 3, seqOf('bad-1'), seqOf('bad-3')],
    ]);

    // AND WHEN a new record arrives, it is delivered
    await insert(['good-1']);
    await mapping.idle();
    expect(calls.at(-1)).toEqual(['good-1']);
  });

  test('records older than maxRecordAgeSeconds go to on-failure without reaching the handler', async () => {
    // GIVEN records, and a mapping whose clock is two hours ahead (max age is one hour)
    await insert(ids(2));
    const { calls, handler } = recorder();
    mapping = startEventSourceMapping({ stream: local.stream, handler, config: NO_WINDOW, now: () => Date.now() + 2 * 3600_000 });
    await mapping.idle();

    expect(calls).toEqual([]);
    expect(mapping.failures).toHaveLength(1);
    expect(mapping.failures[0]).toMatchObject({
      requestContext: { condition: 'RecordAgeExceeded', approximateInvokeCount: 0 },
      DDBStreamBatchInfo: { batchSize: 2, startSequenceNumber: seqOf('c-1'), endSequenceNumber: seqOf('c-2') },
    });
    expect(mapping.failures[0]).not.toHaveProperty('responseContext');
  });

  test('what is not emulated is refused at construction, never approximated', () => {
    const handler: StreamHandler = async () => undefined;
    const start = (config: Partial<EventSourceMappingConfig>) => () => startEventSourceMapping({ stream: local.stream, handler, config: { ...NO_WINDOW, ...config } });

    expect(start({ filters: [{ dynamodb: { NewImage: { status: { S: [{ prefix: 'PEND' }] } } } }] })).toThrow(/operator .*prefix.* not implemented/);
    expect(start({ filters: [{ eventName: 'INSERT' }] })).toThrow(/must be arrays/);
    expect(start({ parallelizationFactor: 2 })).toThrow(/parallelizationFactor/);
    expect(start({ batchSize: 0 })).toThrow(/batchSize/);
  });

  test('idle() rejects once the mapping is stopped with records still pending', async () => {
    await insert(ids(1));
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    mapping = startEventSourceMapping({ stream: local.stream, handler: () => blocked, config: NO_WINDOW });
    await insert(['late-1']);
    const idle = mapping.idle();

    const stopped = mapping.stop();
    release();
    await stopped;
    await expect(idle).rejects.toThrow('event source mapping stopped');
  });
});
