import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { p } from '@shared/db';
import { ConflictError } from '@shared/errors';
import { loadMigrations, migrate, MigrationChecksumError, MIGRATIONS_DIR } from '@database/migrate';
import type { LocalDatabase } from '@local/data-api';
import { BACKENDS, startTestDatabase } from '../../support/local-db';

describe.each(BACKENDS)('migrations on %s', (kind) => {
  let local: LocalDatabase;
  beforeAll(async () => {
    local = await startTestDatabase(kind);
  }, 60_000);
  afterAll(async () => local?.stop());

  test('apply to an empty database, and a second run is a no-op', async () => {
    const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql'));

    const first = await migrate(local.db);
    const second = await migrate(local.db);

    expect(first.applied).toEqual(files.sort());
    expect(second).toEqual({ applied: [], alreadyApplied: files.sort() });
    const ledger = await local.db.query<{ version: string }>('SELECT version FROM alquimista_platform.schema_migrations ORDER BY version');
    expect(ledger.map((r) => r.version)).toEqual(files.map((f) => f.slice(0, 4)));
  });

  test('the schema has the contract tables', async () => {
    const rows = await local.db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'alquimista_platform' ORDER BY table_name",
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        'agent_requests', 'agents', 'operational_events', 'plans', 'schema_migrations', 'tenant_agents',
        'tenant_integrations', 'tenant_status_history', 'tenant_usage_daily', 'tenant_users', 'tenants',
      ]),
    );
  });

  test('daily usage treats a NULL agent as one key: a second row for the same day conflicts', async () => {
    const tenant = '7d1b2c3a-0000-4000-8000-000000000001';
    await local.db.execute(
      `INSERT INTO alquimista_platform.tenants (id, name, cnpj, segment, plan, status, mrr_estimate)
       VALUES (:id, 'Empresa Teste', '11222333000181', 'varejo', 'starter', 'active', 0)`,
      { id: p.uuid(tenant) },
    );
    const insert = () =>
      local.db.execute(
        `INSERT INTO alquimista_platform.tenant_usage_daily (tenant_id, agent_id, date, total_requests, successful_requests, failed_requests)
         VALUES (:tenant, NULL, :day, 1, 1, 0)`,
        { tenant: p.uuid(tenant), day: p.date('2024-01-01') },
      );
    await insert();
    await expect(insert()).rejects.toBeInstanceOf(ConflictError);
  });

  test('enum-like columns are checked', async () => {
    await expect(
      local.db.execute(
        `INSERT INTO alquimista_platform.tenants (name, cnpj, segment, plan, status, mrr_estimate)
         VALUES ('X', '11444777000161', 'varejo', 'starter', 'bogus', 0)`,
      ),
    ).rejects.toThrow();
  });
});

describe.each(BACKENDS)('migration history on %s', (kind) => {
  let local: LocalDatabase;
  let dir: string;
  beforeAll(async () => {
    local = await startTestDatabase(kind);
    dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    writeFileSync(join(dir, '0001_create_things.sql'), 'CREATE SCHEMA IF NOT EXISTS alquimista_platform;\nCREATE TABLE alquimista_platform.things (id int);\n');
  }, 60_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await local?.stop();
  });

  test('a changed applied migration is refused, and nothing new is applied', async () => {
    // GIVEN 0001 is applied
    await migrate(local.db, loadMigrations(dir));

    // WHEN 0001 is edited and a new 0002 is added
    appendFileSync(join(dir, '0001_create_things.sql'), 'ALTER TABLE alquimista_platform.things ADD COLUMN sneaky int;\n');
    writeFileSync(join(dir, '0002_create_more.sql'), 'CREATE TABLE alquimista_platform.more (id int);\n');

    // THEN the runner refuses, naming the file, and 0002 is not applied
    await expect(migrate(local.db, loadMigrations(dir))).rejects.toThrow(MigrationChecksumError);
    await expect(migrate(local.db, loadMigrations(dir))).rejects.toThrow(/0001_create_things\.sql was changed/);
    const more = await local.db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'more'");
    expect(more).toEqual([]);
  });

  test('a failing migration leaves nothing behind: its statements and ledger row roll back together', async () => {
    const other = mkdtempSync(join(tmpdir(), 'migrations-'));
    cpSync(dir, other, { recursive: true });
    rmSync(join(other, '0002_create_more.sql'));
    writeFileSync(join(other, '0001_create_things.sql'), 'CREATE SCHEMA IF NOT EXISTS alquimista_platform;\nCREATE TABLE alquimista_platform.things (id int);\n');
    writeFileSync(join(other, '0002_break_things.sql'), 'CREATE TABLE alquimista_platform.half (id int);\nSELECT * FROM no_such_table;\n');

    await expect(migrate(local.db, loadMigrations(other))).rejects.toThrow();

    const half = await local.db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half'");
    const ledger = await local.db.query("SELECT 1 FROM alquimista_platform.schema_migrations WHERE version = '0002'");
    expect(half).toEqual([]);
    expect(ledger).toEqual([]);
    rmSync(other, { recursive: true, force: true });
  });
});
