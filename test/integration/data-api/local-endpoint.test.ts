import {
  BadRequestException,
  DatabaseErrorException,
  ExecuteStatementCommand,
  TransactionNotFoundException,
} from '@aws-sdk/client-rds-data';
import { p } from '@shared/db';
import { DatabaseError, ConflictError, ValidationError } from '@shared/errors';
import type { LocalDatabase } from '@local/data-api';
import { BACKENDS, startTestDatabase } from '../../support/local-db';

describe.each(BACKENDS)('local Data API endpoint on %s', (kind) => {
  let local: LocalDatabase;

  beforeAll(async () => {
    local = await startTestDatabase(kind);
    await local.db.execute(`CREATE TABLE roundtrip (
      id uuid PRIMARY KEY, doc jsonb, day date, at timestamptz, amount numeric(12,2), big bigint,
      flag boolean, label text, ratio double precision, missing text)`);
    await local.db.execute('CREATE TABLE items (id uuid PRIMARY KEY, name text UNIQUE NOT NULL)');
  }, 60_000);

  afterAll(async () => {
    await local?.stop();
  });

  const execute = (input: Partial<ConstructorParameters<typeof ExecuteStatementCommand>[0]>) =>
    local.client.send(new ExecuteStatementCommand({ ...local.target, sql: 'SELECT 1', ...input }));

  test('every parameter type round-trips through the real RDSDataClient', async () => {
    // GIVEN one value of each type, bound with its explicit type hint
    const id = '0b6f9f0e-4a3c-4f7e-9d1a-2c3b4d5e6f70';
    await local.db.execute(
      `INSERT INTO roundtrip (id, doc, day, at, amount, big, flag, label, ratio, missing)
       VALUES (:id, :doc, :day, :at, :amount, :big, :flag, :label, :ratio, :missing)`,
      {
        id: p.uuid(id),
        doc: p.json({ nested: { list: [1, 'dois', null] }, ok: true }),
        day: p.date('2024-02-29'),
        at: p.timestamp(new Date('2024-03-31T23:59:59.123Z')),
        amount: p.decimal('1234.56'),
        big: p.bigint(9_007_199_254_740_991),
        flag: p.bool(false),
        label: p.text("O'Reilly — ação ☕"),
        ratio: p.float(0.125),
        missing: p.null(),
      },
    );

    // WHEN it is read back by id
    const row = await local.db.one('SELECT * FROM roundtrip WHERE id = :id', { id: p.uuid(id) });

    // THEN each value comes back in the service's JSON record format
    expect(row).toEqual({
      id,
      doc: '{"ok": true, "nested": {"list": [1, "dois", null]}}',
      day: '2024-02-29',
      at: '2024-03-31 23:59:59.123',
      amount: '1234.56',
      big: 9_007_199_254_740_991,
      flag: false,
      label: "O'Reilly — ação ☕",
      ratio: 0.125,
      missing: null,
    });
    expect(JSON.parse(row!.doc as string)).toEqual({ nested: { list: [1, 'dois', null] }, ok: true });
  });

  test('a uuid compared with an un-hinted string fails with the class Aurora raises', async () => {
    // WHEN the id travels as a plain string (no UUID type hint)
    const call = execute({ sql: 'SELECT * FROM roundtrip WHERE id = :id', parameters: [{ name: 'id', value: { stringValue: '0b6f9f0e-4a3c-4f7e-9d1a-2c3b4d5e6f70' } }] });

    // THEN PostgreSQL refuses uuid = varchar, reported as DatabaseErrorException with its SQLState
    await expect(call).rejects.toBeInstanceOf(DatabaseErrorException);
    await expect(call).rejects.toThrow(/operator does not exist: uuid = character varying.*SQLState: 42883/s);
    // AND the wrapper maps it to an internal DatabaseError
    await expect(local.db.query('SELECT * FROM roundtrip WHERE id = :id', { id: p.text('0b6f9f0e-4a3c-4f7e-9d1a-2c3b4d5e6f70') })).rejects.toBeInstanceOf(DatabaseError);
  });

  test('a list of ids travels as one text parameter cast to uuid[]', async () => {
    const ids = ['1a6f9f0e-4a3c-4f7e-9d1a-2c3b4d5e6f70', '2a6f9f0e-4a3c-4f7e-9d1a-2c3b4d5e6f70'];
    await local.db.batch('INSERT INTO items (id, name) VALUES (:id, :name)', ids.map((id, i) => ({ id: p.uuid(id), name: p.text(`item ${i}`) })));

    const rows = await local.db.query<{ name: string }>('SELECT name FROM items WHERE id = ANY(CAST(:ids AS uuid[])) ORDER BY name', { ids: p.uuidList(ids) });

    expect(rows.map((r) => r.name)).toEqual(['item 0', 'item 1']);
  });

  test('array parameters are refused as the service refuses them', async () => {
    const call = execute({ sql: 'SELECT :xs', parameters: [{ name: 'xs', value: { arrayValue: { stringValues: ['a'] } } }] });
    await expect(call).rejects.toBeInstanceOf(BadRequestException);
    await expect(call).rejects.toThrow('Array parameters are not supported.');
  });

  test('type hints accept only the formats the service accepts', async () => {
    const bad = [
      { name: 'v', value: { stringValue: '2024-01-01T00:00:00Z' }, typeHint: 'TIMESTAMP' as const },
      { name: 'v', value: { stringValue: '01/02/2024' }, typeHint: 'DATE' as const },
      { name: 'v', value: { stringValue: 'x' }, typeHint: 'BOGUS' as never },
      { name: 'v', value: { longValue: 1 }, typeHint: 'UUID' as const },
    ];
    for (const parameter of bad) {
      await expect(execute({ sql: 'SELECT :v', parameters: [parameter] })).rejects.toBeInstanceOf(BadRequestException);
    }
    const [ok] = await local.db.query('SELECT CAST(:v AS text) AS v', { v: p.timestamp('2024-01-01T10:00:00Z') });
    expect(ok).toEqual({ v: '2024-01-01 10:00:00' });
  });

  test('a transaction commits and another rolls back', async () => {
    // WHEN one transaction completes and another throws half-way
    await local.db.transaction(async (tx) => {
      await tx.execute('INSERT INTO items (id, name) VALUES (:id, :name)', { id: p.uuid('3a6f9f0e-4a3c-4f7e-9d1a-2c3b4d5e6f70'), name: p.text('committed') });
    });
    await expect(
      local.db.transaction(async (tx) => {
        await tx.execute('INSERT INTO items (id, name) VALUES (:id, :name)', { id: p.uuid('4a6f9f0e-4a3c-4f7e-9d1a-2c3b4d5e6f70'), name: p.text('rolled back') });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');

    // THEN only the first is visible
    const names = (await local.db.query<{ name: string }>("SELECT name FROM items WHERE name IN ('committed', 'rolled back')")).map((r) => r.name);
    expect(names).toEqual(['committed']);
  });

  test('a statement naming an unknown transaction fails with TransactionNotFoundException', async () => {
    await expect(execute({ transactionId: 'no-such-transaction' })).rejects.toBeInstanceOf(TransactionNotFoundException);
  });

  test('a unique violation maps to ConflictError and a malformed uuid to ValidationError', async () => {
    await expect(
      local.db.execute('INSERT INTO items (id, name) VALUES (:id, :name)', { id: p.uuid('5a6f9f0e-4a3c-4f7e-9d1a-2c3b4d5e6f70'), name: p.text('committed') }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(local.db.query('SELECT * FROM items WHERE id = :id', { id: p.uuid('not-a-uuid') })).rejects.toBeInstanceOf(ValidationError);
  });

  test('a result over 1 MiB fails', async () => {
    const call = local.db.query("SELECT repeat('x', 1000) AS filler FROM generate_series(1, 1100)");
    await expect(call).rejects.toBeInstanceOf(DatabaseError);
    await expect(execute({ sql: "SELECT repeat('x', 1000) AS filler FROM generate_series(1, 1100)", formatRecordsAs: 'JSON' })).rejects.toThrow(
      'Database returned more than the allowed response size limit',
    );
    // just under the limit is fine
    await expect(local.db.query("SELECT repeat('x', 1000) AS filler FROM generate_series(1, 900)")).resolves.toHaveLength(900);
  });

  test('records without formatRecordsAs come back as typed fields with metadata', async () => {
    const out = await execute({ sql: "SELECT 1::int AS n, 'a'::text AS s, true AS b, NULL::text AS z, 1.5::float8 AS f", includeResultMetadata: true });
    expect(out.records).toEqual([[{ longValue: 1 }, { stringValue: 'a' }, { booleanValue: true }, { isNull: true }, { doubleValue: 1.5 }]]);
    expect(out.columnMetadata?.map((c) => c.name)).toEqual(['n', 's', 'b', 'z', 'f']);
  });

  test('writes report numberOfRecordsUpdated', async () => {
    const result = await local.db.execute("UPDATE items SET name = name || '' WHERE name LIKE 'item%'");
    expect(result.updated).toBe(2);
  });

  test('bad input gets the service error shape and never crashes the server', async () => {
    const post = (path: string, body: string) => fetch(`${local.api.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

    const malformed = await post('/Execute', '{not json');
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(await malformed.json()).toEqual({ message: expect.stringContaining('not valid JSON') });

    const unknown = await post('/DropEverything', '{}');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');

    const missingSql = await post('/Execute', JSON.stringify({ ...local.target }));
    expect(missingSql.status).toBe(400);
    expect(((await missingSql.json()) as { message: string }).message).toMatch(/sql/);

    const wrongArn = await post('/Execute', JSON.stringify({ ...local.target, resourceArn: 'arn:aws:rds:us-east-1:1:cluster:other', sql: 'SELECT 1' }));
    expect(wrongArn.headers.get('x-amzn-errortype')).toBe('BadRequestException');

    const twoStatements = await post('/Execute', JSON.stringify({ ...local.target, sql: 'SELECT 1; SELECT 2' }));
    expect(twoStatements.headers.get('x-amzn-errortype')).toBe('DatabaseErrorException');

    const health = await fetch(`${local.api.url}/_local/health`);
    expect(health.status).toBe(200);
    await expect(local.db.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
  });

  test('the endpoint counts calls per operation', async () => {
    local.api.resetStats();
    await local.db.query('SELECT 1');
    await local.db.transaction(async (tx) => tx.query('SELECT 2'));
    expect(local.api.stats()).toEqual({
      calls: { ExecuteStatement: 2, BeginTransaction: 1, CommitTransaction: 1 },
      total: 4,
    });
  });
});
