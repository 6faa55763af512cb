import type { RDSDataClient } from '@aws-sdk/client-rds-data';
import { Db, mapDataApiError } from '@shared/db';
import { ConflictError, DatabaseError, ServiceUnavailableError, ValidationError } from '@shared/errors';

const target = { resourceArn: 'arn:cluster', secretArn: 'arn:secret', database: 'painel' };
const awsError = (name: string, message = name) => Object.assign(new Error(message), { name });

/** No local stand-in can make Aurora "resume", so this one case fakes the client. */
function fakeClient(results: Array<unknown | Error>) {
  const calls: unknown[] = [];
  const client = {
    send: jest.fn(async (command: { input: unknown }) => {
      calls.push(command.input);
      const next = results.shift();
      if (next instanceof Error) throw next;
      return next;
    }),
  };
  return { client: client as unknown as RDSDataClient, calls };
}

describe('Db retries', () => {
  const sleeps: number[] = [];
  const retry = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, sleep: async (ms: number) => void sleeps.push(ms) };
  beforeEach(() => (sleeps.length = 0));

  test('an auto-paused cluster that is resuming is retried with growing backoff', async () => {
    // GIVEN a cluster that answers "resuming" twice, then the rows
    const { client, calls } = fakeClient([awsError('DatabaseResumingException'), awsError('DatabaseResumingException'), { formattedRecords: '[{"n":1}]' }]);

    // WHEN a query runs
    const rows = await new Db(client, target, retry).query('SELECT 1 AS n');

    // THEN it succeeds on the third attempt, having waited twice, the second wait longer
    expect(rows).toEqual([{ n: 1 }]);
    expect(calls).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeLessThanOrEqual(100);
    expect(sleeps[1]).toBeGreaterThanOrEqual(100);
  });

  test('gives up after maxAttempts with a 503-style error', async () => {
    const { client, calls } = fakeClient(Array.from({ length: 5 }, () => awsError('DatabaseResumingException')));
    await expect(new Db(client, target, retry).query('SELECT 1')).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(calls).toHaveLength(4);
  });

  test('SQL errors are not retried', async () => {
    const { client, calls } = fakeClient([awsError('DatabaseErrorException', 'ERROR: boom; SQLState: 42P01')]);
    await expect(new Db(client, target, retry).query('SELECT * FROM missing')).rejects.toBeInstanceOf(DatabaseError);
    expect(calls).toHaveLength(1);
  });

  test('a transaction that throws is rolled back and the original error surfaces', async () => {
    const { client, calls } = fakeClient([{ transactionId: 'tx-1' }, awsError('DatabaseErrorException', 'ERROR: x; SQLState: 23505'), {}]);
    await expect(new Db(client, target, retry).transaction((tx) => tx.execute('INSERT 1'))).rejects.toBeInstanceOf(ConflictError);
    expect(calls[1]).toMatchObject({ transactionId: 'tx-1' });
    expect(calls[2]).toEqual({ resourceArn: 'arn:cluster', secretArn: 'arn:secret', transactionId: 'tx-1' });
  });
});

describe('mapDataApiError', () => {
  test.each([
    ['23505', ConflictError],
    ['23503', ConflictError],
    ['22P02', ValidationError],
    ['22007', ValidationError],
    ['42P01', DatabaseError],
  ])('SQLState %s → %p', (state, type) => {
    expect(mapDataApiError(awsError('DatabaseErrorException', `ERROR: something; SQLState: ${state}`))).toBeInstanceOf(type);
  });

  test('the caller-facing message never carries SQL or driver text', () => {
    const secretSql = 'ERROR: duplicate key value violates unique constraint "tenants_cnpj_key"\n  Detail: Key (cnpj)=(11222333000181) already exists.; SQLState: 23505';
    const mapped = mapDataApiError(awsError('DatabaseErrorException', secretSql));
    expect(mapped.message).not.toMatch(/cnpj|tenants|11222333000181|SQLState/);
    const internal = mapDataApiError(awsError('DatabaseErrorException', 'ERROR: relation "x" does not exist; SQLState: 42P01'));
    expect(internal.expose).toBe(false);
  });
});
