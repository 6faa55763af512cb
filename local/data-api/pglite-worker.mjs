// The embedded database on its own thread (see createPgliteBackend in backend.ts): PGlite runs
// PostgreSQL as WebAssembly, synchronously, so on the main thread every statement would stall the
// local gateway, the handlers and the Data API endpoint that share it. Plain JavaScript, so it
// loads the same under node, tsx and jest.
//
// Messages in: { id, op: 'query', text, values } | { id, op: 'exec', sql } | { id, op: 'close' }.
// Messages out: { id, result } | { id, error: { message, code, detail, hint, position } }.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

const db = await PGlite.create(workerData.dataDir ? { dataDir: workerData.dataDir } : {});
await db.exec("SET TimeZone = 'UTC'");
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

parentPort.on('message', async ({ id, op, text, values, sql }) => {
  try {
    if (op === 'query') {
      const r = await db.query(text, values, { rowMode: 'array', parsers, serializers });
      parentPort.postMessage({ id, result: { fields: r.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })), rows: r.rows, affectedRows: r.affectedRows ?? 0 } });
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
