import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from '../shared/zod';
import { fieldError } from '../shared/http/validate';
import { COMMANDS_LIST_PK, COMMANDS_TABLE, type IndexDeclaration } from './declaration';
import { type CommandStatus, type CommandType, type StoredCommand, StoredCommandSchema } from './schemas';

/**
 * Every DynamoDB access to the commands table. Status transitions are conditional updates, so
 * two deliveries of one stream record, or the processor and the sweeper, can never both win.
 */

export interface ListFilter {
  status?: CommandStatus;
  commandType?: CommandType;
  tenantId?: string;
}

export interface ListPage {
  items: StoredCommand[];
  nextCursor: string | null;
}

export type Outcome = { status: 'SUCCESS'; output: string } | { status: 'ERROR'; errorMessage: string };

const INDEXES = COMMANDS_TABLE.indexes;
const KEY = COMMANDS_TABLE.partitionKey.name;

export class CommandStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /** Writes a new command unless its id exists; then returns the existing one instead. */
  async create(command: StoredCommand): Promise<{ created: true } | { created: false; existing: StoredCommand }> {
    try {
      await this.doc.send(new PutCommand({ TableName: this.tableName, Item: command, ConditionExpression: 'attribute_not_exists(#key)', ExpressionAttributeNames: { '#key': KEY } }));
      return { created: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.get(command.command_id);
      if (!existing) throw error; // deleted in between (TTL): let the caller retry
      return { created: false, existing };
    }
  }

  async get(commandId: string): Promise<StoredCommand | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { [KEY]: commandId }, ConsistentRead: true }));
    return Item ? StoredCommandSchema.parse(Item) : undefined;
  }

  /** PENDING → RUNNING. False when someone else already claimed it (a duplicate delivery). */
  async claim(commandId: string, startedAt: string, deadlineAt: string): Promise<boolean> {
    return this.transition(commandId, 'PENDING', 'SET #status = :running, started_at = :started, deadline_at = :deadline', {
      ':running': 'RUNNING',
      ':started': startedAt,
      ':deadline': deadlineAt,
    });
  }

  /**
   * Writes the command's outcome — the one recorded in Aurora, which decides — onto a command
   * still PENDING or RUNNING. False when it already ended (the same outcome, written by whoever
   * got there first) or no longer exists.
   */
  async settle(commandId: string, outcome: Outcome, completedAt: string): Promise<boolean> {
    const values: Record<string, unknown> = { ':final': outcome.status, ':completed': completedAt, ':pending': 'PENDING', ':running': 'RUNNING' };
    const names: Record<string, string> = {};
    let set = 'SET #status = :final, completed_at = :completed';
    if (outcome.status === 'SUCCESS') {
      set += ', #output = :output'; // `output` is not a reserved word today, but the name costs nothing
      names['#output'] = 'output';
      values[':output'] = outcome.output;
    } else {
      set += ', error_message = :error';
      values[':error'] = outcome.errorMessage;
    }
    return this.update(commandId, `${set} REMOVE deadline_at`, 'attribute_exists(#key) AND #status IN (:pending, :running)', values, names);
  }

  /**
   * The sweeper takes over a RUNNING command past its deadline: a new deadline, one more re-drive
   * counted. Resolves the re-drive count, or undefined when the command is no longer RUNNING past
   * its deadline (it ended, or someone else took it over first).
   */
  async redrive(commandId: string, now: string, deadlineAt: string): Promise<number | undefined> {
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [KEY]: commandId },
          UpdateExpression: 'SET deadline_at = :deadline ADD redrives :one',
          ConditionExpression: 'attribute_exists(#key) AND #status = :running AND deadline_at < :now',
          ExpressionAttributeNames: { '#key': KEY, '#status': 'status' },
          ExpressionAttributeValues: { ':deadline': deadlineAt, ':one': 1, ':running': 'RUNNING', ':now': now },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(Attributes?.redrives ?? 1);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  private transition(commandId: string, from: CommandStatus, update: string, values: Record<string, unknown>, names: Record<string, string> = {}): Promise<boolean> {
    return this.update(commandId, update, 'attribute_exists(#key) AND #status = :from', { ...values, ':from': from }, names);
  }

  private async update(commandId: string, update: string, condition: string, values: Record<string, unknown>, names: Record<string, string> = {}): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [KEY]: commandId },
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#key': KEY, '#status': 'status', ...names },
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * One page, newest first, from the index that narrows the most: the tenant's, else the
   * status's, else the all-commands index; the remaining filters are FilterExpressions. `offset`
   * matching commands are read and skipped.
   */
  async list(filter: ListFilter, limit: number, options: { offset?: number; cursor?: string } = {}): Promise<ListPage> {
    const plan = queryPlan(filter);
    let startKey = options.cursor ? decodeCursor(options.cursor, plan) : undefined;
    let skip = options.offset ?? 0;
    const items: StoredCommand[] = [];

    for (;;) {
      const wanted = skip + (limit - items.length);
      const page = await this.doc.send(new QueryCommand({ ...plan.input(this.tableName), ExclusiveStartKey: startKey, Limit: Math.min(Math.max(wanted, 10), 1000) }));
      const matched = page.Items ?? [];
      for (let i = 0; i < matched.length; i++) {
        if (skip > 0) {
          skip--;
          continue;
        }
        items.push(StoredCommandSchema.parse(matched[i]));
        if (items.length === limit) {
          const more = i < matched.length - 1 || page.LastEvaluatedKey !== undefined;
          return { items, nextCursor: more ? encodeCursor(plan.index, keyOf(matched[i]!, plan.index)) : null };
        }
      }
      if (!page.LastEvaluatedKey) return { items, nextCursor: null };
      startKey = page.LastEvaluatedKey;
    }
  }

  /** How many commands match `filter` (every page of the index is read, counting only). */
  async count(filter: ListFilter): Promise<number> {
    const plan = queryPlan(filter);
    let total = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(new QueryCommand({ ...plan.input(this.tableName), Select: 'COUNT', ExclusiveStartKey: startKey }));
      total += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return total;
  }

  /** Commands in `status` created before `createdBefore`, oldest first (the sweeper's input). */
  async *olderThan(status: CommandStatus, createdBefore: string): AsyncGenerator<StoredCommand> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEXES.byStatus.name,
          KeyConditionExpression: '#status = :status AND created_at < :before',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status, ':before': createdBefore },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) yield StoredCommandSchema.parse(item);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
}

interface QueryPlan {
  index: IndexDeclaration;
  partitionValue: string;
  input(tableName: string): QueryCommandInput;
}

function queryPlan(filter: ListFilter): QueryPlan {
  const [index, partitionValue] = filter.tenantId
    ? [INDEXES.byTenant, filter.tenantId]
    : filter.status
      ? [INDEXES.byStatus, filter.status]
      : [INDEXES.all, COMMANDS_LIST_PK];
  const names: Record<string, string> = { '#pk': index.partitionKey.name };
  const values: Record<string, unknown> = { ':pk': partitionValue };
  const conditions: string[] = [];
  if (filter.status && index !== INDEXES.byStatus) {
    names['#status'] = 'status';
    values[':status'] = filter.status;
    conditions.push('#status = :status');
  }
  if (filter.commandType) {
    values[':type'] = filter.commandType;
    conditions.push('command_type = :type');
  }
  return {
    index,
    partitionValue,
    input: (tableName) => ({
      TableName: tableName,
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk',
      ...(conditions.length > 0 && { FilterExpression: conditions.join(' AND ') }),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
    }),
  };
}

/** An index's start key: its own key attributes plus the table's. */
function keyOf(item: Record<string, unknown>, index: IndexDeclaration): Record<string, string> {
  const names = [index.partitionKey.name, index.sortKey.name, KEY];
  return Object.fromEntries(names.map((name) => [name, String(item[name])]));
}

const CursorSchema = z.object({ i: z.string(), k: z.record(z.string(), z.string().check(z.minLength(1), z.maxLength(256))) });

/** Opaque to callers: which index, and the key of the last command returned. */
function encodeCursor(index: IndexDeclaration, key: Record<string, string>): string {
  return Buffer.from(JSON.stringify({ i: index.name, k: key })).toString('base64url');
}

const badCursor = (message: string) => fieldError('query', 'cursor', message);

/**
 * A cursor is only valid for the filters that produced it: DynamoDB would reject (or misread) a
 * start key from another index or partition, and that must be the caller's 400, not our 500.
 */
function decodeCursor(cursor: string, plan: QueryPlan): Record<string, string> {
  let parsed: z.infer<typeof CursorSchema>;
  try {
    parsed = CursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw badCursor('is not a cursor returned by this endpoint');
  }
  const expected = [plan.index.partitionKey.name, plan.index.sortKey.name, KEY].sort();
  if (parsed.i !== plan.index.name || parsed.k[plan.index.partitionKey.name] !== plan.partitionValue || Object.keys(parsed.k).sort().join() !== expected.join()) {
    throw badCursor('belongs to other filters; start again without it');
  }
  return parsed.k;
}
