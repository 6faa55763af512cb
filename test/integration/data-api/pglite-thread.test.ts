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
});
