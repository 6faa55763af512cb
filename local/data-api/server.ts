import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { SqlParameter } from '@aws-sdk/client-rds-data';
import { READER_ROLE } from '@shared/function-access';
import type { Backend, TxSession } from './backend';
import { listen, readBody } from '../http';
import { bindParameters } from './bind';
import { DataApiError, fromPgError } from './errors';
import { toColumnMetadata, toJsonRecords, toRecords, type RawResult } from './format';

/** The service refuses results over 1 MiB; so does the local endpoint, so big reads fail here first. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/** Aurora ends a transaction left idle for 3 minutes. */
const TRANSACTION_IDLE_MS = 3 * 60 * 1000;

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
  transactionIdleMs?: number;
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
  resultSetOptions: z.any().optional(),
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
  /** Statements of one transaction run one after another, as on one connection. */
  chain: Promise<unknown>;
  timer: NodeJS.Timeout;
}

/**
 * A local RDS Data API endpoint speaking the service's REST-JSON wire protocol, so the real
 * `RDSDataClient` runs against it unmodified (point it here with AWS_ENDPOINT_URL_RDS_DATA).
 */
export async function startLocalDataApi(options: LocalDataApiOptions): Promise<LocalDataApi> {
  const { backend } = options;
  const maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const idleMs = options.transactionIdleMs ?? TRANSACTION_IDLE_MS;
  const transactions = new Map<string, OpenTransaction>();
  let stats: DataApiStats = { calls: {}, total: 0 };

  /** The database role the request's secret logs in as (undefined: the owner), or the service's error. */
  function checkTarget(body: { resourceArn: string; secretArn: string; database?: string }): string | undefined {
    if (body.resourceArn !== options.resourceArn) throw new DataApiError('BadRequestException', `Invalid cluster arn: ${body.resourceArn}`);
    const reader = options.readerSecretArn !== undefined && body.secretArn === options.readerSecretArn;
    if (body.secretArn !== options.secretArn && !reader) throw new DataApiError('BadRequestException', 'The secret ARN does not match a secret for this cluster');
    if (body.database !== undefined && body.database !== options.database) {
      throw new DataApiError('DatabaseNotFoundException', `Database "${body.database}" does not exist`);
    }
    return reader ? (options.readerRole ?? READER_ROLE) : undefined;
  }

  function touch(id: string): OpenTransaction {
    const tx = transactions.get(id);
    if (!tx) throw new DataApiError('TransactionNotFoundException', `Transaction ${id} is not found`);
    clearTimeout(tx.timer);
    tx.timer = idleTimer(id);
    return tx;
  }

  function idleTimer(id: string): NodeJS.Timeout {
    const timer = setTimeout(() => void endTransaction(id, false).catch(() => undefined), idleMs);
    timer.unref();
    return timer;
  }

  async function endTransaction(id: string, commit: boolean): Promise<void> {
    const tx = transactions.get(id);
    if (!tx) throw new DataApiError('TransactionNotFoundException', `Transaction ${id} is not found`);
    transactions.delete(id);
    clearTimeout(tx.timer);
    await tx.chain.catch(() => undefined);
    try {
      await tx.session.finish(commit);
    } catch (error) {
      throw fromPgError(error);
    }
  }

  async function inTransaction<T>(
    id: string | undefined,
    target: { secretArn: string; role: string | undefined },
    work: (run: (text: string, values: Array<string | null>) => Promise<RawResult>) => Promise<T>,
  ): Promise<T> {
    if (!id) return work((text, values) => backend.query(text, values, target.role));
    const tx = touch(id);
    if (tx.secretArn !== target.secretArn) throw new DataApiError('BadRequestException', 'The secret ARN does not match the transaction');
    const result = tx.chain.catch(() => undefined).then(() => work((text, values) => tx.session.query(text, values)));
    tx.chain = result;
    return result;
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
    const result = await inTransaction(body.transactionId, { secretArn: body.secretArn, role }, (run) => run(bound.text, bound.values)).catch(rethrowPg);
    const isQuery = result.fields.length > 0;
    const response: Record<string, unknown> = { numberOfRecordsUpdated: isQuery ? 0 : result.affectedRows, generatedFields: [] };
    if (isQuery) {
      if (body.formatRecordsAs === 'JSON') {
        response.formattedRecords = sized(toJsonRecords(result));
      } else {
        response.records = toRecords(result);
        sized(JSON.stringify(response.records));
      }
      if (body.includeResultMetadata) response.columnMetadata = toColumnMetadata(result);
    }
    return response;
  }

  async function batchExecute(input: unknown): Promise<unknown> {
    const body = parse(BatchRequest, input);
    const role = checkTarget(body);
    const sets = body.parameterSets?.length ? body.parameterSets : [[]];
    const bound = sets.map((set) => bindParameters(body.sql, set as SqlParameter[]));
    const runAll = async (run: (text: string, values: Array<string | null>) => Promise<RawResult>) => {
      for (const statement of bound) await run(statement.text, statement.values);
    };
    if (body.transactionId) {
      await inTransaction(body.transactionId, { secretArn: body.secretArn, role }, runAll).catch(rethrowPg);
    } else {
      // Without a transaction the batch is still all-or-nothing.
      const session = await backend.begin(role).catch(rethrowPg);
      try {
        await runAll((text, values) => session.query(text, values));
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
    transactions.set(id, { session, secretArn: body.secretArn, chain: Promise.resolve(), timer: idleTimer(id) });
    return { transactionId: id };
  }

  async function end(input: unknown, commit: boolean): Promise<unknown> {
    const body = parse(EndRequest, input);
    checkTarget(body);
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
  const payload = JSON.stringify(body);
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
