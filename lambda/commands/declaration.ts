/**
 * The operational-commands table and its stream consumer, declared once as plain data. The CDK
 * stacks (table, event source mapping, alarms) and the local runtime (dynalite table, stream
 * emulator) both read these objects; nothing here imports the SDK or CDK.
 */
import type { FunctionAccess } from '../shared/function-access';

export type AttributeType = 'S' | 'N';

export interface KeyAttribute {
  readonly name: string;
  readonly type: AttributeType;
}

export interface IndexDeclaration {
  readonly name: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  /** Every index projects ALL attributes: list pages are read from the index alone. */
  readonly projection: 'ALL';
}

export interface TableDeclaration {
  /** Logical name; CDK generates the physical one, the local runtime uses it as is. */
  readonly logicalName: string;
  readonly partitionKey: KeyAttribute;
  readonly billingMode: 'PAY_PER_REQUEST';
  /** Absent: no stream. */
  readonly streamViewType?: 'NEW_AND_OLD_IMAGES';
  /** Epoch seconds after which DynamoDB deletes the item. */
  readonly ttlAttribute: string;
  readonly indexes?: Readonly<Record<string, IndexDeclaration>>;
}

/**
 * `operational_commands`. The key is `command_id` alone, not the contract's command_id +
 * created_at: a command is addressed by its id (the processor, the sweeper, an idempotent retry),
 * and with created_at in the key a conditional "create if this id does not exist" cannot be
 * expressed, since each created_at would be a different item. created_at remains the sort key of
 * every index, which is where ordering matters.
 *
 * `list_pk` is the same constant on every command so that "all commands, newest first" is one
 * Query of one index, paginated by DynamoDB itself. A single partition takes ~1,000 writes/s,
 * orders of magnitude above what support staff issue.
 */
export const COMMANDS_TABLE = {
  logicalName: 'OperationalCommands',
  partitionKey: { name: 'command_id', type: 'S' },
  billingMode: 'PAY_PER_REQUEST',
  streamViewType: 'NEW_AND_OLD_IMAGES',
  ttlAttribute: 'ttl',
  indexes: {
    byTenant: { name: 'tenant_id-created_at-index', partitionKey: { name: 'tenant_id', type: 'S' }, sortKey: { name: 'created_at', type: 'S' }, projection: 'ALL' },
    byStatus: { name: 'status-created_at-index', partitionKey: { name: 'status', type: 'S' }, sortKey: { name: 'created_at', type: 'S' }, projection: 'ALL' },
    all: { name: 'list_pk-created_at-index', partitionKey: { name: 'list_pk', type: 'S' }, sortKey: { name: 'created_at', type: 'S' }, projection: 'ALL' },
  },
} as const satisfies TableDeclaration;

/** The value of `list_pk` on every command. */
export const COMMANDS_LIST_PK = 'COMMAND';
/** Commands are deleted by TTL this long after creation. */
export const COMMAND_RETENTION_DAYS = 90;

/** How long one command may run before the processor abandons it (and the sweeper ends it). */
export const COMMAND_TIMEOUT_SECONDS = 25;

/** A Lambda event source mapping on a DynamoDB stream, as plain data. */
export interface StreamConsumerDeclaration {
  /** Entry file under lambda/. */
  readonly handler: string;
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly parallelizationFactor: number;
  readonly reportBatchItemFailures: boolean;
  readonly bisectBatchOnError: boolean;
  readonly retryAttempts: number;
  readonly maxRecordAgeSeconds: number;
  readonly functionTimeoutSeconds: number;
  /** Lambda filter criteria patterns (EventBridge pattern syntax), matched against each record. */
  readonly filters: ReadonlyArray<Record<string, unknown>>;
  /** What the consumer's function may touch (its effects beyond these are granted by the Jobs stack). */
  readonly access: FunctionAccess;
  /** Alarm when the oldest record of a batch is older than this when it reaches the function (IteratorAge), seconds. */
  readonly iteratorAgeAlarmSeconds: number;
}

/**
 * The processor's event source mapping. Lambda filter criteria drop every record whose new image
 * is not a PENDING command before the function is invoked — a command is PENDING only when it is
 * inserted, so that is its INSERT. A DynamoDB stream filter may only name the `dynamodb` key (the
 * Lambda developer guide), not `eventName`; the handler checks the event name itself (filters are
 * a cost optimisation, not a guarantee the code may rely on).
 */
export const COMMAND_PROCESSOR: StreamConsumerDeclaration = {
  handler: 'jobs/process-command.ts',
  startingPosition: 'TRIM_HORIZON',
  batchSize: 5,
  maxBatchingWindowSeconds: 1,
  /** One concurrent batch per shard: records of a shard are processed in order. */
  parallelizationFactor: 1,
  reportBatchItemFailures: true,
  bisectBatchOnError: true,
  retryAttempts: 3,
  maxRecordAgeSeconds: 60 * 60,
  /** Every command of a full batch can time out and the function still ends in time. */
  functionTimeoutSeconds: 5 * COMMAND_TIMEOUT_SECONDS + 30, // batchSize × the command timeout, plus slack
  filters: [{ dynamodb: { NewImage: { status: { S: ['PENDING'] } } } }],
  access: { database: 'writer', commandsTable: 'readWrite', commandEffects: true },
  // A command normally starts within seconds; five minutes behind means the processor is stuck or failing.
  iteratorAgeAlarmSeconds: 5 * 60,
};

/**
 * The sweeper finishes what its processor could not (lambda/commands/sweep.ts): it runs again a
 * command left RUNNING past its deadline (the effect applies once whatever happened before), gives
 * up on one after `maxRedrives` re-drives or PENDING past what the stream could still deliver (its
 * record went to the on-failure queue), and ends as failed a command whose creation was recorded
 * but that was never stored.
 */
export const COMMAND_SWEEPER = {
  handler: 'jobs/sweep-commands.ts',
  schedule: 'rate(5 minutes)',
  /** A PENDING command older than this will never be delivered again. */
  pendingGiveUpSeconds: COMMAND_PROCESSOR.maxRecordAgeSeconds + 15 * 60,
  /** How many times a command left RUNNING is run again before it ends in ERROR. */
  maxRedrives: 6,
  /** A recorded creation with no command this long after is one the API could not store (the API answers within 29 s). */
  unstoredAfterSeconds: 15 * 60,
  /** How far back creations are checked (earlier ones were checked by earlier sweeps). */
  unstoredLookBackSeconds: 24 * 3600,
  /** At most this many commands per kind per sweep, so that one sweep ends well inside its timeout. */
  batch: 50,
} as const;
