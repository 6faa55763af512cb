import { createPgliteBackend } from '@local/data-api';

/**
 * The embedded database runs on its own thread: a statement that takes a while must not stall the
 * main thread, which serves the gateway, the handlers and the Data API endpoint of the local stack.
 */
describe('embedded database thread', () => {
  test('the main thread keeps running while a statement executes; results and errors still arrive', async () => {
    const backend = await createPgliteBackend();
    try {
      // A timer due in 50 ms, while the database sleeps 600 ms.
      const started = performance.now();
      let timerAt = 0;
      const timer = new Promise<void>((resolve) =>
        setTimeout(() => {
          timerAt = performance.now() - started;
          resolve();
        }, 50),
      );
      const sleep = backend.query('SELECT pg_sleep(0.6), 42::text AS answer', []);
      await timer;
      const result = await sleep;
      const queryMs = performance.now() - started;

      expect(timerAt).toBeLessThan(300); // on the main thread, the timer would wait for the statement (≥ 600 ms)
      expect(queryMs).toBeGreaterThanOrEqual(590);
      expect(result.rows).toEqual([['', '42']]);
      await expect(backend.query('SELECT 1/0', [])).rejects.toMatchObject({ code: '22012', message: 'division by zero' });
    } finally {
      await backend.close();
    }
    await expect(backend.query('SELECT 1', [])).rejects.toThrow('embedded database thread exited');
    // Starting the embedded database (WASM) is the slow part, not what is measured: jest's default
    // 5 s ran out once while two test runs shared the machine.
  }, 30_000);

  test('statements are prepared once and re-read after DDL, a failed parse is not kept, the cache stays bounded', async () => {
    const backend = await createPgliteBackend();
    try {
      await backend.query('CREATE TABLE cached (a int)', []);
      await backend.query("INSERT INTO cached VALUES ($1)", ['1']);
      const select = 'SELECT * FROM cached';
      expect((await backend.query(select, [])).fields.map((f) => f.name)).toEqual(['a']);
      // The row type changes under the prepared statement: the next call sees the new column, not
      // PostgreSQL's "cached plan must not change result type".
      await backend.query('ALTER TABLE cached ADD COLUMN b text', []);
      expect((await backend.query(select, [])).fields.map((f) => f.name)).toEqual(['a', 'b']);
      // Also when the DDL comes through a transaction's session.
      const tx = await backend.begin();
      await tx.query('ALTER TABLE cached ADD COLUMN c text', []);
      await tx.finish(true);
      expect((await backend.query(select, [])).rows).toEqual([['1', null, null]]);

      // A statement that fails to parse fails the same way every time (nothing half-cached).
      for (let i = 0; i < 2; i++) await expect(backend.query('SELECT * FROM missing_table', [])).rejects.toMatchObject({ code: '42P01' });
      // Parameters are bound per call; an error on one call leaves the statement usable.
      const echo = 'SELECT CAST($1 AS int) + 1 AS n';
      expect((await backend.query(echo, ['41'])).rows).toEqual([['42']]);
      await expect(backend.query(echo, ['x'])).rejects.toMatchObject({ code: '22P02' });
      expect((await backend.query(echo, ['1'])).rows).toEqual([['2']]);

      // More distinct texts than the cache holds: the oldest are closed, every statement still runs.
      for (let i = 0; i < 300; i++) expect((await backend.query(`SELECT ${i} AS n`, [])).rows).toEqual([[String(i)]]);
      const open = await backend.query("SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'painel\\_%'", []);
      expect(Number(open.rows[0]![0])).toBeLessThanOrEqual(256);
      expect((await backend.query(echo, ['9'])).rows).toEqual([['10']]);
    } finally {
      await backend.close();
    }
  }, 30_000);
});
