import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { SqlParameter } from '@aws-sdk/client-rds-data';
import { READER_ROLE } from '@shared/function-access';
import type { Backend, TxSession } from './backend';
import { listen, readBody } from '../http';
import { bindParameters } from './bind';
import { DataApiError, fromPgError } from './errors';
import { MAX_ROW_BYTES, oversizedRow, type RawResult, type ResultSetOptions, stringify, SUPPORTED_ARRAYS, SUPPORTED_SCALARS, toColumnMetadata, toJsonRecords, toRecords } from './format';

/** The service refuses results over 1 MiB; so does the local endpoint, so big reads fail here first. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/** Aurora ends a transaction left idle for 3 minutes. */
const TRANSACTION_IDLE_MS = 3 * 60 * 1000;
/** A call that runs longer fails with StatementTimeoutException ("Limitations of the RDS Data API"). */
export const STATEMENT_TIMEOUT_MS = 45_000;

/**
 * Whether `formatRecordsAs: JSON` applies to a statement that is not a SELECT but returns rows
 * (`INSERT … RETURNING`). The service model says the parameter "only applies to SELECT statements
 * and is ignored for other types of statements"; whether rows of an INSERT … RETURNING then come as
 * typed records is not documented. `ignore` answers them as `records` (and columnMetadata when
 * asked); `apply` as formattedRecords. The product must work under both (tests run both).
 */
export type JsonForNonSelect = 'apply' | 'ignore';

export interface LocalDataApiOptions {
  backend: Backend;
  resourceArn: string;
  /** The owner's secret: statements run as the backend's connection user. */
  secretArn: string;
  /** The read-only role's secret: statements run as `readerRole` (SET LOCAL ROLE), as Aurora would log it in. */
  readerSecretArn?: string;
  readerRole?: string;
  database: string;
  port?: number;
  host?: string;
  maxResponseBytes?: number;
  /** Per result row, bytes (64 KB). */
  maxRowBytes?: number;
  transactionIdleMs?: number;
  /** A call's time limit, ms (45 s; tests use a short one). The backend's statement_timeout should match. */
  statementTimeoutMs?: number;
  /** @default 'apply' */
  jsonForNonSelect?: JsonForNonSelect;
}

export interface DataApiStats {
  /** Calls per operation (ExecuteStatement, BatchExecuteStatement, …), failed ones included. */
  calls: Record<string, number>;
  total: number;
}

export interface LocalDataApi {
  readonly url: string;
  readonly port: number;
  stats(): DataApiStats;
  resetStats(): void;
  close(): Promise<void>;
}

const Target = {
  resourceArn: z.string().min(1),
  secretArn: z.string().min(1),
};
const ExecuteRequest = z.object({
  ...Target,
  sql: z.string().min(1),
  database: z.string().optional(),
  schema: z.string().optional(),
  parameters: z.array(z.any()).optional(),
  transactionId: z.string().optional(),
  includeResultMetadata: z.boolean().optional(),
  continueAfterTimeout: z.boolean().optional(),
  formatRecordsAs: z.enum(['NONE', 'JSON']).optional(),
  resultSetOptions: z
    .object({ decimalReturnType: z.enum(['STRING', 'DOUBLE_OR_LONG']).optional(), longReturnType: z.enum(['STRING', 'LONG']).optional() })
    .optional(),
});
const BatchRequest = z.object({
  ...Target,
  sql: z.string().min(1),
  database: z.string().optional(),
  schema: z.string().optional(),
  parameterSets: z.array(z.array(z.any())).optional(),
  transactionId: z.string().optional(),
});
const BeginRequest = z.object({ ...Target, database: z.string().optional(), schema: z.string().optional() });
const EndRequest = z.object({ ...Target, transactionId: z.string().min(1) });

const OPERATIONS: Record<string, string> = {
  '/Execute': 'ExecuteStatement',
  '/BatchExecute': 'BatchExecuteStatement',
  '/BeginTransaction': 'BeginTransaction',
  '/CommitTransaction': 'CommitTransaction',
  '/RollbackTransaction': 'RollbackTransaction',
  '/ExecuteSql': 'ExecuteSql',
};

interface OpenTransaction {
  session: TxSession;
  /** The role it runs as (from BeginTransaction's secret); every call on it must use the same secret. */
  secretArn: string;
  /** A call is running on it: the service refuses a second one at once rather than queuing it. */
  busy: boolean;
  /** The last statement, settled (a rollback waits for it). */
  chain: Promise<unknown>;
  timer: NodeJS.Timeout;
}

const FIRST_KEYWORD = /^\s*(?:(?:--[^\n]*\n)|(?:\/\*[\s\S]*?\*\/)|\s)*([a-z]+)/i;
const isSelect = (sql: string) => ['select', 'with', 'values', 'table', 'show'].includes((FIRST_KEYWORD.exec(sql)?.[1] ?? '').toLowerCase());

/**
 * A local RDS Data API endpoint speaking the service's REST-JSON wire protocol, so the real
 * `RDSDataClient` runs against it unmodified (point it here with AWS_ENDPOINT_URL_RDS_DATA). It is
 * as strict as the service where the service is strict (docs/fidelity.md): 64 KB per row, 1 MiB
 * per response, 45 s per call, the supported result types, a transaction aborted by an error, one
 * call at a time per transaction, the service's exception names.
 */
export async function startLocalDataApi(options: LocalDataApiOptions): Promise<LocalDataApi> {
  const { backend } = options;
  const maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const maxRowBytes = options.maxRowBytes ?? MAX_ROW_BYTES;
  const idleMs = options.transactionIdleMs ?? TRANSACTION_IDLE_MS;
  const timeoutMs = options.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS;
  const jsonForNonSelect = options.jsonForNonSelect ?? 'apply';
  const transactions = new Map<string, OpenTransaction>();
  /** Transactions ended by an error: their later calls say why they are not found. */
  const aborted = new Set<string>();
  const typeNames = new Map<number, string | null>();
  let stats: DataApiStats = { calls: {}, total: 0 };

  /** The database role the request's secret logs in as (undefined: the owner), or the service's error. */
  function checkTarget(body: { resourceArn: string; secretArn: string; database?: string; schema?: string }): string | undefined {
    if (body.schema !== undefined) throw new DataApiError('BadRequestException', "The schema parameter isn't supported");
    if (body.resourceArn !== options.resourceArn) throw new DataApiError('BadRequestException', `Invalid cluster arn: ${body.resourceArn}`);
    const reader = options.readerSecretArn !== undefined && body.secretArn === options.readerSecretArn;
    if (body.secretArn !== options.secretArn && !reader) {
      throw new DataApiError('SecretsErrorException', `Secrets Manager can't find the specified secret: ${body.secretArn}`);
    }
    if (body.database !== undefined && body.database !== options.database) {
      throw new DataApiError('DatabaseNotFoundException', `Database "${body.database}" does not exist`);
    }
    return reader ? (options.readerRole ?? READER_ROLE) : undefined;
  }

  function notFound(id: string): DataApiError {
    const why = aborted.has(id) ? ': the transaction was aborted because of an error in a previous call' : '';
    return new DataApiError('TransactionNotFoundException', `Transaction ${id} is not found${why}`);
  }

  /** The transaction for a call on it; refuses a second concurrent call as the service does. */
  function claim(id: string, secretArn: string): OpenTransaction {
    const tx = transactions.get(id);
    if (!tx) throw notFound(id);
    if (tx.secretArn !== secretArn) throw new DataApiError('BadRequestException', 'The secret ARN does not match the transaction');
    if (tx.busy) throw new DataApiError('DatabaseErrorException', 'Transaction is still running a query');
    clearTimeout(tx.timer);
    tx.timer = idleTimer(id);
    tx.busy = true;
    return tx;
  }

  function idleTimer(id: string): NodeJS.Timeout {
    const timer = setTimeout(() => void endTransaction(id, false).catch(() => undefined), idleMs);
    timer.unref();
    return timer;
  }

  async function endTransaction(id: string, commit: boolean): Promise<void> {
    const tx = transactions.get(id);
    if (!tx) throw notFound(id);
    transactions.delete(id);
    clearTimeout(tx.timer);
    await tx.chain.catch(() => undefined);
    try {
      await tx.session.finish(commit);
    } catch (error) {
      throw fromPgError(error);
    }
  }

  /** An error in a call on a transaction ends it (rolled back); its later calls are not found. */
  function abort(id: string): void {
    if (!transactions.has(id)) return;
    aborted.add(id);
    void endTransaction(id, false).catch(() => undefined);
  }

  /**
   * Runs one call's statements, on its transaction or as its own, within the call's time limit:
   * past it the call fails with StatementTimeoutException; without continueAfterTimeout the
   * database cancels the statement (its statement_timeout), with it the statement runs on.
   */
  async function run<T>(
    body: { secretArn: string; transactionId?: string; continueAfterTimeout?: boolean },
    role: string | undefined,
    work: (query: (text: string, values: Array<string | null>) => Promise<RawResult>, session?: TxSession) => Promise<T>,
  ): Promise<T> {
    const unbounded = body.continueAfterTimeout === true;
    const tx = body.transactionId ? claim(body.transactionId, body.secretArn) : undefined;
    const cancel = new AbortController();
    const signal = unbounded ? undefined : cancel.signal;
    const pending = tx ? work((text, values) => tx.session.query(text, values, { unbounded }), tx.session) : work((text, values) => backend.query(text, values, { role, unbounded, signal }));
    if (tx) tx.chain = pending.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        cancel.abort();
        reject(new DataApiError('StatementTimeoutException', 'Request timed out'));
      }, timeoutMs);
    });
    try {
      return await Promise.race([pending.catch(rethrowPg), timedOut]);
    } catch (error) {
      if (tx) abort(body.transactionId!);
      throw error;
    } finally {
      clearTimeout(timer);
      if (tx) tx.busy = false;
    }
  }

  /** The type name of a result column the service would refuse, or undefined when it is supported. */
  async function unsupportedType(oid: number): Promise<string | undefined> {
    if (oid in SUPPORTED_SCALARS || oid in SUPPORTED_ARRAYS) return undefined;
    if (!typeNames.has(oid)) {
      // User types: an enum is supported; anything else (a domain, a composite…) is not.
      const rows = await backend.query('SELECT typname, typtype::text FROM pg_type WHERE oid = $1', [String(oid)]).catch(() => undefined);
      const [name, kind] = (rows?.rows[0] ?? [`oid ${oid}`, null]) as [string, string | null];
      typeNames.set(oid, kind === 'e' ? null : name);
    }
    return typeNames.get(oid) ?? undefined;
  }

  async function checkResult(result: RawResult, transactionId: string | undefined): Promise<void> {
    for (const field of result.fields) {
      const unsupported = await unsupportedType(field.dataTypeID);
      if (unsupported) {
        if (transactionId) abort(transactionId);
        throw new DataApiError('UnsupportedResultException', `The result contains the unsupported data type ${unsupported}.`);
      }
    }
    const row = oversizedRow(result, maxRowBytes);
    if (row !== -1) {
      if (transactionId) abort(transactionId);
      throw new DataApiError('UnsupportedResultException', `Packet for query is too large: result row ${row + 1} is over the ${Math.round(maxRowBytes / 1024)} KB a row may hold.`);
    }
  }

  function sized(payload: string): string {
    if (Buffer.byteLength(payload) > maxResponseBytes) {
      throw new DataApiError('BadRequestException', 'Database returned more than the allowed response size limit');
    }
    return payload;
  }

  async function execute(input: unknown): Promise<unknown> {
    const body = parse(ExecuteRequest, input);
    const role = checkTarget(body);
    const bound = bindParameters(body.sql, body.parameters as SqlParameter[] | undefined);
    const result = await run(body, role, (query) => query(bound.text, bound.values));
    await checkResult(result, body.transactionId);
    const isQuery = result.fields.length > 0;
    const response: Record<string, unknown> = { numberOfRecordsUpdated: isQuery ? 0 : result.affectedRows, generatedFields: [] };
    if (isQuery) {
      const resultSetOptions: ResultSetOptions = body.resultSetOptions ?? {};
      const json = body.formatRecordsAs === 'JSON' && (jsonForNonSelect === 'apply' || isSelect(body.sql));
      if (json) {
        response.formattedRecords = sized(toJsonRecords(result, resultSetOptions));
      } else {
        response.records = toRecords(result, resultSetOptions);
        if (body.includeResultMetadata) response.columnMetadata = toColumnMetadata(result);
        sized(stringify(response));
      }
    }
    return response;
  }

  async function batchExecute(input: unknown): Promise<unknown> {
    const body = parse(BatchRequest, input);
    const role = checkTarget(body);
    const sets = body.parameterSets?.length ? body.parameterSets : [[]];
    const bound = sets.map((set) => bindParameters(body.sql, set as SqlParameter[]));
    if (body.transactionId) {
      await run(body, role, async (query) => {
        for (const statement of bound) await query(statement.text, statement.values);
      });
    } else {
      // Without a transaction the batch is still all-or-nothing.
      const session = await backend.begin(role).catch(rethrowPg);
      try {
        for (const statement of bound) await session.query(statement.text, statement.values);
        await session.finish(true);
      } catch (error) {
        await session.finish(false).catch(() => undefined);
        rethrowPg(error);
      }
    }
    return { updateResults: bound.map(() => ({ generatedFields: [] })) };
  }

  async function begin(input: unknown): Promise<unknown> {
    const body = parse(BeginRequest, input);
    const role = checkTarget(body);
    const session = await backend.begin(role).catch(rethrowPg);
    const id = randomBytes(96).toString('base64');
    transactions.set(id, { session, secretArn: body.secretArn, busy: false, chain: Promise.resolve(), timer: idleTimer(id) });
    return { transactionId: id };
  }

  async function end(input: unknown, commit: boolean): Promise<unknown> {
    const body = parse(EndRequest, input);
    checkTarget(body);
    const tx = transactions.get(body.transactionId);
    if (!tx) throw notFound(body.transactionId);
    if (tx.busy) throw new DataApiError('DatabaseErrorException', 'Transaction is still running a query');
    await endTransaction(body.transactionId, commit);
    return { transactionStatus: commit ? 'Transaction Committed' : 'Rollback Complete' };
  }

  async function dispatch(operation: string, input: unknown): Promise<unknown> {
    switch (operation) {
      case 'ExecuteStatement':
        return execute(input);
      case 'BatchExecuteStatement':
        return batchExecute(input);
      case 'BeginTransaction':
        return begin(input);
      case 'CommitTransaction':
        return end(input, true);
      case 'RollbackTransaction':
        return end(input, false);
      default:
        throw new DataApiError('BadRequestException', 'ExecuteSql is not supported for Aurora Serverless v2 and provisioned clusters');
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'GET' && path === '/_local/health') return send(res, 200, { ok: true, backend: backend.kind });
    if (req.method === 'GET' && path === '/_local/stats') return send(res, 200, stats);
    if (req.method === 'POST' && path === '/_local/stats/reset') {
      stats = { calls: {}, total: 0 };
      return send(res, 200, stats);
    }
    const operation = req.method === 'POST' ? OPERATIONS[path] : undefined;
    if (!operation) throw new DataApiError('UnknownOperationException', `Unknown operation ${req.method} ${path}`);
    stats.calls[operation] = (stats.calls[operation] ?? 0) + 1;
    stats.total++;
    const raw = (await readBody(req, MAX_REQUEST_BYTES, () => new DataApiError('BadRequestException', 'Request body too large'))).toString('utf8');
    let input: unknown;
    try {
      input = raw.length ? JSON.parse(raw) : {};
    } catch {
      throw new DataApiError('BadRequestException', 'Malformed request body: not valid JSON');
    }
    send(res, 200, await dispatch(operation, input));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const e = error instanceof DataApiError ? error : new DataApiError('InternalServerErrorException', 'Internal error');
      if (!(error instanceof DataApiError)) console.error('[local-data-api] unexpected error', error);
      if (!res.headersSent) sendError(res, e);
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  const { port, url } = await listen(server, options.port, options.host);

  return {
    url,
    port,
    stats: () => structuredClone(stats),
    resetStats: () => void (stats = { calls: {}, total: 0 }),
    async close() {
      for (const id of [...transactions.keys()]) await endTransaction(id, false).catch(() => undefined);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new DataApiError('BadRequestException', `Invalid request: ${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  return result.data;
}

function rethrowPg(error: unknown): never {
  if (error instanceof DataApiError) throw error;
  throw fromPgError(error);
}


function send(res: ServerResponse, status: number, body: unknown): void {
  const payload = stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

function sendError(res: ServerResponse, error: DataApiError): void {
  const payload = JSON.stringify({ message: error.message });
  res.writeHead(error.status, {
    'content-type': 'application/json',
    'x-amzn-errortype': error.type,
    'x-amzn-requestid': randomUUID(),
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}
