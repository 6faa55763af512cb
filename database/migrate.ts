import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from '@shared/zod';
import { type Db, p } from '@shared/db';
import { splitStatements } from '@shared/db/sql-lexer';
import { READER_ROLE } from '@shared/function-access';

export const SCHEMA = 'alquimista_platform';
export const MIGRATIONS_DIR = join(__dirname, 'migrations');
const LEDGER = `${SCHEMA}.schema_migrations`;
const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export interface Migration {
  version: string;
  name: string;
  file: string;
  checksum: string;
  statements: string[];
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

/** An applied migration no longer matches what is on disk: history was rewritten. */
export class MigrationChecksumError extends Error {}

/** Reads `NNNN_verb_noun.sql` files in version order; anything else in the folder is an error. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const seen = new Set<string>();
  return files.map((file) => {
    const match = FILE_NAME.exec(file);
    if (!match) throw new Error(`migration file name must look like 0001_verb_noun.sql: ${file}`);
    const version = match[1]!;
    if (seen.has(version)) throw new Error(`two migrations share version ${version}`);
    seen.add(version);
    // Line endings are normalised so a checkout with CRLF does not look like a changed file.
    const text = readFileSync(join(dir, file), 'utf8').replace(/\r\n/g, '\n');
    return {
      version,
      name: match[2]!,
      file,
      checksum: createHash('sha256').update(text).digest('hex'),
      statements: splitStatements(text),
    };
  });
}

const LedgerRowSchema = z.object({ version: z.string(), checksum: z.string(), name: z.string() });

/**
 * Applies pending migrations in order through the Data API, each file in one transaction together
 * with its ledger row, under an advisory lock so two runners (a retried deploy) never interleave.
 * Refuses to run when an applied file's checksum changed or an applied file disappeared.
 */
export async function migrate(db: Db, migrations: Migration[] = loadMigrations(), log: (line: string) => void = () => {}): Promise<MigrationReport> {
  await db.execute(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
  await db.execute(
    `CREATE TABLE IF NOT EXISTS ${LEDGER} (
       version text PRIMARY KEY,
       name text NOT NULL,
       checksum text NOT NULL,
       applied_at timestamptz NOT NULL DEFAULT now(),
       duration_ms integer NOT NULL
     )`,
  );
  const applied = new Map((await db.query(`SELECT version, name, checksum FROM ${LEDGER}`, undefined, { schema: LedgerRowSchema })).map((r) => [r.version, r]));
  verifyHistory(applied, migrations);

  const report: MigrationReport = { applied: [], alreadyApplied: [] };
  for (const migration of migrations) {
    if (applied.has(migration.version)) {
      report.alreadyApplied.push(migration.file);
      continue;
    }
    const started = Date.now();
    const ran = await db.transaction(async (tx) => {
      // Selected through FROM: pg_advisory_xact_lock returns void, a type the Data API refuses to return.
      await tx.execute(`SELECT true AS locked FROM pg_advisory_xact_lock(hashtext('${LEDGER}'))`);
      const row = await tx.one(`SELECT version, name, checksum FROM ${LEDGER} WHERE version = :version`, { version: p.text(migration.version) }, { schema: LedgerRowSchema });
      if (row) {
        verifyHistory(new Map([[row.version, row]]), migrations);
        return false; // another runner applied it while we waited for the lock
      }
      for (const statement of migration.statements) await tx.execute(statement);
      await tx.execute(`INSERT INTO ${LEDGER} (version, name, checksum, duration_ms) VALUES (:version, :name, :checksum, :duration)`, {
        version: p.text(migration.version),
        name: p.text(migration.name),
        checksum: p.text(migration.checksum),
        duration: p.int(Date.now() - started),
      });
      return true;
    });
    if (ran) {
      report.applied.push(migration.file);
      log(`applied ${migration.file} (${migration.statements.length} statements, ${Date.now() - started} ms)`);
    } else {
      report.alreadyApplied.push(migration.file);
    }
  }
  return report;
}

function verifyHistory(applied: Map<string, z.infer<typeof LedgerRowSchema>>, migrations: Migration[]): void {
  const byVersion = new Map(migrations.map((m) => [m.version, m]));
  for (const row of applied.values()) {
    const file = byVersion.get(row.version);
    if (!file) throw new MigrationChecksumError(`migration ${row.version}_${row.name} is applied but its file is missing`);
    if (file.checksum !== row.checksum) {
      throw new MigrationChecksumError(`migration ${file.file} was changed after it was applied (checksum ${row.checksum.slice(0, 12)}… → ${file.checksum.slice(0, 12)}…); add a new migration instead`);
    }
  }
}

/**
 * Lets the read-only role (READER_ROLE, created by migration 0008) log in with `password`, the
 * value of its own secret: run by the migrations custom resource on every deploy, so the role and
 * its secret always agree. The password travels as a bound parameter into a transaction-local
 * setting and from there into ALTER ROLE, so it never appears in a statement's text (which
 * PostgreSQL may log).
 * @throws the Data API's error when the role does not exist (migrations not applied) or the caller
 *   may not alter roles.
 */
export async function setReaderPassword(db: Db, password: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(`SELECT set_config('painel.reader_password', :password, true) IS NOT NULL AS applied`, { password: p.text(password) });
    await tx.execute(
      `DO $$ BEGIN EXECUTE format('ALTER ROLE ${READER_ROLE} WITH LOGIN PASSWORD %L', current_setting('painel.reader_password')); END $$`,
    );
  });
}
