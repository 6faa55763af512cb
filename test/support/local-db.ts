import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startLocalDatabase, type LocalDatabase, type LocalDatabaseOptions } from '@local/data-api';
import type { RetryPolicy } from '@shared/db';

export type BackendKind = 'pglite' | 'postgres';

/**
 * The backends the integration tests run against: embedded PGlite always, and PostgreSQL too when
 * DATABASE_URL points at a server (CI installs PostgreSQL 15 with apt and sets it).
 */
export const BACKENDS: BackendKind[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** A fresh, empty database behind a local Data API endpoint; `stop()` removes every trace. */
export async function startTestDatabase(kind: BackendKind, retry?: RetryPolicy, settings: Pick<LocalDatabaseOptions, 'statementTimeoutMs' | 'jsonForNonSelect' | 'transactionIdleMs'> = {}): Promise<LocalDatabase> {
  if (kind === 'pglite') return startLocalDatabase(settings, retry);

  const adminUrl = process.env.DATABASE_URL!;
  const name = `painel_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const local = await startLocalDatabase({ ...settings, databaseUrl: url.toString() }, retry);
  return {
    ...local,
    async stop() {
      await local.stop();
      const cleanup = new Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
