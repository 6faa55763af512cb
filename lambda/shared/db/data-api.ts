import {
  BatchExecuteStatementCommand,
  BeginTransactionCommand,
  type ColumnMetadata,
  type Field,
  CommitTransactionCommand,
  ExecuteStatementCommand,
  RDSDataClient,
  RollbackTransactionCommand,
} from '@aws-sdk/client-rds-data';
import * as z from '../zod';
import { type SqlParams, toSqlParameters } from './params';
import { mapDataApiError } from './map-error';
import { InternalError } from '../errors';

/** Where the cluster is: the Data API addresses it by ARNs, not by a connection. */
export interface DataApiTarget {
  resourceArn: string;
  secretArn: string;
  database: string;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Errors after which the statement did not run, so running it again is safe. */
const RETRYABLE = new Set([
  'DatabaseResumingException', // an auto-paused Aurora cluster is waking up (takes ~15 s)
  'DatabaseUnavailableException',
  'ServiceUnavailableError',
  'ThrottlingException',
  'TooManyRequestsException',
]);

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 250, maxDelayMs: 5_000 };

export interface QueryOptions<T> {
  /** Validates (and may coerce) each row; without it rows are returned as parsed. */
  schema?: z.core.$ZodType<T>;
}

export interface ExecuteResult<T> {
  rows: T[];
  updated: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The one Data API wrapper: named, typed parameters in; JSON rows out; retries, transactions and
 * error mapping in one place. Bound to a transaction it runs every statement inside it.
 */
export class Db {
  constructor(
    private readonly client: RDSDataClient,
    private readonly target: DataApiTarget,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    private readonly transactionId?: string,
  ) {}

  /** Runs one statement and returns its rows (parsed from the Data API's JSON records). */
  async query<T = Record<string, unknown>>(sql: string, params?: SqlParams, options?: QueryOptions<T>): Promise<T[]> {
    return (await this.execute(sql, params, options)).rows;
  }

  /** The first row, or undefined. */
  async one<T = Record<string, unknown>>(sql: string, params?: SqlParams, options?: QueryOptions<T>): Promise<T | undefined> {
    return (await this.query(sql, params, options))[0];
  }

  /**
   * For statements that build their whole result in SQL (`json_build_object`/`json_agg`) as one
   * column named `body`: the parsed, schema-checked value, or undefined when no row came back.
   */
  async json<T>(sql: string, params: SqlParams | undefined, schema: z.core.$ZodType<T>): Promise<T | undefined> {
    const row = await this.one<{ body: unknown }>(sql, params);
    if (!row || row.body === null || row.body === undefined) return undefined;
    // The Data API returns json columns as text.
    return parseRow(schema, typeof row.body === 'string' ? JSON.parse(row.body) : row.body);
  }

  /**
   * For statements that return a response as several rows `(part text, body json)` — one row per
   * list item, so that no row grows with the list (the Data API's 64 KB per row): the bodies,
   * parsed, grouped by part in the statement's order. A part with no rows is absent from the map.
   */
  async parts(sql: string, params?: SqlParams): Promise<Map<string, unknown[]>> {
    const rows = await this.query<{ part: string; body: unknown }>(sql, params);
    const parts = new Map<string, unknown[]>();
    for (const row of rows) {
      const items = parts.get(row.part) ?? [];
      items.push(typeof row.body === 'string' ? JSON.parse(row.body) : row.body);
      parts.set(row.part, items);
    }
    return parts;
  }

  async execute<T = Record<string, unknown>>(sql: string, params?: SqlParams, options?: QueryOptions<T>): Promise<ExecuteResult<T>> {
    const output = await this.withRetry(() =>
      this.client.send(
        new ExecuteStatementCommand({
          ...this.target,
          sql,
          parameters: toSqlParameters(params),
          transactionId: this.transactionId,
          formatRecordsAs: 'JSON',
          // The service applies JSON records to SELECT statements only; the rows of an
          // INSERT … RETURNING may come as typed records, which need their column names.
          ...(RETURNING.test(sql) && { includeResultMetadata: true }),
        }),
      ),
    );
    const raw: unknown[] = output.formattedRecords
      ? JSON.parse(output.formattedRecords)
      : output.records
        ? recordsToRows(output.records, output.columnMetadata ?? [])
        : [];
    const rows = options?.schema ? raw.map((row) => parseRow(options.schema!, row)) : (raw as T[]);
    return { rows, updated: output.numberOfRecordsUpdated ?? 0 };
  }

  /** One statement over many parameter sets, in one call. */
  async batch(sql: string, parameterSets: SqlParams[]): Promise<number> {
    if (parameterSets.length === 0) return 0;
    const output = await this.withRetry(() =>
      this.client.send(
        new BatchExecuteStatementCommand({
          ...this.target,
          sql,
          parameterSets: parameterSets.map((set) => toSqlParameters(set)!),
          transactionId: this.transactionId,
        }),
      ),
    );
    return output.updateResults?.length ?? 0;
  }

  /** Runs `work` in a transaction: committed when it resolves, rolled back when it throws. */
  async transaction<R>(work: (tx: Db) => Promise<R>): Promise<R> {
    if (this.transactionId) return work(this); // already inside one: join it
    const { transactionId } = await this.withRetry(() => this.client.send(new BeginTransactionCommand({ ...this.target })));
    if (!transactionId) throw new InternalError('the Data API returned no transaction id');
    const tx = new Db(this.client, this.target, this.retry, transactionId);
    try {
      const result = await work(tx);
      await this.withRetry(() =>
        this.client.send(new CommitTransactionCommand({ resourceArn: this.target.resourceArn, secretArn: this.target.secretArn, transactionId })),
      );
      return result;
    } catch (error) {
      await this.client
        .send(new RollbackTransactionCommand({ resourceArn: this.target.resourceArn, secretArn: this.target.secretArn, transactionId }))
        .catch(() => undefined); // the original error is the one worth reporting
      throw error;
    }
  }

  private async withRetry<O>(call: () => Promise<O>): Promise<O> {
    const sleep = this.retry.sleep ?? defaultSleep;
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        const name = (error as { name?: string }).name ?? '';
        if (!RETRYABLE.has(name) || attempt >= this.retry.maxAttempts) throw mapDataApiError(error);
        const cap = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
        await sleep(Math.round(cap / 2 + Math.random() * (cap / 2)));
      }
    }
  }
}

const RETURNING = /\bRETURNING\b/i;

/**
 * Typed records (`records` + `columnMetadata`) as the rows JSON records would have given: the same
 * values (numbers, booleans, strings, null; blobs base64), keyed by column name.
 * @throws InternalError when the service sent records without the column names to key them by.
 */
export function recordsToRows(records: Field[][], columns: ColumnMetadata[]): Record<string, unknown>[] {
  if (records.length > 0 && columns.length !== records[0]!.length) throw new InternalError('the Data API returned records without their column metadata');
  return records.map((record) => Object.fromEntries(record.map((field, i) => [columns[i]!.name ?? `column${i}`, fieldValue(field)])));
}

function fieldValue(field: Field): unknown {
  if (field.isNull) return null;
  if (field.stringValue !== undefined) return field.stringValue;
  if (field.longValue !== undefined) return field.longValue;
  if (field.doubleValue !== undefined) return field.doubleValue;
  if (field.booleanValue !== undefined) return field.booleanValue;
  if (field.blobValue !== undefined) return Buffer.from(field.blobValue).toString('base64');
  if (field.arrayValue !== undefined) return Object.values(field.arrayValue).find((values) => values !== undefined) ?? [];
  return null;
}

/**
 * A response assembled from parts, checked against its schema as db.json checks a whole one.
 * @throws InternalError when it does not match (a bug in the statement, not the caller's input).
 */
export function parseResponse<T>(schema: z.core.$ZodType<T>, value: unknown): T {
  return parseRow(schema, value);
}

function parseRow<T>(schema: z.core.$ZodType<T>, row: unknown): T {
  const result = z.safeParse(schema, row);
  if (!result.success) {
    throw new InternalError('a database row did not match its schema', undefined, { cause: result.error });
  }
  return result.data;
}
