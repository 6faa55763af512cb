import { join } from 'node:path';
import { BeginTransactionCommand, DatabaseErrorException, ExecuteStatementCommand, RollbackTransactionCommand } from '@aws-sdk/client-rds-data';
import { Client } from 'pg';
import { migrate, setReaderPassword } from '@database/migrate';
import { ROUTES } from '@lambda/routes';
import type { LocalDatabase } from '@local/data-api';
import { functionEnvironment } from '@local/functions';
import { type Db, p } from '@shared/db';
import { READER_ROLE } from '@shared/function-access';
import { BACKENDS, startTestDatabase } from '../../support/local-db';

/**
 * Issue 17, least privilege inside the database: read routes connect through the read-only role's
 * secret, and the local Data API runs that secret's statements as the role, so a read path that
 * tries to write fails here as it would on Aurora.
 */
describe.each(BACKENDS)('the read-only database role on %s', (kind) => {
  let local: LocalDatabase;
  const tenant = '6f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b';

  beforeAll(async () => {
    local = await startTestDatabase(kind);
    await migrate(local.db);
    await local.db.execute(
      `INSERT INTO alquimista_platform.tenants (id, name, cnpj, segment, plan, status) VALUES (:id, 'Leitura Ltda', '11222333000181', 'varejo', 'starter', 'active')`,
      { id: p.uuid(tenant) },
    );
  }, 120_000);
  afterAll(async () => {
    await local?.stop();
  });

  const asReader = (sql: string, transactionId?: string) =>
    local.client.send(new ExecuteStatementCommand({ ...local.target, secretArn: local.target.readerSecretArn, sql, transactionId, formatRecordsAs: 'JSON' }));

  test('reads through the reader secret, as the role', async () => {
    const result = await asReader(`SELECT current_user AS role, count(*)::int AS tenants FROM alquimista_platform.tenants`);
    expect(JSON.parse(result.formattedRecords!)).toEqual([{ role: READER_ROLE, tenants: 1 }]);
  });

  test.each([
    ['UPDATE', `UPDATE alquimista_platform.tenants SET name = 'x'`],
    ['INSERT', `INSERT INTO alquimista_platform.operational_events (event_type, severity, title) VALUES ('x', 'info', 'x')`],
    ['DELETE', `DELETE FROM alquimista_platform.tenants`],
    ['DDL', `CREATE TABLE alquimista_platform.intruder (id int)`],
  ])('refuses a write (%s) with the service’s error and PostgreSQL’s permission denied', async (_, sql) => {
    const error = await asReader(sql).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseErrorException);
    expect((error as Error).message).toMatch(/permission denied/);
    // Nothing changed.
    expect(await local.db.one(`SELECT name FROM alquimista_platform.tenants`)).toEqual({ name: 'Leitura Ltda' });
  });

  test('a transaction begun with the reader secret runs as the role, and its calls must use that secret', async () => {
    const { transactionId } = await local.client.send(new BeginTransactionCommand({ ...local.target, secretArn: local.target.readerSecretArn }));
    try {
      expect(JSON.parse((await asReader('SELECT current_user AS role', transactionId)).formattedRecords!)).toEqual([{ role: READER_ROLE }]);
      const mixed = await local.client.send(new ExecuteStatementCommand({ ...local.target, sql: 'SELECT 1', transactionId })).catch((e: unknown) => e);
      expect((mixed as Error).name).toBe('BadRequestException');
    } finally {
      await local.client.send(new RollbackTransactionCommand({ ...local.target, secretArn: local.target.readerSecretArn, transactionId }));
    }
  });

  test('every read route’s function gets the reader secret, and its Db cannot write', async () => {
    const readers = ROUTES.filter((route) => route.access.database === 'reader');
    expect(readers.length).toBe(ROUTES.filter((route) => route.method === 'GET').length);
    for (const route of ROUTES) {
      const env = functionEnvironment(route.access, { database: local });
      expect({ route: route.id, secret: env.DB_SECRET_ARN }).toEqual({ route: route.id, secret: route.access.database === 'reader' ? local.target.readerSecretArn : local.target.secretArn });
    }
    // The Db a read route's module builds from that environment (getDb, as the handlers do).
    const db = loadDbWith(functionEnvironment(readers[0]!.access, { database: local }));
    expect(await db.one('SELECT count(*)::int AS n FROM alquimista_platform.tenants')).toEqual({ n: 1 });
    await expect(db.execute(`UPDATE alquimista_platform.tenants SET name = 'x'`)).rejects.toMatchObject({ status: 500 });
    await expect(db.transaction(async (tx) => tx.execute(`DELETE FROM alquimista_platform.tenants`))).rejects.toBeDefined();
    expect(await local.db.one(`SELECT count(*)::int AS n FROM alquimista_platform.tenants`)).toEqual({ n: 1 });
  });

  if (kind === 'postgres') {
    test('the migrations runner gives the role a login from its secret; it then reads and cannot write', async () => {
      const password = `Reader-${Math.random().toString(36).slice(2)}-Pw1!`;
      await setReaderPassword(local.db, password);
      const url = new URL(process.env.DATABASE_URL!);
      const database = (await local.db.one<{ db: string }>('SELECT current_database() AS db'))!.db;
      const client = new Client({ host: url.hostname, port: Number(url.port), user: READER_ROLE, password, database });
      await client.connect();
      try {
        expect((await client.query('SELECT count(*)::int AS n FROM alquimista_platform.tenants')).rows).toEqual([{ n: 1 }]);
        await expect(client.query(`UPDATE alquimista_platform.tenants SET name = 'x'`)).rejects.toThrow(/permission denied/);
      } finally {
        await client.end();
      }
      // The password never travelled in a statement's text: the role's password is set, and the
      // statement log of this transaction holds only the placeholders.
      expect((await local.db.one<{ can_login: boolean }>(`SELECT rolcanlogin AS can_login FROM pg_roles WHERE rolname = '${READER_ROLE}'`))!.can_login).toBe(true);
    });
  }
});

/** `getDb()` of lambda/shared/db, in a fresh module graph with `env` (as a function's module loads it). */
function loadDbWith(env: Record<string, string>): Db {
  // Left in place: the SDK reads its endpoint and credentials from the environment when it calls.
  Object.assign(process.env, env);
  let db: Db | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    db = (require(join(__dirname, '..', '..', '..', 'lambda', 'shared', 'db')) as typeof import('@shared/db')).getDb();
  });
  return db!;
}
