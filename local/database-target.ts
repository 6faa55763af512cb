import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RDSDataClient } from '@aws-sdk/client-rds-data';
import { Db, getDb } from '@shared/db';
import { ENDPOINTS_FILE, LOCAL_CREDENTIALS, LOCAL_DIR, REGION } from './config';
import { startLocalDatabase } from './data-api';

export interface DbTarget {
  db: Db;
  description: string;
  close(): Promise<void>;
}

interface EndpointsFile {
  dataApi?: { endpoint: string; resourceArn: string; secretArn: string; database: string };
}

/**
 * Where the database tools (migrate, seed, aggregate) connect, in order:
 * 1. DB_CLUSTER_ARN in the environment → that cluster through the Data API (Aurora, or whatever
 *    AWS_ENDPOINT_URL_RDS_DATA points at);
 * 2. a running `npm run dev` (its `.local/endpoints.json`);
 * 3. otherwise the local database itself (`.local/pgdata`, or DATABASE_URL), opened for this run.
 */
export async function openDbTarget(): Promise<DbTarget> {
  if (process.env.DB_CLUSTER_ARN) {
    return { db: getDb(), description: `Data API cluster ${process.env.DB_CLUSTER_ARN}`, close: async () => {} };
  }
  const running = await runningDevDataApi();
  if (running) {
    const client = new RDSDataClient({ endpoint: running.endpoint, region: REGION, credentials: LOCAL_CREDENTIALS });
    const { endpoint, ...target } = running;
    return { db: new Db(client, target), description: `running local Data API at ${endpoint}`, close: async () => client.destroy() };
  }
  const local = await startLocalDatabase(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : { dataDir: join(LOCAL_DIR, 'pgdata') });
  return {
    db: local.db,
    description: process.env.DATABASE_URL ? 'PostgreSQL at DATABASE_URL' : 'embedded database in .local/pgdata',
    close: () => local.stop(),
  };
}

async function runningDevDataApi(): Promise<EndpointsFile['dataApi'] | undefined> {
  if (!existsSync(ENDPOINTS_FILE)) return undefined;
  try {
    const dataApi = (JSON.parse(readFileSync(ENDPOINTS_FILE, 'utf8')) as EndpointsFile).dataApi;
    if (!dataApi) return undefined;
    const health = await fetch(`${dataApi.endpoint}/_local/health`, { signal: AbortSignal.timeout(1_000) });
    return health.ok ? dataApi : undefined;
  } catch {
    return undefined; // a stale file from a dev server that is gone
  }
}
