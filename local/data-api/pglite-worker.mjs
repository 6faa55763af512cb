// The embedded database on its own thread (see createPgliteBackend in backend.ts): PGlite runs
// PostgreSQL as WebAssembly, synchronously, so on the main thread every statement would stall the
// local gateway, the handlers and the Data API endpoint that share it. Plain JavaScript, so it
// loads the same under node, tsx and jest.
//
// Messages in: { id, op: 'query', text, values, opening?, cancelled? } | { id, op: 'exec', sql } | { id, op: 'close' }.
//   With `opening` (e.g. "BEGIN; SET LOCAL ROLE x") the statement runs in its own transaction, which
//   is committed — or rolled back when `cancelled` (an Int32Array on a SharedArrayBuffer the caller
//   sets when the call timed out) says so: WebAssembly PostgreSQL cannot interrupt a running
//   statement (no statement_timeout here), so a timed-out statement is made to have no effect.
// Messages out: { id, result } | { id, error: { message, code, detail, hint, position } }.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

// pg_trgm: the tenant search's index (migration 0009), available on Aurora and PostgreSQL too.
const db = await PGlite.create({ ...(workerData.dataDir ? { dataDir: workerData.dataDir } : {}), extensions: { pg_trgm } });
await db.exec("SET TimeZone = 'UTC'");
// The Data API's call limit as the database's own statement timeout (backend.ts, BackendOptions).
await db.exec(`SET statement_timeout = ${Number(workerData.statementTimeoutMs) || 0}`);
// Raw text in and out: the Data API layer does the typing, as the service does.
const identity = (v) => v;
const parsers = Object.fromEntries(Object.keys(db.parsers).map((oid) => [oid, identity]));
const serializers = Object.fromEntries(Object.keys(db.serializers).map((oid) => [oid, identity]));

const errorFields = (error) => ({
  message: error?.message ?? String(error),
  code: error?.code,
  detail: error?.detail,
  hint: error?.hint,
  position: error?.position,
});

const resultOf = (r) => ({ fields: r.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })), rows: r.rows, affectedRows: r.affectedRows ?? 0 });

parentPort.on('message', async ({ id, op, text, values, sql, opening, cancelled }) => {
  try {
    if (op === 'query' && opening) {
      await db.exec(opening);
      let r;
      try {
        r = await db.query(text, values, { rowMode: 'array', parsers, serializers });
      } catch (error) {
        await db.exec('ROLLBACK').catch(() => undefined);
        throw error;
      }
      await db.exec(cancelled && Atomics.load(cancelled, 0) === 1 ? 'ROLLBACK' : 'COMMIT');
      parentPort.postMessage({ id, result: resultOf(r) });
    } else if (op === 'query') {
      const r = await db.query(text, values, { rowMode: 'array', parsers, serializers });
      parentPort.postMessage({ id, result: resultOf(r) });
    } else if (op === 'exec') {
      await db.exec(sql);
      parentPort.postMessage({ id, result: null });
    } else if (op === 'close') {
      await db.close();
      parentPort.postMessage({ id, result: null });
      parentPort.close();
    }
  } catch (error) {
    parentPort.postMessage({ id, error: errorFields(error) });
  }
});
parentPort.postMessage({ ready: true });
