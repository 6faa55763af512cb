import {
  BadRequestException,
  BeginTransactionCommand,
  CommitTransactionCommand,
  DatabaseErrorException,
  ExecuteStatementCommand,
  type ExecuteStatementCommandInput,
  RollbackTransactionCommand,
  SecretsErrorException,
  StatementTimeoutException,
  TransactionNotFoundException,
  UnsupportedResultException,
} from '@aws-sdk/client-rds-data';
import { p } from '@shared/db';
import { MAX_RESPONSE_BYTES, type LocalDatabase } from '@local/data-api';
import { BACKENDS, startTestDatabase } from '../../support/local-db';

/**
 * Issue 18, the local Data API as strict as the service: each rule through the real SDK client
 * (docs/fidelity.md names the AWS source of each; scripts/data-api-fidelity.py checks them again
 * with boto3).
 */
describe.each(BACKENDS)('the local Data API is as strict as the service, on %s', (kind) => {
  let local: LocalDatabase;
  const TIMEOUT_MS = 1_000;

  beforeAll(async () => {
    local = await startTestDatabase(kind, undefined, { statementTimeoutMs: TIMEOUT_MS });
    await local.db.execute('CREATE TABLE notes (id int PRIMARY KEY, body text)');
    await local.db.execute('CREATE TABLE blobs (id int PRIMARY KEY, data bytea)');
    await local.db.execute(`INSERT INTO blobs VALUES (1, '\\x00ff10'::bytea)`);
  }, 60_000);
  afterAll(async () => {
    await local?.stop();
  });

  const execute = (input: Partial<ExecuteStatementCommandInput>) => local.client.send(new ExecuteStatementCommand({ ...local.target, sql: 'SELECT 1', ...input }));
  const begin = async () => (await local.client.send(new BeginTransactionCommand({ ...local.target }))).transactionId!;
  const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as Error);

  test('a result row over 64 KB fails (UnsupportedResultException), one just under passes; the 1 MiB response cap stays', async () => {
    expect(await failure(execute({ sql: `SELECT repeat('x', 65 * 1024) AS big` }))).toBeInstanceOf(UnsupportedResultException);
    expect(await failure(execute({ sql: `SELECT repeat('x', 65 * 1024) AS big`, formatRecordsAs: 'JSON' }))).toBeInstanceOf(UnsupportedResultException);
    await expect(execute({ sql: `SELECT repeat('x', 63 * 1024) AS big` })).resolves.toBeDefined();
    // Many rows each under 64 KB, together over 1 MiB.
    const tooMuch = await failure(execute({ sql: `SELECT repeat('x', 60 * 1024) FROM generate_series(1, ${Math.ceil(MAX_RESPONSE_BYTES / (60 * 1024)) + 1})`, formatRecordsAs: 'JSON' }));
    expect(tooMuch).toBeInstanceOf(BadRequestException);
    expect(tooMuch!.message).toMatch(/response size limit/);
  });

  test('a call past the time limit fails with StatementTimeoutException; without continueAfterTimeout the statement is cancelled', async () => {
    const started = Date.now();
    const error = await failure(execute({ sql: `WITH pause AS (SELECT pg_sleep(${(TIMEOUT_MS * 2) / 1000})) INSERT INTO notes SELECT 1, 'cancelled' FROM pause` }));
    expect(error).toBeInstanceOf(StatementTimeoutException);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 2);
    await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 2));
    expect(await local.db.query('SELECT id FROM notes WHERE id = 1')).toEqual([]);
  });

  test('with continueAfterTimeout the call still times out, and the statement runs to its end', async () => {
    const error = await failure(execute({ sql: `WITH pause AS (SELECT pg_sleep(${(TIMEOUT_MS * 1.5) / 1000})) INSERT INTO notes SELECT 2, 'continued' FROM pause`, continueAfterTimeout: true }));
    expect(error).toBeInstanceOf(StatementTimeoutException);
    for (let i = 0; i < 50 && (await local.db.query('SELECT id FROM notes WHERE id = 2')).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await local.db.query('SELECT body FROM notes WHERE id = 2')).toEqual([{ body: 'continued' }]);
  });

  test.each([
    ['void', `SELECT pg_sleep(0) AS nothing`],
    ['regtype', `SELECT 'int4'::regtype AS t`],
    ['"char"', `SELECT 'a'::"char" AS c`],
    ['money', `SELECT 12.5::money AS m`],
    ['interval', `SELECT interval '1 day' AS i`],
  ])('a %s column fails with UnsupportedResultException', async (_, sql) => {
    const error = await failure(execute({ sql, formatRecordsAs: 'JSON' }));
    expect(error).toBeInstanceOf(UnsupportedResultException);
    // The same value cast to a supported type is fine.
    await expect(execute({ sql: `SELECT (${sql.replace(/^SELECT /, '').replace(/ AS \w+$/, '')})::text AS v` })).resolves.toBeDefined();
  });

  test('an error inside a transaction aborts it: the following calls and the commit are not found, nothing is committed', async () => {
    const transactionId = await begin();
    await execute({ sql: `INSERT INTO notes VALUES (10, 'rolled back')`, transactionId });
    expect(await failure(execute({ sql: 'SELECT 1/0', transactionId }))).toBeInstanceOf(DatabaseErrorException);
    const next = await failure(execute({ sql: 'SELECT 1', transactionId }));
    expect(next).toBeInstanceOf(TransactionNotFoundException);
    expect(next!.message).toMatch(/aborted because of an error in a previous call/);
    const commit = await failure(local.client.send(new CommitTransactionCommand({ ...local.target, transactionId })));
    expect(commit).toBeInstanceOf(TransactionNotFoundException);
    expect(await local.db.query('SELECT id FROM notes WHERE id = 10')).toEqual([]);
  });

  test('a second call on a transaction while one runs fails at once ("still running a query")', async () => {
    const transactionId = await begin();
    const slow = execute({ sql: 'SELECT pg_sleep(0.4) IS NULL AS slept', transactionId });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = await failure(execute({ sql: 'SELECT 1', transactionId }));
    expect(second).toBeInstanceOf(DatabaseErrorException);
    expect(second!.message).toMatch(/Transaction is still running a query/);
    await slow;
    await local.client.send(new RollbackTransactionCommand({ ...local.target, transactionId }));
  });

  test('longValue keeps 64-bit precision on the wire; blobValue is base64; resultSetOptions are honoured', async () => {
    // The SDK parses JSON numbers as doubles, so the exact digits are checked in the raw response.
    const raw = await fetch(`${local.api.url}/Execute`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...local.target, sql: 'SELECT 9223372036854775807::bigint AS big, 12.50::numeric AS n, data FROM blobs' }),
    });
    const text = await raw.text();
    expect(text).toContain('{"longValue":9223372036854775807}');
    expect(text).toContain('{"blobValue":"AP8Q"}');
    expect(text).toContain('{"stringValue":"12.50"}');

    const asStrings = await execute({ sql: 'SELECT 9223372036854775807::bigint AS big, 12.50::numeric AS n, 7::numeric AS whole', resultSetOptions: { longReturnType: 'STRING', decimalReturnType: 'DOUBLE_OR_LONG' } });
    expect(asStrings.records![0]).toEqual([{ stringValue: '9223372036854775807' }, { doubleValue: 12.5 }, { longValue: 7 }]);
    const blob = await execute({ sql: 'SELECT data FROM blobs' });
    expect(Buffer.from(blob.records![0]![0]!.blobValue!)).toEqual(Buffer.from([0, 255, 16]));
  });

  test('columnMetadata comes only when asked, and not with JSON records', async () => {
    expect((await execute({ sql: 'SELECT 1 AS one' })).columnMetadata).toBeUndefined();
    expect((await execute({ sql: 'SELECT 1 AS one', includeResultMetadata: true })).columnMetadata![0]).toMatchObject({ name: 'one', typeName: 'int4' });
    const json = await execute({ sql: 'SELECT 1 AS one', includeResultMetadata: true, formatRecordsAs: 'JSON' });
    expect(json.columnMetadata).toBeUndefined();
    expect(JSON.parse(json.formattedRecords!)).toEqual([{ one: 1 }]);
  });

  test('the schema parameter is refused; an unknown secret is SecretsErrorException', async () => {
    const schema = await failure(execute({ schema: 'public' }));
    expect(schema).toBeInstanceOf(BadRequestException);
    expect(schema!.message).toMatch(/schema parameter isn't supported/);
    expect(await failure(execute({ secretArn: `${local.target.secretArn}-other` }))).toBeInstanceOf(SecretsErrorException);
  });
});

describe('the product works under both readings of formatRecordsAs for INSERT … RETURNING', () => {
  test.each(['apply', 'ignore'] as const)('JSON for non-SELECT statements: %s', async (jsonForNonSelect) => {
    const local = await startTestDatabase('pglite', undefined, { jsonForNonSelect });
    try {
      await local.db.execute('CREATE TABLE things (id int PRIMARY KEY, name text, at timestamptz, big bigint)');
      const inserted = await local.db.query(`INSERT INTO things VALUES (1, 'um', '2026-11-01T12:00:00Z', 42) RETURNING id, name, at, big`);
      expect(inserted).toEqual([{ id: 1, name: 'um', at: '2026-11-01 12:00:00', big: 42 }]);
      const raw = await local.client.send(new ExecuteStatementCommand({ ...local.target, sql: `UPDATE things SET name = 'dois' WHERE id = 1 RETURNING name`, formatRecordsAs: 'JSON' }));
      expect(raw.formattedRecords === undefined).toBe(jsonForNonSelect === 'ignore');
      expect(await local.db.query(`UPDATE things SET name = :name WHERE id = 1 RETURNING name`, { name: p.text('três') })).toEqual([{ name: 'três' }]);
    } finally {
      await local.stop();
    }
  });
});
