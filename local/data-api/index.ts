import { RDSDataClient } from '@aws-sdk/client-rds-data';
import { Db, type RetryPolicy } from '@shared/db';
import type { FunctionAccess } from '@shared/function-access';
import { createPgliteBackend, createPostgresBackend, type Backend } from './backend';
import { type JsonForNonSelect, STATEMENT_TIMEOUT_MS, startLocalDataApi, type LocalDataApi } from './server';
import { LOCAL_CREDENTIALS, LOCAL_DATA_API, REGION } from '../config';

export { startLocalDataApi, MAX_RESPONSE_BYTES, STATEMENT_TIMEOUT_MS, type JsonForNonSelect, type LocalDataApi, type DataApiStats } from './server';
export { createPgliteBackend, createPostgresBackend, type Backend } from './backend';

export interface LocalDatabaseOptions {
  /** PostgreSQL URL; when absent, embedded PGlite is used. */
  databaseUrl?: string;
  /** PGlite data directory; absent → in memory. */
  dataDir?: string;
  port?: number;
  /** A call's time limit, ms (the service's 45 s): the endpoint's answer and the database's statement_timeout. */
  statementTimeoutMs?: number;
  /** How `formatRecordsAs: JSON` treats a non-SELECT that returns rows (see JsonForNonSelect). */
  jsonForNonSelect?: JsonForNonSelect;
  /** How long a transaction may stay idle before it is rolled back, ms (the service's 3 minutes; tests shorten it). */
  transactionIdleMs?: number;
}

export interface LocalDatabase {
  api: LocalDataApi;
  backend: Backend;
  target: typeof LOCAL_DATA_API;
  /** A real RDSDataClient pointed at the local endpoint. */
  client: RDSDataClient;
  db: Db;
  stop(): Promise<void>;
}

/** Starts a database backend and the local Data API in front of it. */
export async function startLocalDatabase(options: LocalDatabaseOptions = {}, retry?: RetryPolicy): Promise<LocalDatabase> {
  const statementTimeoutMs = options.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS;
  const backend = options.databaseUrl
    ? await createPostgresBackend(options.databaseUrl, { statementTimeoutMs })
    : await createPgliteBackend(options.dataDir, { statementTimeoutMs });
  const api = await startLocalDataApi({ backend, ...LOCAL_DATA_API, port: options.port, statementTimeoutMs, jsonForNonSelect: options.jsonForNonSelect, transactionIdleMs: options.transactionIdleMs });
  const client = new RDSDataClient({ endpoint: api.url, region: REGION, credentials: LOCAL_CREDENTIALS });
  return {
    api,
    backend,
    target: LOCAL_DATA_API,
    client,
    db: new Db(client, LOCAL_DATA_API, retry),
    async stop() {
      client.destroy();
      await api.close();
      await backend.close();
    },
  };
}

/**
 * The environment that points the unmodified handler modules at a local Data API endpoint: the
 * SDK reads AWS_ENDPOINT_URL_RDS_DATA, the handlers their usual DB_* variables. `role` picks the
 * secret, as the CDK does for each function (FunctionAccess): the read-only role's for readers.
 */
export function handlerEnvironment(local: Pick<LocalDatabase, 'api' | 'target'>, role: FunctionAccess['database'] = 'writer'): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_RDS_DATA: local.api.url,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_REGION: REGION,
    DB_CLUSTER_ARN: local.target.resourceArn,
    DB_SECRET_ARN: role === 'reader' ? local.target.readerSecretArn : local.target.secretArn,
    DB_NAME: local.target.database,
  };
}
