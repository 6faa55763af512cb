import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { listen, Mutex, readBody } from '../http';
import { canonical, changeRecord, LocalStream, pick, SequenceCounter, type Item, type StreamViewType } from './stream';

/**
 * An HTTP proxy in front of dynalite that adds what dynalite lacks, so that the local table is as
 * strict and as descriptive as DynamoDB's:
 * - DynamoDB Streams: writes to a table created with a StreamSpecification are captured (old image
 *   before, new image after, one record per changed item) before the response is sent, so once a
 *   client's write resolves its record is in the stream; DescribeTable reports the stream
 *   (StreamSpecification, LatestStreamArn, LatestStreamLabel);
 * - Time to Live: UpdateTimeToLive and DescribeTimeToLive (dynalite 4 has neither; items still
 *   never expire locally);
 * - an empty string in a key attribute (the table's or an index's) is refused, as the service does;
 * - ReturnValuesOnConditionCheckFailure: ALL_OLD returns the item with the failed condition.
 * Other requests and responses pass through byte for byte; a response the proxy changes gets its
 * x-amz-crc32 recomputed (the SDK verifies it).
 */

const TARGET_PREFIX = 'DynamoDB_20120810.';
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

interface StreamTable {
  keyNames: string[];
  stream: LocalStream;
}

/** What the proxy knows of every table created through it. */
interface TableSchema {
  /** The table's key attributes. */
  keys: string[];
  /** Each global secondary index's key attributes. */
  indexKeys: Array<{ index: string; keys: string[] }>;
  /** UpdateTimeToLive's specification, when enabled. */
  ttl?: string;
}

/** One item a write may change. */
interface Target {
  table: string;
  key: Item;
}

export interface StreamProxy {
  readonly url: string;
  /** The stream of a table created through the proxy with streams enabled. */
  streamOf(tableName: string): LocalStream | undefined;
  /** Takes in a table that already exists upstream (a persistent dynalite after a restart), as its CreateTable input describes it. */
  adopt(createTableInput: Record<string, unknown>): void;
  close(): Promise<void>;
}


interface Upstream {
  status: number;
  rawHeaders: string[];
  body: Buffer;
}

/**
 * A dynalite the proxy calls in-process: its HTTP request listener, handed a request and a response
 * that live in memory — the same parsing, validation and answers as over HTTP, without a loopback
 * socket's writes and wake-ups (on the 2-core bench machine, a socket write cost ~0.2 ms of the
 * main thread, three of them per DynamoDB call).
 */
export type DynaliteListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface StreamProxyOptions {
  /** The dynalite every table lives in, unless `ephemeral` names it. */
  upstream: DynaliteListener;
  /**
   * A second dynalite (in memory) for tables whose items live minutes — the rate limits' counters:
   * kept off the disk's write path, lost on restart as they would expire anyway. Requests naming one
   * of `tables` go there; ListTables lists both.
   */
  ephemeral?: { upstream: DynaliteListener; tables: ReadonlySet<string> };
  port?: number;
  host?: string;
}

export async function startStreamProxy(options: StreamProxyOptions): Promise<StreamProxy> {
  const durable = options.upstream;
  const ephemeral = options.ephemeral ? { listener: options.ephemeral.upstream, tables: options.ephemeral.tables } : undefined;
  const upstreamOf = (table: unknown): DynaliteListener => (ephemeral && typeof table === 'string' && ephemeral.tables.has(table) ? ephemeral.listener : durable);
  const tables = new Map<string, StreamTable>();
  const schemas = new Map<string, TableSchema>();
  const sequence = new SequenceCounter();
  const writeLock = new Mutex();

  const forward = (method: string, path: string, headers: IncomingHttpHeaders, body: Buffer, upstream: DynaliteListener = durable): Promise<Upstream> =>
    new Promise((resolve, reject) => {
      // What dynalite's listener reads of a request (headers, method, url; 'data' and 'end') and
      // writes to a response (statusCode, setHeader, end): nothing else (dynalite 4's index.js).
      const req = Object.assign(Readable.from(body.length > 0 ? [body] : []), {
        method,
        url: path,
        headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])),
      });
      const outHeaders = new Map<string, string>();
      const res = {
        statusCode: 200,
        contentType: undefined as string | undefined,
        shouldKeepAlive: true,
        setHeader(name: string, value: unknown) {
          outHeaders.set(name, String(value));
        },
        end(data?: string | Buffer) {
          resolve({ status: res.statusCode, rawHeaders: [...outHeaders].flat(), body: typeof data === 'string' ? Buffer.from(data) : (data ?? Buffer.alloc(0)) });
        },
      };
      try {
        upstream(req as unknown as IncomingMessage, res as unknown as ServerResponse);
      } catch (error) {
        reject(error as Error);
      }
    });

  // Images are read in the wire format, not through the SDK, which would turn B into Uint8Array:
  // stream records carry base64 strings.
  const readItem = async ({ table, key }: Target): Promise<Item | undefined> => {
    const body = Buffer.from(JSON.stringify({ TableName: table, Key: key, ConsistentRead: true }));
    const res = await forward('POST', '/', internalHeaders('GetItem', body.length), body, upstreamOf(table));
    if (res.status !== 200) throw new Error(`reading the old/new image of ${table} failed: ${res.status} ${res.body.toString()}`);
    return (JSON.parse(res.body.toString()) as { Item?: Item }).Item;
  };

  const capture = async (method: string, path: string, headers: IncomingHttpHeaders, body: Buffer, targets: Target[]): Promise<Upstream> => {
    const release = await writeLock.acquire();
    try {
      let before: Array<Item | undefined>;
      try {
        before = await Promise.all(targets.map(readItem));
      } catch (error) {
        // A key dynalite cannot read (wrong type, missing attribute) makes the write fail as well;
        // let dynalite answer with its own validation error.
        const res = await forward(method, path, headers, body);
        if (res.status >= 200 && res.status < 300) throw error;
        return res;
      }
      const res = await forward(method, path, headers, body);
      if (res.status < 200 || res.status >= 300) return res; // a failed (e.g. conditional) write changed nothing
      const after = await Promise.all(targets.map(readItem));
      const at = new Date();
      targets.forEach((target, i) => {
        const table = tables.get(target.table);
        if (!table) return;
        const record = changeRecord({ stream: table.stream, keyNames: table.keyNames, oldImage: before[i], newImage: after[i], sequenceNumber: '', at });
        if (!record) return;
        // Numbered only when a record exists, so sequence numbers have no gaps a reader could misread.
        record.dynamodb!.SequenceNumber = sequence.take();
        table.stream.append(record);
      });
      return res;
    } finally {
      release();
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    const input = operation ? parseJson(body) : undefined;

    const answered = input ? answerLocally(operation, input, schemas) : undefined;
    if (answered) return void reply(res, answered.status, answered.body);

    let out: Upstream;
    const targets = input && WRITES.has(operation) ? writeTargets(operation, input, tables) : [];
    if (targets.length > 0) {
      out = await capture(method, path, req.headers, body, targets);
    } else {
      out = ephemeral && operation === 'ListTables' && input ? await listBoth(method, path, req.headers, body, input) : await forward(method, path, req.headers, body, upstreamOf(input?.TableName));
      if (input && out.status === 200) trackTables(operation, input, tables, schemas);
    }
    const amended = input ? await amend(operation, input, out) : undefined;
    if (amended) return void reply(res, out.status, amended);
    res.writeHead(out.status, out.rawHeaders);
    res.end(out.body);
  };

  /** ListTables over both dynalites: every name of each, merged, then paged as DynamoDB pages (Limit ≤ 100, ExclusiveStartTableName). */
  const listBoth = async (method: string, path: string, headers: IncomingHttpHeaders, body: Buffer, input: Record<string, unknown>): Promise<Upstream> => {
    // The request as sent first, so dynalite validates it (Limit, ExclusiveStartTableName) as DynamoDB does.
    const checked = await forward(method, path, headers, body);
    if (checked.status !== 200) return checked;
    const names = new Set<string>();
    for (const upstream of [durable, ephemeral!.listener]) {
      let start: string | undefined;
      do {
        const request = Buffer.from(JSON.stringify(start ? { ExclusiveStartTableName: start } : {}));
        const res = await forward(method, path, internalHeaders('ListTables', request.length), request, upstream);
        if (res.status !== 200) return res;
        const page = JSON.parse(res.body.toString()) as { TableNames: string[]; LastEvaluatedTableName?: string };
        page.TableNames.forEach((name) => names.add(name));
        start = page.LastEvaluatedTableName;
      } while (start);
    }
    const limit = typeof input.Limit === 'number' ? input.Limit : 100;
    const after = typeof input.ExclusiveStartTableName === 'string' ? input.ExclusiveStartTableName : undefined;
    const sorted = [...names].sort().filter((name) => after === undefined || name > after);
    const page = sorted.slice(0, limit);
    const payload = Buffer.from(JSON.stringify({ TableNames: page, ...(sorted.length > limit && { LastEvaluatedTableName: page[page.length - 1] }) }));
    return { status: 200, rawHeaders: ['content-type', 'application/x-amz-json-1.0', 'content-length', String(payload.length), 'x-amz-crc32', String(crc32(payload))], body: payload };
  };

  /** A response body the proxy completes (DescribeTable's stream, a failed condition's item), or undefined. */
  const amend = async (operation: string, input: Record<string, unknown>, out: Upstream): Promise<Record<string, unknown> | undefined> => {
    const table = typeof input.TableName === 'string' ? input.TableName : undefined;
    if (operation === 'DescribeTable' && out.status === 200 && table && tables.has(table)) {
      const stream = tables.get(table)!;
      const described = JSON.parse(out.body.toString()) as { Table: Record<string, unknown> };
      described.Table.StreamSpecification = { StreamEnabled: true, StreamViewType: stream.stream.viewType };
      // The ARN the stream's records carry (eventSourceARN); its label is its last segment.
      described.Table.LatestStreamArn = stream.stream.streamArn;
      described.Table.LatestStreamLabel = stream.stream.streamArn.split('/stream/')[1];
      return described;
    }
    if (out.status === 400 && input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && table && ['PutItem', 'UpdateItem', 'DeleteItem'].includes(operation)) {
      const error = JSON.parse(out.body.toString()) as Record<string, unknown>;
      if (!String(error.__type ?? '').endsWith('ConditionalCheckFailedException')) return undefined;
      const schema = schemas.get(table);
      const key = operation === 'PutItem' && schema ? pick(input.Item as Item, schema.keys) : (input.Key as Item);
      const item = await readItem({ table, key });
      return item ? { ...error, Item: item } : error;
    }
    return undefined;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      const payload = JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: String((error as Error)?.message ?? error) });
      res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
    });
  });
  const { url } = await listen(server, options.port, options.host);

  return {
    url,
    streamOf: (name) => tables.get(name)?.stream,
    adopt: (input) => trackTables('CreateTable', input, tables, schemas),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * dynalite ignores StreamSpecification (it neither stores nor describes it), so the proxy keeps
 * which tables have a stream, and every table's key attributes. Only CreateTable enables a stream:
 * dynalite refuses an UpdateTable that carries nothing but a StreamSpecification. A table that
 * already exists (a restart on a persistent dynalite) is registered with `registerTable`.
 */
function trackTables(operation: string, input: Record<string, unknown>, tables: Map<string, StreamTable>, schemas: Map<string, TableSchema>): void {
  const name = input.TableName;
  if (typeof name !== 'string') return;
  if (operation === 'DeleteTable') {
    tables.delete(name);
    schemas.delete(name);
  }
  if (operation !== 'CreateTable') return;
  const keys = ((input.KeySchema ?? []) as Array<{ AttributeName: string }>).map((k) => k.AttributeName);
  const indexKeys = ((input.GlobalSecondaryIndexes ?? []) as Array<{ IndexName: string; KeySchema: Array<{ AttributeName: string }> }>).map((index) => ({
    index: index.IndexName,
    keys: index.KeySchema.map((k) => k.AttributeName),
  }));
  schemas.set(name, { keys, indexKeys });
  const spec = input.StreamSpecification as { StreamEnabled?: boolean; StreamViewType?: StreamViewType } | undefined;
  if (!spec?.StreamEnabled || !spec.StreamViewType) return;
  tables.set(name, { keyNames: keys, stream: new LocalStream(name, spec.StreamViewType) });
}

const VALIDATION = 'com.amazon.coral.validate#ValidationException';

/**
 * What the proxy answers itself, or undefined to pass the request on: Time to Live (which dynalite
 * lacks), and the validation DynamoDB does and dynalite does not (an empty string in a key).
 */
function answerLocally(operation: string, input: Record<string, unknown>, schemas: Map<string, TableSchema>): { status: number; body: Record<string, unknown> } | undefined {
  const table = typeof input.TableName === 'string' ? input.TableName : undefined;
  const schema = table ? schemas.get(table) : undefined;
  if (operation === 'UpdateTimeToLive' && schema) {
    const spec = input.TimeToLiveSpecification as { Enabled?: boolean; AttributeName?: string };
    schema.ttl = spec?.Enabled ? spec.AttributeName : undefined;
    return { status: 200, body: { TimeToLiveSpecification: spec } };
  }
  if (operation === 'DescribeTimeToLive' && schema) {
    return { status: 200, body: { TimeToLiveDescription: schema.ttl ? { TimeToLiveStatus: 'ENABLED', AttributeName: schema.ttl } : { TimeToLiveStatus: 'DISABLED' } } };
  }
  if (!schema) return undefined;
  const emptyKey = (item: unknown, names: string[]) => names.find((name) => (item as Item | undefined)?.[name]?.S === '');
  const refuse = (message: string) => ({ status: 400, body: { __type: VALIDATION, message: `One or more parameter values are not valid. ${message}` } });
  const key = operation === 'PutItem' ? input.Item : ['GetItem', 'UpdateItem', 'DeleteItem'].includes(operation) ? input.Key : undefined;
  const bad = key ? emptyKey(key, schema.keys) : undefined;
  if (bad) return refuse(`The AttributeValue for a key attribute cannot contain an empty string value. Key: ${bad}`);
  if (operation === 'PutItem') {
    for (const index of schema.indexKeys) {
      const empty = emptyKey(input.Item, index.keys);
      if (empty) return refuse(`A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: ${index.index}, IndexKey: ${empty}`);
    }
  }
  return undefined;
}

/** A JSON answer in DynamoDB's wire format, with the checksum the SDK verifies. */
function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': payload.length,
    'x-amz-crc32': String(crc32(payload)),
    'x-amzn-requestid': `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`.toUpperCase(),
  });
  res.end(payload);
}

/** The items a write request may change, in request order, limited to tables with a stream. */
function writeTargets(operation: string, input: Record<string, unknown>, tables: Map<string, StreamTable>): Target[] {
  const found: Target[] = [];
  const add = (table: unknown, key: unknown, isItem: boolean) => {
    if (typeof table !== 'string' || !key || typeof key !== 'object') return;
    const stream = tables.get(table);
    if (!stream) return;
    found.push({ table, key: isItem ? pick(key as Item, stream.keyNames) : (key as Item) });
  };
  switch (operation) {
    case 'PutItem':
      add(input.TableName, input.Item, true);
      break;
    case 'UpdateItem':
    case 'DeleteItem':
      add(input.TableName, input.Key, false);
      break;
    case 'BatchWriteItem':
      for (const [table, requests] of Object.entries((input.RequestItems ?? {}) as Record<string, unknown[]>)) {
        for (const r of Array.isArray(requests) ? requests : []) {
          const req = r as { PutRequest?: { Item?: unknown }; DeleteRequest?: { Key?: unknown } };
          if (req.PutRequest) add(table, req.PutRequest.Item, true);
          if (req.DeleteRequest) add(table, req.DeleteRequest.Key, false);
        }
      }
      break;
    case 'TransactWriteItems':
      // dynalite 4 answers UnknownOperationException, so nothing is captured today; kept so that
      // a dynalite that learns transactions is captured without changes here.
      for (const t of (Array.isArray(input.TransactItems) ? input.TransactItems : []) as Array<Record<string, { TableName?: unknown; Item?: unknown; Key?: unknown }>>) {
        if (t.Put) add(t.Put.TableName, t.Put.Item, true);
        if (t.Update) add(t.Update.TableName, t.Update.Key, false);
        if (t.Delete) add(t.Delete.TableName, t.Delete.Key, false);
      }
      break;
  }
  // The service refuses duplicate keys in one batch; reading each item once is enough either way.
  const seen = new Set<string>();
  return found.filter((t) => {
    const id = `${t.table}\u0000${canonical(t.key)}`;
    return seen.has(id) ? false : (seen.add(id), true);
  });
}

/** dynalite checks only that a signature is present, never that it is valid. */
function internalHeaders(operation: string, length: number): IncomingHttpHeaders {
  return {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': String(length),
    'x-amz-target': `${TARGET_PREFIX}${operation}`,
    'x-amz-date': '20000101T000000Z',
    authorization: 'AWS4-HMAC-SHA256 Credential=local/20000101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=local',
  };
}

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // dynalite answers the SerializationException
  }
}

