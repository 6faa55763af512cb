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
import { PGlite, parse, protocol } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

// pg_trgm: the tenant search's index (migration 0009), available on Aurora and PostgreSQL too.
const db = await PGlite.create({ ...(workerData.dataDir ? { dataDir: workerData.dataDir } : {}), extensions: { pg_trgm } });
await db.exec("SET TimeZone = 'UTC'");
// The Data API's call limit as the database's own statement timeout (backend.ts, BackendOptions).
await db.exec(`SET statement_timeout = ${Number(workerData.statementTimeoutMs) || 0}`);
// Raw text in and out: the Data API layer does the typing, as the service does.
const identity = (v) => v;
const parsers = Object.fromEntries(Object.keys(db.parsers).map((oid) => [oid, identity]));

const errorFields = (error) => ({
  message: error?.message ?? String(error),
  code: error?.code,
  detail: error?.detail,
  hint: error?.hint,
  position: error?.position,
});

// Prepared statements, by SQL text. Parsing, analysing and planning a statement in WebAssembly
// PostgreSQL costs as much as running it (~1 ms for the tenant list's statement): the handlers send
// the same few texts over and over, so each is parsed once into a named statement and then only
// bound and executed. PostgreSQL re-plans a named statement itself when a table it reads changes;
// DDL through here still drops every cached statement, so a changed row type can never surface as
// "cached plan must not change result type". What the Data API returns is unchanged: this is only
// the stand-in's speed (the service parses every call; nothing observable depends on that).
const MAX_STATEMENTS = 256;
const DDL = /^\s*(CREATE|ALTER|DROP|TRUNCATE|COMMENT|GRANT|REVOKE|DO|REINDEX|CLUSTER|SECURITY\s+LABEL|IMPORT)\b/i;
const statements = new Map(); // text → statement name, least recently used first
let nextStatement = 0;
const { serialize } = protocol;
const send = (message) => db.execProtocolStream(message, { syncToFs: false });

async function forgetStatements() {
  if (statements.size === 0) return;
  statements.clear();
  await db.exec('DEALLOCATE ALL');
}

/** One statement with text parameters, as db.query(…, { rowMode: 'array' }) but through a cached named statement. */
async function prepared(text, values) {
  let name = statements.get(text);
  const messages = [];
  try {
    if (name === undefined) {
      name = `painel_${nextStatement++}`;
      await send(serialize.parse({ name, text, types: [] }));
      statements.set(text, name);
      if (statements.size > MAX_STATEMENTS) {
        const [oldestText, oldest] = statements.entries().next().value;
        statements.delete(oldestText);
        await send(serialize.close({ type: 'S', name: oldest }));
      }
    } else {
      statements.delete(text);
      statements.set(text, name);
    }
    messages.push(...(await send(serialize.bind({ statement: name, values }))));
    messages.push(...(await send(serialize.describe({ type: 'P' }))));
    messages.push(...(await send(serialize.execute({}))));
  } finally {
    messages.push(...(await send(serialize.sync())));
  }
  if (DDL.test(text)) await forgetStatements();
  return parse.parseResults(messages, parsers, { rowMode: 'array', parsers })[0];
}

const resultOf = (r) => ({ fields: r.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })), rows: r.rows, affectedRows: r.affectedRows ?? 0 });

parentPort.on('message', async ({ id, op, text, values, sql, opening, cancelled }) => {
  try {
    if (op === 'query' && opening) {
      await db.exec(opening);
      let r;
      try {
        r = await prepared(text, values);
      } catch (error) {
        await db.exec('ROLLBACK').catch(() => undefined);
        throw error;
      }
      await db.exec(cancelled && Atomics.load(cancelled, 0) === 1 ? 'ROLLBACK' : 'COMMIT');
      parentPort.postMessage({ id, result: resultOf(r) });
    } else if (op === 'query') {
      const r = await prepared(text, values);
      parentPort.postMessage({ id, result: resultOf(r) });
    } else if (op === 'exec') {
      await db.exec(sql);
      if (DDL.test(sql)) await forgetStatements();
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
