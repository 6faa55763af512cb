import { PGlite } from '@electric-sql/pglite';
import { Pool, type PoolClient } from 'pg';
import { Mutex } from '../http';
import type { RawResult } from './format';

/** A connection inside an open transaction. */
export interface TxSession {
  query(text: string, values: Array<string | null>): Promise<RawResult>;
  finish(commit: boolean): Promise<void>;
}

/** The database behind the local Data API: embedded PGlite, or a PostgreSQL server by URL. */
export interface Backend {
  readonly kind: 'pglite' | 'postgres';
  query(text: string, values: Array<string | null>): Promise<RawResult>;
  begin(): Promise<TxSession>;
  close(): Promise<void>;
}


export async function createPgliteBackend(dataDir?: string): Promise<Backend> {
  const db = await PGlite.create(dataDir ? { dataDir } : {});
  await db.exec("SET TimeZone = 'UTC'");
  // Raw text in and out: the Data API layer does the typing, as the service does.
  const identity = (v: unknown) => v;
  const parsers = Object.fromEntries(Object.keys(db.parsers).map((oid) => [oid, identity]));
  const serializers = Object.fromEntries(Object.keys(db.serializers).map((oid) => [oid, (v: unknown) => v as string]));
  const lock = new Mutex();

  const run = async (text: string, values: Array<string | null>): Promise<RawResult> => {
    const r = await db.query<unknown[]>(text, values, { rowMode: 'array', parsers, serializers });
    return { fields: r.fields, rows: r.rows as Array<Array<string | null>>, affectedRows: r.affectedRows ?? 0 };
  };

  return {
    kind: 'pglite',
    async query(text, values) {
      const release = await lock.acquire();
      try {
        return await run(text, values);
      } finally {
        release();
      }
    },
    async begin() {
      const release = await lock.acquire();
      try {
        await db.exec('BEGIN');
      } catch (error) {
        release();
        throw error;
      }
      return {
        query: run,
        async finish(commit) {
          try {
            await db.exec(commit ? 'COMMIT' : 'ROLLBACK');
          } finally {
            release();
          }
        },
      };
    },
    async close() {
      const release = await lock.acquire();
      try {
        await db.close();
      } finally {
        release();
      }
    },
  };
}

export async function createPostgresBackend(url: string): Promise<Backend> {
  const pool = new Pool({ connectionString: url, max: 10, options: '-c TimeZone=UTC' });
  pool.on('error', () => undefined); // an idle client dropped by the server must not crash the endpoint
  const raw = { getTypeParser: () => (v: string) => v };
  const run = async (client: Pool | PoolClient, text: string, values: Array<string | null>): Promise<RawResult> => {
    // Extended protocol always, as PGlite and the Data API: one statement per call.
    const r = await client.query({ text, values, rowMode: 'array', types: raw, queryMode: 'extended' } as never);
    const result = r as unknown as { fields: Array<{ name: string; dataTypeID: number }>; rows: Array<Array<string | null>>; rowCount: number | null };
    return { fields: result.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })), rows: result.rows, affectedRows: result.rowCount ?? 0 };
  };
  await pool.query('SELECT 1');
  return {
    kind: 'postgres',
    query: (text, values) => run(pool, text, values),
    async begin() {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
      } catch (error) {
        client.release(true);
        throw error;
      }
      return {
        query: (text, values) => run(client, text, values),
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
}
