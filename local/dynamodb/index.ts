import type { Server } from 'node:http';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { COMMANDS_TABLE, type TableDeclaration } from '@lambda/commands/declaration';
import { RATE_LIMIT_TABLE } from '@shared/rate-limits';
import { LOCAL_CREDENTIALS, REGION } from '../config';
import { startStreamProxy, type DynaliteListener, type StreamProxy } from './proxy';
import type { LocalStream } from './stream';
import { createTableInput } from './table';

export { createTableInput } from './table';
export { LocalStream, type Item, type StreamViewType } from './stream';
export {
  startEventSourceMapping,
  type EventSourceMapping,
  type EventSourceMappingConfig,
  type EventSourceMappingOptions,
  type OnFailureRecord,
  type StreamHandler,
} from './event-source-mapping';
export { compileFilters, type FilterPattern } from './filter';

// dynalite ships no types (and is CommonJS); this is the part used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number; path?: string }) => Server;

export interface LocalDynamoOptions {
  /** Port of the public endpoint; 0 picks a free one. */
  port?: number;
  host?: string;
  /** A directory for the tables (LevelDB), so they survive a restart; absent → in memory. */
  path?: string;
}

export interface LocalDynamo {
  /** The endpoint clients use (the stream-capturing proxy, not dynalite itself). */
  endpoint: string;
  /** The commands table, created from the declaration. */
  tableName: string;
  /** A real DynamoDBClient pointed at `endpoint`. */
  client: DynamoDBClient;
  /** The rate limits' counters table. */
  rateLimitTableName: string;
  /** The commands table's stream (the one made at start; a re-created table gets a new one, see streamOf). */
  stream: LocalStream;
  /** The stream of any table created through `endpoint` with a StreamSpecification. */
  streamOf(tableName: string): LocalStream | undefined;
  stop(): Promise<void>;
}

/**
 * Starts dynalite (in memory, or on disk under `path`) behind the stream-capturing proxy and
 * creates the commands table — or, on disk, takes in the one a previous start created.
 */
export async function startLocalDynamo(options: LocalDynamoOptions = {}): Promise<LocalDynamo> {
  const db = await startDynalite(options.path);
  // On disk, the rate limits' counters (one write per API request, each item living a minute) stay
  // in memory: LevelDB's write path cost the busiest list route ~20% of its throughput under load.
  const counters = options.path ? await startDynalite(undefined) : undefined;
  const servers = counters ? [db, counters] : [db];
  const closeAll = () => Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  const proxy = await startStreamProxy({
    upstream: listenerOf(db),
    ...(counters && { ephemeral: { upstream: listenerOf(counters), tables: new Set<string>([RATE_LIMIT_TABLE.logicalName]) } }),
    port: options.port,
    host: options.host,
  }).catch(async (error: unknown) => {
    await closeAll(); // e.g. the port is taken
    throw error;
  });
  const client = new DynamoDBClient({ endpoint: proxy.url, region: REGION, credentials: LOCAL_CREDENTIALS });
  const stop = async () => {
    client.destroy();
    await proxy.close();
    for (const server of servers) server.closeAllConnections();
    await Promise.all(servers.map((server) => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))));
  };

  try {
    const tableName = await createDeclaredTable(client, proxy, COMMANDS_TABLE);
    // The rate limits' counters (lambda/shared/rate-limits.ts); no stream.
    const rateLimitTableName = await createDeclaredTable(client, proxy, RATE_LIMIT_TABLE);
    const stream = proxy.streamOf(tableName);
    if (!stream) throw new Error(`the proxy did not register the stream of ${tableName}`);
    return { endpoint: proxy.url, tableName, rateLimitTableName, client, stream, streamOf: proxy.streamOf, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/**
 * dynalite, in memory or on disk under `path`. The proxy calls its request listener in-process;
 * the server still listens on a loopback port because its close() (which closes the store) expects
 * a listening server.
 */
async function startDynalite(path: string | undefined): Promise<Server> {
  // No artificial CREATING/DELETING delay: nothing local depends on it and it slows every start.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(path && { path }) });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return server;
}

/** dynalite's HTTP request listener (the one http.createServer was given). */
function listenerOf(server: Server): DynaliteListener {
  const [listener] = server.listeners('request') as DynaliteListener[];
  if (!listener) throw new Error('dynalite has no request listener');
  return listener;
}

/**
 * Creates a declared table through the proxy (so the proxy sees its StreamSpecification and key
 * schema) with its Time to Live — or, on disk after a restart, takes in the one that exists.
 * @returns the table's name (its logical name).
 */
async function createDeclaredTable(client: DynamoDBClient, proxy: Pick<StreamProxy, 'adopt'>, declaration: TableDeclaration): Promise<string> {
  const tableName = declaration.logicalName;
  const input = createTableInput(declaration, tableName);
  try {
    await client.send(new CreateTableCommand(input));
  } catch (error) {
    if ((error as Error).name !== 'ResourceInUseException') throw error;
    proxy.adopt(input as unknown as Record<string, unknown>);
  }
  await waitUntilActive(client, tableName);
  await enableTtl(client, tableName, declaration.ttlAttribute);
  return tableName;
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  // The SDK's waiter polls every 20 s at least; with createTableMs 0 the table is ACTIVE at once.
  for (let attempt = 0; attempt < 100; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}

/**
 * The table's Time to Live, as the declaration says (the proxy keeps it and DescribeTimeToLive
 * reports it: dynalite 4 has neither). Items never expire locally, so the REMOVE record the
 * service writes for a TTL deletion (userIdentity dynamodb.amazonaws.com) never appears.
 */
async function enableTtl(client: DynamoDBClient, tableName: string, attribute: string): Promise<void> {
  await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: attribute } }));
}

/**
 * The environment that points unmodified handler modules at the local DynamoDB: the SDK reads
 * AWS_ENDPOINT_URL_DYNAMODB, the handlers COMMANDS_TABLE (lambda/commands/env.ts).
 */
export function dynamoHandlerEnvironment(local: Pick<LocalDynamo, 'endpoint' | 'tableName'>): { AWS_ENDPOINT_URL_DYNAMODB: string; COMMANDS_TABLE: string } {
  return { AWS_ENDPOINT_URL_DYNAMODB: local.endpoint, COMMANDS_TABLE: local.tableName };
}
