import { randomBytes, randomUUID } from 'node:crypto';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { ACCOUNT, REGION } from '../config';
import { compileFilters } from './filter';
import type { LocalStream } from './stream';

/**
 * Lambda's DynamoDB event source mapping for one shard, invoking a handler in process. It follows
 * the service's documented behaviour (with-ddb, services-ddb-batchfailurereporting):
 * - records that match no filter are dropped before batching and the position moves past them;
 * - a batch is up to batchSize matching records, gathered for at most the batching window;
 * - one batch at a time, in order (parallelizationFactor 1);
 * - a thrown error (or a timeout) fails the whole batch; with ReportBatchItemFailures the lowest
 *   reported sequence number is the checkpoint and the retry starts there, later records included;
 *   an empty, null or unknown itemIdentifier fails the whole batch;
 * - BisectBatchOnFunctionError halves a failed batch and retries each half; splitting does not
 *   count towards the retry quota, a partial failure is not bisected but retried from its checkpoint;
 * - after retryAttempts retries, or once a record is older than maxRecordAgeSeconds, the records go
 *   to the on-failure destination (here: `failures`, in the shape of the SQS message) and the
 *   mapping moves on.
 */

/** The shape of COMMAND_PROCESSOR in lambda/commands/declaration.ts. */
export interface EventSourceMappingConfig {
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds?: number;
  readonly parallelizationFactor?: number;
  readonly reportBatchItemFailures?: boolean;
  readonly bisectBatchOnError?: boolean;
  /** -1 (the service's default): retry until the record expires. */
  readonly retryAttempts?: number;
  /** -1 (the service's default): no limit. */
  readonly maxRecordAgeSeconds?: number;
  readonly functionTimeoutSeconds?: number;
  /** Lambda filter criteria patterns; see filter.ts for what is implemented. */
  readonly filters?: ReadonlyArray<Record<string, unknown>>;
  /** The handler module; names the fake function. */
  readonly handler?: string;
}

export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | void>;

export interface EventSourceMappingOptions {
  stream: LocalStream;
  handler: StreamHandler;
  config: EventSourceMappingConfig;
  /** Overrides for the fake Lambda context (functionName, memoryLimitInMB, …). */
  context?: Partial<Omit<Context, 'getRemainingTimeInMillis' | 'done' | 'fail' | 'succeed' | 'awsRequestId'>>;
  /** Diagnostic lines (invocation failures, on-failure sends); never record contents. */
  log?: (entry: Record<string, unknown>) => void;
  /** The clock that ages records (epoch ms); tests move it forward instead of waiting. */
  now?: () => number;
  /** First retry delay; doubles per retry up to 8×. The service backs off in seconds. */
  retryBaseDelayMs?: number;
}

/** What Lambda sends to an SQS/SNS on-failure destination for a DynamoDB stream batch. */
export interface OnFailureRecord {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded';
    approximateInvokeCount: number;
  };
  responseContext?: { statusCode: number; executedVersion: string; functionError?: 'Unhandled' };
  version: '1.0';
  timestamp: string;
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

export interface EventSourceMapping {
  /** The on-failure destination. */
  readonly failures: OnFailureRecord[];
  /** Resolves once every record appended so far was delivered, filtered out or sent to on-failure. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** A record and its position in the stream. */
interface Entry {
  record: DynamoDBRecord;
  index: number;
}

type Outcome = { kind: 'success' } | { kind: 'partial'; failedAt: number } | { kind: 'failure'; functionError: boolean };

class Stopped extends Error {}

export function startEventSourceMapping(options: EventSourceMappingOptions): EventSourceMapping {
  const { stream, handler, config } = options;
  const settings = validate(config);
  const matches = compileFilters(config.filters);
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const baseDelay = options.retryBaseDelayMs ?? 10;
  const functionName = options.context?.functionName ?? functionNameOf(config.handler);
  const functionArn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionName}`;
  const failures: OnFailureRecord[] = [];

  let cursor = config.startingPosition === 'LATEST' ? stream.length : 0;
  /** Every record before this position is done with. */
  let done = cursor;
  let stopped = false;
  let crashed: unknown;
  let wake: (() => void) | undefined;
  const waiters: Array<{ target: number; resolve: () => void; reject: (e: unknown) => void }> = [];

  const unsubscribe = stream.subscribe(() => wake?.());

  /** Resolves on the next append, on stop, or after `ms`. */
  const nextSignal = (ms?: number) =>
    new Promise<void>((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => finish(), ms);
      const finish = () => {
        if (timer) clearTimeout(timer);
        wake = undefined;
        resolve();
      };
      wake = finish;
    });

  const advance = (to: number) => {
    done = Math.max(done, to);
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.target <= done) waiters.splice(i, 1)[0]!.resolve();
    }
  };

  const gather = async (): Promise<{ entries: Entry[]; end: number }> => {
    const entries: Entry[] = [];
    let position = cursor;
    let deadline: number | undefined;
    for (;;) {
      while (position < stream.length && entries.length < settings.batchSize) {
        const record = stream.at(position)!;
        if (matches(record)) entries.push({ record, index: position });
        position++;
      }
      if (stopped || entries.length >= settings.batchSize) return { entries, end: position };
      if (entries.length === 0) {
        if (position > cursor) return { entries, end: position }; // only filtered-out records
        await nextSignal();
        continue;
      }
      // The window runs on the real clock: it is about waiting, not about record age.
      deadline ??= Date.now() + settings.windowMs;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return { entries, end: position };
      await nextSignal(remaining);
    }
  };

  const toOnFailure = (entries: Entry[], condition: OnFailureRecord['requestContext']['condition'], invocations: number, lastRequestId: string | undefined, functionError: boolean | undefined) => {
    const first = entries[0]!.record.dynamodb!;
    const last = entries[entries.length - 1]!.record.dynamodb!;
    const arrival = (seconds: number | undefined) => new Date((seconds ?? 0) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    failures.push({
      requestContext: { requestId: lastRequestId ?? randomUUID(), functionArn, condition, approximateInvokeCount: invocations },
      ...(invocations > 0 ? { responseContext: { statusCode: 200, executedVersion: '$LATEST', ...(functionError ? { functionError: 'Unhandled' as const } : {}) } } : {}),
      version: '1.0',
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        shardId: stream.shardId,
        startSequenceNumber: first.SequenceNumber!,
        endSequenceNumber: last.SequenceNumber!,
        approximateArrivalOfFirstRecord: arrival(first.ApproximateCreationDateTime),
        approximateArrivalOfLastRecord: arrival(last.ApproximateCreationDateTime),
        batchSize: entries.length,
        streamArn: stream.streamArn,
      },
    });
    log({ level: 'WARN', message: 'batch sent to on-failure destination', condition, batchSize: entries.length, startSequenceNumber: first.SequenceNumber, endSequenceNumber: last.SequenceNumber });
    advance(entries[entries.length - 1]!.index + 1);
  };

  const expired = (entry: Entry) =>
    settings.maxAgeMs >= 0 && now() - (entry.record.dynamodb?.ApproximateCreationDateTime ?? 0) * 1000 > settings.maxAgeMs;

  let lastRequestId: string | undefined;

  const invoke = async (entries: Entry[]): Promise<Outcome> => {
    const context = fakeContext(functionName, functionArn, settings.timeoutMs, options.context);
    lastRequestId = context.awsRequestId;
    // Each invocation gets its own copy, as each real one gets freshly parsed JSON.
    const event: DynamoDBStreamEvent = { Records: entries.map((e) => structuredClone(e.record)) };
    let timer: NodeJS.Timeout | undefined;
    try {
      // A timed-out invocation fails the batch; unlike a real sandbox, the handler is not frozen.
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Task timed out after ${settings.timeoutMs / 1000} seconds`)), settings.timeoutMs);
      });
      const response = await Promise.race([handler(event, context), timeout]);
      return interpret(response, entries, settings.reportFailures);
    } catch (error) {
      log({ level: 'ERROR', message: 'invocation failed', requestId: context.awsRequestId, error: (error as Error)?.message ?? String(error), batchSize: entries.length });
      return { kind: 'failure', functionError: true };
    } finally {
      clearTimeout(timer);
    }
  };

  /** Delivers a batch until it succeeds or goes to on-failure. */
  const deliver = async (batch: Entry[], retriesSoFar: number): Promise<void> => {
    let pending = batch;
    let retries = retriesSoFar;
    let invocations = 0;
    let functionError: boolean | undefined;
    while (pending.length > 0) {
      if (stopped) throw new Stopped();
      // Records are in arrival order, so the expired ones are a prefix; the handler never sees them.
      const fresh = pending.findIndex((e) => !expired(e));
      const expiredCount = fresh === -1 ? pending.length : fresh;
      if (expiredCount > 0) {
        toOnFailure(pending.slice(0, expiredCount), 'RecordAgeExceeded', invocations, invocations > 0 ? lastRequestId : undefined, functionError);
        pending = pending.slice(expiredCount);
        continue;
      }

      invocations++;
      const outcome = await invoke(pending);
      if (outcome.kind === 'success') {
        advance(pending[pending.length - 1]!.index + 1);
        return;
      }
      if (outcome.kind === 'partial') {
        functionError = false;
        if (outcome.failedAt > 0) advance(pending[outcome.failedAt - 1]!.index + 1);
        pending = pending.slice(outcome.failedAt);
      } else {
        functionError = outcome.functionError;
        if (settings.bisect && pending.length > 1) {
          const middle = Math.ceil(pending.length / 2);
          await deliver(pending.slice(0, middle), retries);
          await deliver(pending.slice(middle), retries);
          return;
        }
      }
      retries++;
      if (settings.retryAttempts >= 0 && retries > settings.retryAttempts) {
        toOnFailure(pending, 'RetryAttemptsExhausted', invocations, lastRequestId, functionError);
        return;
      }
      await sleep(Math.min(baseDelay * 2 ** (retries - 1), baseDelay * 8));
    }
  };

  const sleep = async (ms: number) => {
    const end = Date.now() + ms;
    // Appends wake the signal early; keep sleeping until the delay is over or the mapping stops.
    while (!stopped && Date.now() < end) await nextSignal(end - Date.now());
  };

  const loop = (async () => {
    try {
      while (!stopped) {
        const { entries, end } = await gather();
        if (stopped) break;
        if (entries.length > 0) await deliver(entries, 0);
        cursor = end;
        advance(end);
      }
    } catch (error) {
      if (!(error instanceof Stopped)) {
        crashed = error;
        log({ level: 'ERROR', message: 'event source mapping crashed', error: (error as Error)?.message ?? String(error) });
      }
    } finally {
      unsubscribe();
      for (const waiter of waiters.splice(0)) waiter.reject(crashed ?? new Error('event source mapping stopped'));
    }
  })();

  return {
    failures,
    idle() {
      if (crashed) return Promise.reject(crashed);
      const target = stream.length;
      if (done >= target) return Promise.resolve();
      if (stopped) return Promise.reject(new Error('event source mapping stopped'));
      return new Promise((resolve, reject) => waiters.push({ target, resolve, reject }));
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}

/**
 * The handler's answer as the service reads it: anything without a batchItemFailures list is a
 * success; an identifier that is empty, null or not in the batch fails the whole batch.
 */
function interpret(response: unknown, entries: Entry[], reportFailures: boolean): Outcome {
  if (!reportFailures || response === null || typeof response !== 'object') return { kind: 'success' };
  const reported = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (reported === undefined || reported === null) return { kind: 'success' };
  if (!Array.isArray(reported)) return { kind: 'failure', functionError: false };
  if (reported.length === 0) return { kind: 'success' };
  let failedAt = Infinity;
  for (const failure of reported) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const index = typeof id === 'string' && id !== '' ? entries.findIndex((e) => e.record.dynamodb?.SequenceNumber === id) : -1;
    if (index === -1) return { kind: 'failure', functionError: false };
    failedAt = Math.min(failedAt, index);
  }
  return { kind: 'partial', failedAt };
}

interface Settings {
  batchSize: number;
  windowMs: number;
  retryAttempts: number;
  maxAgeMs: number;
  timeoutMs: number;
  bisect: boolean;
  reportFailures: boolean;
}

/** The service's limits; anything outside them (or unimplemented) is refused, not approximated. */
function validate(config: EventSourceMappingConfig): Settings {
  const check = (ok: boolean, message: string) => {
    if (!ok) throw new Error(`event source mapping: ${message}`);
  };
  check(config.startingPosition === 'TRIM_HORIZON' || config.startingPosition === 'LATEST', `startingPosition ${String(config.startingPosition)} is not available for DynamoDB streams`);
  check(Number.isInteger(config.batchSize) && config.batchSize >= 1 && config.batchSize <= 10_000, 'batchSize must be 1..10000');
  const window = config.maxBatchingWindowSeconds ?? 0;
  check(window >= 0 && window <= 300, 'maxBatchingWindowSeconds must be 0..300');
  check((config.parallelizationFactor ?? 1) === 1, 'only parallelizationFactor 1 is emulated (one batch at a time per shard)');
  const retryAttempts = config.retryAttempts ?? -1;
  check(Number.isInteger(retryAttempts) && retryAttempts >= -1 && retryAttempts <= 10_000, 'retryAttempts must be -1..10000');
  const maxAge = config.maxRecordAgeSeconds ?? -1;
  check(maxAge === -1 || (maxAge >= 60 && maxAge <= 604_800), 'maxRecordAgeSeconds must be -1 or 60..604800');
  const timeout = config.functionTimeoutSeconds ?? 3;
  check(timeout > 0 && timeout <= 900, 'functionTimeoutSeconds must be 1..900');
  return {
    batchSize: config.batchSize,
    windowMs: window * 1000,
    retryAttempts,
    maxAgeMs: maxAge === -1 ? -1 : maxAge * 1000,
    timeoutMs: timeout * 1000,
    bisect: config.bisectBatchOnError ?? false,
    reportFailures: config.reportBatchItemFailures ?? false,
  };
}

function functionNameOf(handler: string | undefined): string {
  const base = handler?.split('/').pop()?.replace(/\.[cm]?[jt]s$/, '');
  return base ? `painel-local-${base}` : 'painel-local-stream-consumer';
}

function fakeContext(functionName: string, functionArn: string, timeoutMs: number, overrides: EventSourceMappingOptions['context']): Context {
  const deadline = Date.now() + timeoutMs;
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn,
    memoryLimitInMB: '128',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    ...overrides,
    awsRequestId: randomUUID(),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
