import { type Db, p } from '@shared/db';
import { PLAN_CODES, type PlanCode } from './catalog';
import { DEMO_USERS, type DemoUser } from './demo-users';
import { generateDemoData, utcDayStart, type DemoDataSet, type SeedPlan } from './generate';
import { tenantIdFor } from './ids';
import { aggregateDay, refreshAgentCounters, refreshTenantCounters } from '@lambda/aggregation/aggregation-repository';
import { insertRequestsForDay, trafficPlan } from './requests';

export { DEMO_PASSWORD, DEMO_USERS, type DemoUser } from './demo-users';
export { formatCnpj, isValidCnpj, makeCnpj } from './cnpj';
export { generateDemoData, type DemoDataSet, type SeedPlan } from './generate';
export { tenantIdFor } from './ids';

export interface SeedOptions {
  /** Number of tenants (default 50; the first two carry the demo tenant logins). */
  tenants?: number;
  /** Average agent requests per day over the window (default 2,222: ~200k over 90 days). */
  requestsPerDay?: number;
  /** Days of request history (default 90). */
  days?: number;
  /** PRNG seed: the same options give the same data, ids included (default 42). */
  seed?: number;
  /** Data ends at the start of this instant's UTC day, i.e. the day before is the last one (default: now). */
  now?: Date;
  /** Empty the data tables first (plans, the migration's reference data, are kept). */
  reset?: boolean;
  /** Progress lines, for a CLI. */
  onProgress?: (message: string) => void;
}

export type ResolvedSeedOptions = Required<Omit<SeedOptions, 'onProgress'>>;

export const SEED_TABLES = [
  'plans',
  'agents',
  'tenants',
  'tenant_status_history',
  'tenant_users',
  'tenant_agents',
  'tenant_integrations',
  'operational_events',
  'agent_requests',
  'tenant_usage_daily',
] as const;
export type SeedTable = (typeof SEED_TABLES)[number];

/** A demo login with the id of its tenant in this data set. */
export interface SeededDemoUser extends DemoUser {
  tenantId: string | null;
}

export interface SeedReport {
  options: ResolvedSeedOptions;
  /** Rows in each table after seeding. */
  counts: Record<SeedTable, number>;
  /** The UTC days of request history, inclusive. */
  window: { from: string; to: string };
  demoUsers: SeededDemoUser[];
  elapsedMs: number;
}

export const SEED_DEFAULTS = { tenants: 50, requestsPerDay: 2_222, days: 90, seed: 42 } as const;

const LIMITS = {
  tenants: [2, 100_000],
  requestsPerDay: [0, 5_000_000],
  days: [1, 3_650],
  seed: [0, 2_147_483_647],
} as const;

/** Fills in the defaults and rejects values the generator cannot honour. */
export function resolveSeedOptions(options: SeedOptions = {}): ResolvedSeedOptions {
  const resolved: ResolvedSeedOptions = {
    tenants: options.tenants ?? SEED_DEFAULTS.tenants,
    requestsPerDay: options.requestsPerDay ?? SEED_DEFAULTS.requestsPerDay,
    days: options.days ?? SEED_DEFAULTS.days,
    seed: options.seed ?? SEED_DEFAULTS.seed,
    now: options.now ?? new Date(),
    reset: options.reset ?? false,
  };
  for (const [name, [min, max]] of Object.entries(LIMITS) as Array<[keyof typeof LIMITS, readonly [number, number]]>) {
    const value = resolved[name];
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new RangeError(`seed option ${name} must be an integer between ${min} and ${max}, got ${value}`);
    }
  }
  if (Number.isNaN(resolved.now.getTime())) throw new RangeError('seed option now is not a valid date');
  return resolved;
}

/** The demo logins with their tenant ids in the data set generated from `seed`. */
export function seededDemoUsers(seed: number): SeededDemoUser[] {
  return DEMO_USERS.map((user) => ({ ...user, tenantId: user.tenantIndex === null ? null : tenantIdFor(seed, user.tenantIndex) }));
}

/**
 * Fills an empty, migrated alquimista_platform schema with a deterministic demo data set: the
 * catalog, tenants with their history, users, agents, integrations and events (generated in JS,
 * sent as JSON chunks), then `days` days of agent requests generated in SQL and aggregated into
 * tenant_usage_daily. Refuses a non-empty database unless `reset`.
 *
 * Transactions: the JS-generated rows commit together; then each day (requests + its usage
 * rows) commits on its own, so no transaction outlives the Data API's limits. A run that fails
 * part-way leaves whole days behind; run again with `reset`.
 */
export async function seedDemoData(db: Db, options: SeedOptions = {}): Promise<SeedReport> {
  const started = Date.now();
  const opts = resolveSeedOptions(options);
  const progress = options.onProgress ?? (() => undefined);

  const plans = await readPlans(db);
  if (!opts.reset) await assertEmpty(db);

  const data = generateDemoData(plans, opts);
  progress(`generated ${data.tenants.length} tenants, ${data.users.length} users, ${data.tenantAgents.length} tenant agents`);

  await db.transaction(async (tx) => {
    if (opts.reset) await truncateDataTables(tx);
    await insertDataSet(tx, data);
  });
  progress('tenants, users, agents, integrations and events written');

  const days = trafficPlan(utcDayStart(opts.now), opts.days, opts.requestsPerDay);
  const salts = { seed: opts.seed, troubledTenantIds: data.troubledTenantIds };
  for (const [i, day] of days.entries()) {
    const inserted = await db.transaction(async (tx) => {
      const rows = await insertRequestsForDay(tx, day, salts);
      // The nightly job's own statement: usage rows and the agents' last_request_at.
      await aggregateDay(tx, day.day);
      return rows;
    });
    if (i % 10 === 9 || i === days.length - 1) progress(`requests: day ${i + 1}/${days.length} (${day.day}: ${inserted} rows)`);
  }
  if (days.length > 0) {
    await refreshAgentCounters(db, days[days.length - 1]!.day);
    await refreshTenantCounters(db, days[days.length - 1]!.day);
  }
  // What autovacuum does after a bulk load, which PGlite does not have: fresh planner statistics
  // (without them the tenant list sorted all 10,000 tenants per page, ~70 ms instead of ~7 ms)
  // and a visibility map, so index-only scans skip the heap (the tenant list's page offsets).
  // The raw request log is only analyzed: it is read by the nightly job's bitmap scans, which a
  // visibility map does not help, and it is most of the data.
  for (const table of SEED_TABLES) await db.execute(`${table === 'agent_requests' ? 'ANALYZE' : 'VACUUM ANALYZE'} alquimista_platform.${table}`);

  return {
    options: opts,
    counts: await countRows(db),
    window: { from: days[0]!.day, to: days[days.length - 1]!.day },
    demoUsers: seededDemoUsers(opts.seed),
    elapsedMs: Date.now() - started,
  };
}

interface PlanRecord {
  code: string;
  max_agents: number | string;
  max_users: number | string;
  max_requests_per_month: number | string;
  price_monthly: number | string;
}

async function readPlans(db: Db): Promise<SeedPlan[]> {
  const rows = await db.query<PlanRecord>(
    'SELECT code, max_agents, max_users, max_requests_per_month, price_monthly FROM alquimista_platform.plans ORDER BY code',
  );
  // The Data API returns numeric (and, in some paths, bigint) as strings.
  return rows
    .filter((row): row is PlanRecord & { code: PlanCode } => (PLAN_CODES as readonly string[]).includes(row.code))
    .map((row) => ({
      code: row.code,
      maxAgents: Number(row.max_agents),
      maxUsers: Number(row.max_users),
      maxRequestsPerMonth: Number(row.max_requests_per_month),
      priceMonthly: Number(row.price_monthly),
    }));
}

async function assertEmpty(db: Db): Promise<void> {
  const [row] = await db.query<{ tenants: number; agents: number; requests: number }>(
    `SELECT (SELECT count(*) FROM alquimista_platform.tenants)::int AS tenants,
            (SELECT count(*) FROM alquimista_platform.agents)::int AS agents,
            (SELECT count(*) FROM (SELECT 1 FROM alquimista_platform.agent_requests LIMIT 1) r)::int AS requests`,
  );
  if (row && (row.tenants > 0 || row.agents > 0 || row.requests > 0)) {
    throw new Error(
      `the database already has data (${row.tenants} tenants, ${row.agents} agents${row.requests > 0 ? ', agent requests' : ''}); ` +
        'seed with reset (--reset) to replace it',
    );
  }
}

async function truncateDataTables(db: Db): Promise<void> {
  // RESTART IDENTITY: agent_requests ids start at 1 again, so a reseed gives the same ids.
  await db.execute(
    `TRUNCATE alquimista_platform.agent_requests, alquimista_platform.agent_request_retries, alquimista_platform.tenant_usage_daily,
              alquimista_platform.operational_events, alquimista_platform.tenant_integrations,
              alquimista_platform.tenant_agents, alquimista_platform.tenant_users,
              alquimista_platform.tenant_status_history, alquimista_platform.tenant_usage_last_30_days, alquimista_platform.tenants,
              alquimista_platform.agents
     RESTART IDENTITY`,
  );
}

/** Column name → the type json_to_recordset reads it as. Table and column names are constants. */
type Columns = ReadonlyArray<readonly [string, string]>;

const COLUMNS = {
  agents: [['id', 'uuid'], ['name', 'text'], ['segment', 'text'], ['description', 'text'], ['status', 'text'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz']],
  tenants: [
    ['id', 'uuid'], ['name', 'text'], ['cnpj', 'text'], ['segment', 'text'], ['plan', 'text'], ['status', 'text'],
    ['mrr_estimate', 'numeric'], ['activated_at', 'timestamptz'], ['churned_at', 'timestamptz'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
  ],
  tenant_status_history: [['id', 'uuid'], ['tenant_id', 'uuid'], ['status', 'text'], ['plan', 'text'], ['mrr_estimate', 'numeric'], ['changed_at', 'timestamptz']],
  tenant_users: [
    ['id', 'uuid'], ['tenant_id', 'uuid'], ['cognito_sub', 'text'], ['email', 'text'], ['full_name', 'text'], ['role', 'text'],
    ['last_login_at', 'timestamptz'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
  ],
  tenant_agents: [
    ['id', 'uuid'], ['tenant_id', 'uuid'], ['agent_id', 'uuid'], ['status', 'text'], ['config', 'jsonb'],
    ['activated_at', 'timestamptz'], ['deactivated_at', 'timestamptz'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
  ],
  tenant_integrations: [
    ['id', 'uuid'], ['tenant_id', 'uuid'], ['integration_type', 'text'], ['integration_name', 'text'], ['status', 'text'],
    ['credentials_secret_arn', 'text'], ['config', 'jsonb'], ['last_sync_at', 'timestamptz'], ['last_error', 'text'],
    ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
  ],
  operational_events: [
    ['id', 'uuid'], ['event_type', 'text'], ['severity', 'text'], ['tenant_id', 'uuid'], ['user_sub', 'text'], ['title', 'text'],
    ['description', 'text'], ['metadata', 'jsonb'], ['created_at', 'timestamptz'], ['resolved_at', 'timestamptz'],
  ],
} as const satisfies Record<string, Columns>;

/** Rows per statement, and a cap on the JSON parameter (the Data API takes well under 1 MB per call). */
const MAX_ROWS_PER_CHUNK = 1_000;
const MAX_JSON_BYTES = 512 * 1024;

/** Inserts rows in chunks, each one INSERT … SELECT FROM json_to_recordset(:rows). */
async function insertRows(db: Db, table: keyof typeof COLUMNS, rows: readonly object[]): Promise<void> {
  const columns: Columns = COLUMNS[table];
  const names = columns.map(([name]) => name).join(', ');
  const sql =
    `INSERT INTO alquimista_platform.${table} (${names}) SELECT ${names} ` +
    `FROM json_to_recordset(CAST(:rows AS json)) AS r(${columns.map(([name, type]) => `${name} ${type}`).join(', ')})`;
  for (const chunk of chunks(rows)) await db.execute(sql, { rows: p.json(chunk) });
}

function* chunks<T>(rows: readonly T[]): Generator<T[]> {
  let current: T[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = JSON.stringify(row).length + 1;
    if (current.length > 0 && (current.length >= MAX_ROWS_PER_CHUNK || bytes + size > MAX_JSON_BYTES)) {
      yield current;
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length > 0) yield current;
}

async function insertDataSet(db: Db, data: DemoDataSet): Promise<void> {
  // Parents before children (foreign keys are checked per statement).
  await insertRows(db, 'agents', data.agents);
  await insertRows(db, 'tenants', data.tenants);
  await insertRows(db, 'tenant_status_history', data.statusHistory);
  await insertRows(db, 'tenant_users', data.users);
  await insertRows(db, 'tenant_agents', data.tenantAgents);
  await insertRows(db, 'tenant_integrations', data.integrations);
  await insertRows(db, 'operational_events', data.events);
}

async function countRows(db: Db): Promise<Record<SeedTable, number>> {
  const sql = `SELECT ${SEED_TABLES.map((t) => `(SELECT count(*) FROM alquimista_platform.${t})::int AS ${t}`).join(', ')}`;
  const [row = {} as Record<SeedTable, number | string>] = await db.query<Record<SeedTable, number | string>>(sql);
  return Object.fromEntries(SEED_TABLES.map((t) => [t, Number(row[t] ?? 0)])) as Record<SeedTable, number>;
}
