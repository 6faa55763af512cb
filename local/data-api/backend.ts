import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Pool, type PoolClient } from 'pg';
import { Mutex } from '../http';
import type { RawResult } from './format';

/** How one statement runs. */
export interface StatementOptions {
  /** The database role to run as (the Data API's secret decides it); absent: the connection's user. */
  role?: string;
  /** Without the statement timeout (the call's continueAfterTimeout): it runs to its end. */
  unbounded?: boolean;
  /** Aborted when the call timed out: the statement must then have no effect (it is cancelled). */
  signal?: AbortSignal;
}

/** Statements PostgreSQL refuses inside a transaction block: they run as they are, never guarded. */
const OUTSIDE_TRANSACTIONS = /^\s*(VACUUM|CLUSTER|CHECKPOINT|REINDEX\b[\s\S]*\bCONCURRENTLY|CREATE\s+(UNIQUE\s+)?INDEX\s+CONCURRENTLY|DROP\s+INDEX\s+CONCURRENTLY|(CREATE|DROP)\s+(DATABASE|TABLESPACE)|ALTER\s+SYSTEM)\b/i;

/** A connection inside an open transaction. */
export interface TxSession {
  query(text: string, values: Array<string | null>, options?: Pick<StatementOptions, 'unbounded'>): Promise<RawResult>;
  finish(commit: boolean): Promise<void>;
}

/** The backend's settings. */
export interface BackendOptions {
  /**
   * PostgreSQL's statement_timeout for every statement, ms: the Data API's 45 s call limit, so a
   * statement past it is cancelled by the database itself (as the service cancels it when the
   * call has no continueAfterTimeout). 0 disables it.
   */
  statementTimeoutMs?: number;
}

const UNBOUNDED = 'SET LOCAL statement_timeout = 0';

/**
 * The database behind the local Data API: embedded PGlite, or a PostgreSQL server by URL. `role`
 * names the database role a statement or transaction runs as (the Data API's secret decides it);
 * absent, it runs as the backend's own connection user (the cluster owner's secret).
 */
export interface Backend {
  readonly kind: 'pglite' | 'postgres';
  query(text: string, values: Array<string | null>, options?: StatementOptions): Promise<RawResult>;
  begin(role?: string): Promise<TxSession>;
  close(): Promise<void>;
}

/** The statements that open a one-statement transaction for `options` (undefined: a plain BEGIN does). */
function prelude(options: StatementOptions | undefined): string | undefined {
  if (!options?.role && !options?.unbounded) return undefined;
  return ['BEGIN', ...(options.role ? [setLocalRole(options.role)] : []), ...(options.unbounded ? [UNBOUNDED] : [])].join('; ');
}

/** `SET LOCAL ROLE` for a role name (validated: it is spliced into the statement). */
export function setLocalRole(role: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(role)) throw new Error(`invalid role name ${JSON.stringify(role)}`);
  return `SET LOCAL ROLE ${role}`;
}


/**
 * Embedded PostgreSQL (PGlite) on a worker thread (pglite-worker.mjs). PGlite executes SQL as
 * WebAssembly, synchronously: on the main thread each statement would stall everything else the
 * local stack runs there (gateway, handlers, this endpoint's own HTTP and JSON work), so under
 * load requests queued behind both. On its own thread, statements run while the main thread
 * serves other requests. It is still one connection: the mutex keeps one caller (a statement or
 * a whole transaction) at a time, as before.
 */
export async function createPgliteBackend(dataDir?: string, settings: BackendOptions = {}): Promise<Backend> {
  const worker = new Worker(join(__dirname, 'pglite-worker.mjs'), { workerData: { dataDir, statementTimeoutMs: settings.statementTimeoutMs ?? 0 } });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  let nextId = 0;
  let failure: Error | undefined;
  const failAll = (error: Error) => {
    failure = error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', () => {
      worker.off('error', reject);
      resolve();
    });
  });
  worker.on('message', (message: { id: number; result?: unknown; error?: Record<string, unknown> }) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (pending.size === 0) worker.unref();
    // A plain object with the PostgreSQL error's fields (code, detail, …), as fromPgError reads them.
    if (message.error) waiter.reject(Object.assign(new Error(String(message.error.message)), message.error));
    else waiter.resolve(message.result);
  });
  // An open, idle database must not by itself keep the process alive; one with a statement
  // under way must (a script awaiting only that statement would otherwise just exit).
  worker.unref();
  worker.on('error', failAll);
  worker.on('exit', () => failAll(new Error('the embedded database thread exited')));
  const call = <T>(message: Record<string, unknown>): Promise<T> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    if (pending.size === 0) worker.ref();
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, ...message });
    });
  };
  const run = (text: string, values: Array<string | null>) => call<RawResult>({ op: 'query', text, values });
  const exec = (sql: string) => call<null>({ op: 'exec', sql });
  const lock = new Mutex();

  return {
    kind: 'pglite',
    async query(text, values, options) {
      const release = await lock.acquire();
      try {
        if (OUTSIDE_TRANSACTIONS.test(text) && !options?.role) return await run(text, values);
        // Its own transaction, in one message: as another role, without the timeout, and — since
        // WebAssembly PostgreSQL cannot interrupt a statement — rolled back if the call timed out.
        const cancelled = new Int32Array(new SharedArrayBuffer(4));
        options?.signal?.addEventListener('abort', () => Atomics.store(cancelled, 0, 1), { once: true });
        return await call<RawResult>({ op: 'query', text, values, opening: prelude(options) ?? 'BEGIN', cancelled });
      } finally {
        release();
      }
    },
    async begin(role) {
      const release = await lock.acquire();
      try {
        await exec(role ? `BEGIN; ${setLocalRole(role)}` : 'BEGIN');
      } catch (error) {
        await exec('ROLLBACK').catch(() => undefined);
        release();
        throw error;
      }
      return {
        async query(text, values, options) {
          if (options?.unbounded) await exec(UNBOUNDED);
          return run(text, values);
        },
        async finish(commit) {
          try {
            await exec(commit ? 'COMMIT' : 'ROLLBACK');
          } finally {
            release();
          }
        },
      };
    },
    async close() {
      const release = await lock.acquire();
      try {
        if (!failure) await call({ op: 'close' });
        await worker.terminate();
        failure ??= new Error('the embedded database thread exited');
      } finally {
        release();
      }
    },
  };
}

export async function createPostgresBackend(url: string, settings: BackendOptions = {}): Promise<Backend> {
  const pool = new Pool({ connectionString: url, max: 10, options: `-c TimeZone=UTC -c statement_timeout=${settings.statementTimeoutMs ?? 0}` });
  pool.on('error', () => undefined); // an idle client dropped by the server must not crash the endpoint
  const raw = { getTypeParser: () => (v: string) => v };
  const run = async (client: Pool | PoolClient, text: string, values: Array<string | null>): Promise<RawResult> => {
    // Extended protocol always, as PGlite and the Data API: one statement per call.
    const r = await client.query({ text, values, rowMode: 'array', types: raw, queryMode: 'extended' } as never);
    const result = r as unknown as { fields: Array<{ name: string; dataTypeID: number }>; rows: Array<Array<string | null>>; rowCount: number | null };
    return { fields: result.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })), rows: result.rows, affectedRows: result.rowCount ?? 0 };
  };
  await pool.query('SELECT 1');
  const backend: Backend = {
    kind: 'postgres',
    async query(text, values, options) {
      if (!options?.role && !options?.unbounded) return run(pool, text, values);
      const session = await backend.begin(options.role);
      try {
        const result = await session.query(text, values, options);
        await session.finish(true);
        return result;
      } catch (error) {
        await session.finish(false).catch(() => undefined);
        throw error;
      }
    },
    async begin(role) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        if (role) await client.query(setLocalRole(role));
      } catch (error) {
        client.release(true);
        throw error;
      }
      return {
        async query(text, values, options) {
          if (options?.unbounded) await client.query(UNBOUNDED);
          return run(client, text, values);
        },
        async finish(commit) {
          try {
            await client.query(commit ? 'COMMIT' : 'ROLLBACK');
            client.release();
          } catch (error) {
            client.release(true);
            throw error;
          }
        },
      };
    },
    close: () => pool.end(),
  };
  return backend;
}
