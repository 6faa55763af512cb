import { join } from 'node:path';
import { migrate } from '@database/migrate';
import { isoDay, runAggregation } from '@lambda/aggregation/aggregate';
import { AGGREGATE_DAY_SQL, aggregateDay, aggregateDayIn, type DayResult } from '@lambda/aggregation/aggregation-repository';
import { SCHEDULES } from '@lambda/schedules';
import { type Db, p } from '@shared/db';
import { logger } from '@shared/logger';
import { handlerEnvironment, type LocalDatabase } from '@local/data-api';
import { BACKENDS, startTestDatabase } from '../../support/local-db';

const S = 'alquimista_platform';
const DAY_MS = 86_400_000;

// Days relative to the real clock: the job's "yesterday" is the real one.
const TODAY = Math.floor(Date.now() / DAY_MS) * DAY_MS;
const D1 = isoDay(TODAY - DAY_MS); // yesterday
const D0 = isoDay(TODAY - 2 * DAY_MS); // the day before
const OLD = [isoDay(TODAY - 12 * DAY_MS), isoDay(TODAY - 11 * DAY_MS), isoDay(TODAY - 10 * DAY_MS)];

const TENANT = '10000000-0000-4000-8000-000000000001';
const QUIET = '10000000-0000-4000-8000-000000000002'; // no traffic at all
const GHOST = '10000000-0000-4000-8000-0000000000ff'; // requests of a tenant that does not exist
const AGENT_1 = '20000000-0000-4000-8000-000000000001';
const AGENT_2 = '20000000-0000-4000-8000-000000000002';
const UNKNOWN_AGENT = '20000000-0000-4000-8000-0000000000ff'; // not in the catalog

const handlerFile = join(__dirname, '..', '..', '..', 'lambda', SCHEDULES.find((s) => s.id === 'aggregateDailyMetrics')!.handler);

describe.each(BACKENDS)('nightly usage aggregation on %s', (kind) => {
  let local: LocalDatabase;
  let db: Db;
  let job: (event: unknown) => Promise<{ runId: string; rowsRead: number; rowsWritten: number; incidentsOpened: number; incidentsResolved: number }>;

  const addRequests = (tenant: string, agent: string | null, at: string, count: number, errors = 0) =>
    db.execute(
      `INSERT INTO ${S}.agent_requests (tenant_id, agent_id, status, response_time_ms, tokens_used, created_at)
       SELECT :t, :a, CASE WHEN g <= :errors THEN 'error' ELSE 'success' END, 100 + (g % 7) * 10, 5 + g % 3, :at
       FROM generate_series(1, :n) AS g`,
      { t: p.uuid(tenant), a: p.uuid(agent), errors: p.int(errors), at: p.timestamp(at), n: p.int(count) },
    );
  const usageTable = () => db.query(`SELECT * FROM ${S}.tenant_usage_daily ORDER BY date, tenant_id, agent_id NULLS FIRST`);
  /** The oracle: the raw log grouped per UTC calendar day, independently of the job's SQL. */
  const rawTotals = (day: string) =>
    db.query<{ tenant_id: string; agent_id: string | null; total: number; failed: number; tokens: number }>(
      `SELECT r.tenant_id, CASE WHEN a.id IS NULL THEN NULL ELSE r.agent_id END AS agent_id,
              count(*)::int AS total, (count(*) FILTER (WHERE r.status = 'error'))::int AS failed, sum(r.tokens_used)::int AS tokens
       FROM ${S}.agent_requests r JOIN ${S}.tenants t ON t.id = r.tenant_id LEFT JOIN ${S}.agents a ON a.id = r.agent_id
       WHERE (r.created_at AT TIME ZONE 'UTC')::date = CAST(:day AS date)
       GROUP BY 1, 2 ORDER BY 1, 2 NULLS FIRST`,
      { day: p.date(day) },
    );
  const usageOf = (day: string) =>
    db.query<{ tenant_id: string; agent_id: string | null; total: number; failed: number; tokens: number }>(
      `SELECT tenant_id, agent_id, total_requests AS total, failed_requests AS failed, total_tokens_used::int AS tokens
       FROM ${S}.tenant_usage_daily WHERE date = CAST(:day AS date) ORDER BY 1, 2 NULLS FIRST`,
      { day: p.date(day) },
    );
  const incidents = () =>
    db.query<{ incident_key: string; severity: string; resolved: boolean }>(
      `SELECT incident_key, severity, resolved_at IS NOT NULL AS resolved FROM ${S}.operational_events
       WHERE event_type = 'incident' AND tenant_id = :t ORDER BY created_at, incident_key`,
      { t: p.uuid(TENANT) },
    );
  /** Each tenant's 30-day counter (tenant_usage_last_30_days), next to the sum it must equal. */
  const tenantCounters = () =>
    db.query<{ tenant_id: string; as_of: string; requests: number; expected: number }>(
      `SELECT t.id AS tenant_id, c.as_of::text AS as_of, c.requests::int AS requests,
              (SELECT coalesce(sum(u.total_requests), 0) FROM ${S}.tenant_usage_daily u
                WHERE u.tenant_id = t.id AND u.date > CAST(:to AS date) - 30 AND u.date <= CAST(:to AS date))::int AS expected
       FROM ${S}.tenants t LEFT JOIN ${S}.tenant_usage_last_30_days c ON c.tenant_id = t.id ORDER BY t.id`,
      { to: p.date(D1) },
    );
  const scheduled = () => job({ 'detail-type': 'Scheduled Event', source: 'aws.events', time: new Date().toISOString(), detail: {} });

  beforeAll(async () => {
    local = await startTestDatabase(kind);
    db = local.db;
    await migrate(db);
    await db.execute(
      `INSERT INTO ${S}.tenants (id, name, cnpj, segment, plan, mrr_estimate) VALUES
         (:tenant, 'Empresa Ativa', '11222333000181', 'varejo', 'starter', 497), (:quiet, 'Empresa Quieta', '11444777000161', 'saude', 'starter', 497)`,
      { tenant: p.uuid(TENANT), quiet: p.uuid(QUIET) },
    );
    await db.execute(
      `INSERT INTO ${S}.agents (id, name, segment, description) VALUES (:a1, 'Agente Um', 'geral', 'um'), (:a2, 'Agente Dois', 'geral', 'dois')`,
      { a1: p.uuid(AGENT_1), a2: p.uuid(AGENT_2) },
    );
    await db.execute(
      `INSERT INTO ${S}.tenant_agents (tenant_id, agent_id, activated_at) VALUES (:t, :a1, now() - interval '60 days'), (:t, :a2, now() - interval '60 days'), (:q, :a1, now() - interval '60 days')`,
      { t: p.uuid(TENANT), q: p.uuid(QUIET), a1: p.uuid(AGENT_1), a2: p.uuid(AGENT_2) },
    );

    Object.assign(process.env, handlerEnvironment(local), { LOG_LEVEL: 'SILENT' });
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      job = require(handlerFile).handler;
    });
  }, 120_000);
  afterAll(async () => local?.stop());

  test('rows exactly at midnight land on their own day; the window is half-open', async () => {
    await addRequests(TENANT, AGENT_1, `${D1}T00:00:00.000Z`, 3); // first instant of D1
    await addRequests(TENANT, AGENT_1, `${D0}T23:59:59.999Z`, 2); // last instant of D0
    await addRequests(TENANT, AGENT_1, `${isoDay(TODAY)}T00:00:00.000Z`, 7); // today: not aggregated yet

    await scheduled();

    expect((await usageOf(D1)).find((r) => r.agent_id === AGENT_1)?.total).toBe(3);
    expect((await usageOf(D0)).find((r) => r.agent_id === AGENT_1)?.total).toBe(2);
    expect(await usageOf(isoDay(TODAY))).toEqual([]);
  });

  test('three runs give an identical table, equal to the raw log per day; no agent and unknown agents are the NULL row; no traffic → no rows', async () => {
    await addRequests(TENANT, AGENT_2, `${D1}T10:00:00Z`, 40, 4);
    await addRequests(TENANT, null, `${D1}T11:00:00Z`, 5, 1);
    await addRequests(TENANT, UNKNOWN_AGENT, `${D1}T12:00:00Z`, 6);
    await addRequests(GHOST, AGENT_1, `${D1}T12:00:00Z`, 9);

    const first = await scheduled();
    const after1 = await usageTable();
    const second = await scheduled();
    const third = await scheduled();
    const after3 = await usageTable();

    expect(after3).toEqual(after1); // ids, values and updated_at: nothing was rewritten
    expect(second.rowsWritten).toBe(0);
    expect(third.rowsWritten).toBe(0);
    expect(first.rowsRead).toBe(second.rowsRead);
    for (const day of [D0, D1]) expect(await usageOf(day)).toEqual(await rawTotals(day));
    const nullRow = (await usageOf(D1)).find((r) => r.tenant_id === TENANT && r.agent_id === null)!;
    expect(nullRow.total).toBe(5 + 6);
    expect((await usageTable()).filter((r) => r.tenant_id === QUIET || r.tenant_id === GHOST)).toEqual([]);
    const skipped = await db.one<{ rows_skipped: string }>(`SELECT rows_skipped FROM ${S}.aggregation_runs WHERE id = :id`, { id: p.uuid(first.runId) });
    expect(Number(skipped!.rows_skipped)).toBe(9);
  });

  test('late rows for the day before appear on the next run (replacing, not adding)', async () => {
    const before = (await usageOf(D0)).find((r) => r.agent_id === AGENT_1)!.total;
    await addRequests(TENANT, AGENT_1, `${D0}T22:00:00Z`, 4);

    await scheduled();

    expect((await usageOf(D0)).find((r) => r.agent_id === AGENT_1)!.total).toBe(before + 4);
    expect(await usageOf(D0)).toEqual(await rawTotals(D0));
  });

  test('a day whose requests disappeared loses its rows; last_request_at and the 30-day counters follow the log', async () => {
    await db.execute(`DELETE FROM ${S}.agent_requests WHERE agent_id IS NULL AND created_at >= :d AND created_at < :e`, {
      d: p.timestamp(`${D1}T00:00:00Z`),
      e: p.timestamp(`${isoDay(TODAY)}T00:00:00Z`),
    });
    await scheduled();

    expect(await usageOf(D1)).toEqual(await rawTotals(D1));
    const agents = await db.query<{ agent_id: string; last: string; n: string; failed: string }>(
      `SELECT agent_id, to_char(last_request_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS last,
              requests_last_30_days AS n, failed_requests_last_30_days AS failed
       FROM ${S}.tenant_agents WHERE tenant_id = :t ORDER BY agent_id`,
      { t: p.uuid(TENANT) },
    );
    expect(agents.map((a) => [a.agent_id, a.last, Number(a.n), Number(a.failed)])).toEqual([
      [AGENT_1, `${D1}T00:00:00`, 3 + 2 + 4, 0], // today's 7 rows are not aggregated yet
      [AGENT_2, `${D1}T10:00:00`, 40, 4],
    ]);
    // The tenants' counters (the tenant list's requests_last_30_days) too, as of yesterday.
    const tenants = await tenantCounters();
    expect(tenants.map((c) => [c.tenant_id, c.as_of])).toEqual([[TENANT, D1], [QUIET, D1]]);
    for (const c of tenants) expect(c.requests).toBe(c.expected);
    expect(tenants[0]!.requests).toBeGreaterThanOrEqual(3 + 2 + 4 + 40);
    expect(tenants[1]!.requests).toBe(0);
  });

  test('a backfill event aggregates exactly its range and is recorded as such, raising no incidents', async () => {
    const [before] = await tenantCounters();
    for (const day of OLD) await addRequests(TENANT, AGENT_2, `${day}T08:00:00Z`, 10, 1);

    const report = await job({ from: OLD[0], to: OLD[2] });

    for (const day of OLD) expect(await usageOf(day)).toEqual(await rawTotals(day));
    const run = await db.one(`SELECT trigger, window_from::text AS "from", window_to::text AS "to", status, rows_read::int AS rows_read FROM ${S}.aggregation_runs WHERE id = :id`, { id: p.uuid(report.runId) });
    expect(run).toEqual({ trigger: 'backfill', from: OLD[0], to: OLD[2], status: 'succeeded', rows_read: 30 });
    expect(report.incidentsOpened + report.incidentsResolved).toBe(0);
    // The backfilled days are inside the last 30: the counters as of yesterday count them.
    const [tenant] = await tenantCounters();
    expect(tenant).toEqual({ tenant_id: TENANT, as_of: D1, requests: before!.requests + 30, expected: before!.requests + 30 });
  });

  test('a run of a day that another run is aggregating waits for it, then rewrites nothing (no duplicate-key failure)', async () => {
    const day = isoDay(TODAY - 20 * DAY_MS);
    await addRequests(TENANT, AGENT_1, `${day}T09:00:00Z`, 7, 2);
    await addRequests(TENANT, null, `${day}T09:30:00Z`, 3);

    let second: Promise<DayResult> | undefined;
    const first = await db.transaction(async (tx) => {
      // Another run, holding its new (uncommitted) rows of the day…
      const result = await aggregateDayIn(tx, day);
      // …while this one starts. Without the lock it would insert the same keys and fail on the
      // unique key once the first commits (PostgreSQL; PGlite has one connection anyway).
      second = aggregateDay(db, day);
      await new Promise((resolve) => setTimeout(resolve, 300));
      return result;
    });

    expect(first).toMatchObject({ rows_read: 10, rows_written: 2 });
    expect(await second).toMatchObject({ rows_read: 10, rows_written: 0, rows_deleted: 0 });
    expect(await usageOf(day)).toEqual(await rawTotals(day));
  });

  test.each([{ from: '2026-13-01', to: '2026-13-02' }, { from: '2026-11-02', to: '2026-11-01' }, { from: '2025-01-01', to: '2026-06-01' }, { from: '2026-11-01' }])('an invalid backfill %p is refused before anything runs', async (event) => {
    const runs = await db.one<{ n: number }>(`SELECT count(*)::int AS n FROM ${S}.aggregation_runs`);
    await expect(job(event)).rejects.toThrow();
    expect(await db.one(`SELECT count(*)::int AS n FROM ${S}.aggregation_runs`)).toEqual(runs);
  });

  test('a failed run is recorded (ledger and aggregation_failed event) and rethrown', async () => {
    jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    // A database that fails the aggregation statement itself, as a timeout would (also inside
    // the transaction the statement runs in).
    const failingDb = (inner: Db): Db =>
      new Proxy(inner, {
        get(target, key, receiver) {
          if (key === 'query') return (sql: string, ...rest: unknown[]) => (sql === AGGREGATE_DAY_SQL ? Promise.reject(new Error('boom: statement timeout')) : target.query(sql, ...(rest as [])));
          if (key === 'transaction') return <R>(work: (tx: Db) => Promise<R>) => target.transaction((tx) => work(failingDb(tx)));
          const value = Reflect.get(target, key, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    const failing = failingDb(db);

    await expect(runAggregation({ db: failing, logger, now: () => new Date() }, { from: D1, to: D1, trigger: 'manual' })).rejects.toThrow('boom');

    const run = await db.one<{ status: string; error: string; finished: boolean }>(`SELECT status, error, finished_at IS NOT NULL AS finished FROM ${S}.aggregation_runs ORDER BY started_at DESC LIMIT 1`);
    expect(run).toEqual({ status: 'failed', error: expect.stringContaining('boom'), finished: true });
    const event = await db.one<{ severity: string }>(`SELECT severity FROM ${S}.operational_events WHERE event_type = 'aggregation_failed' ORDER BY created_at DESC LIMIT 1`);
    expect(event).toEqual({ severity: 'error' });
    jest.restoreAllMocks();
  });

  describe('incidents', () => {
    test('an error rate over 5% (≥ 100 requests) opens one incident, however often the job runs', async () => {
      await addRequests(TENANT, AGENT_2, `${D1}T15:00:00Z`, 200, 30); // D1: 34 of 243 failed

      const runs = [await scheduled(), await scheduled()];

      expect(runs.map((r) => r.incidentsOpened)).toEqual([1, 0]);
      expect(await incidents()).toEqual([{ incident_key: 'error_rate', severity: 'error', resolved: false }]);
    });

    test('when the rate recovers the incident is resolved; a new bad day opens a new one', async () => {
      await db.execute(`UPDATE ${S}.agent_requests SET status = 'success' WHERE tenant_id = :t AND created_at >= :d`, { t: p.uuid(TENANT), d: p.timestamp(`${D1}T00:00:00Z`) });
      const recovered = await scheduled();
      expect(recovered.incidentsResolved).toBe(1);
      expect(await incidents()).toEqual([{ incident_key: 'error_rate', severity: 'error', resolved: true }]);

      await addRequests(TENANT, AGENT_2, `${D1}T16:00:00Z`, 100, 50);
      await scheduled();
      expect((await incidents()).map((i) => i.resolved)).toEqual([true, false]);
      // and back to healthy for the quota tests
      await db.execute(`UPDATE ${S}.agent_requests SET status = 'success' WHERE tenant_id = :t AND created_at >= :d`, { t: p.uuid(TENANT), d: p.timestamp(`${D1}T00:00:00Z`) });
      await scheduled();
    });

    test('month-to-date requests crossing 80% and then 100% of the plan each open one incident', async () => {
      // starter: 30,000 requests a month. Put the month's volume on yesterday.
      const used = Number((await db.one<{ n: string }>(`SELECT coalesce(sum(total_requests), 0) AS n FROM ${S}.tenant_usage_daily WHERE tenant_id = :t AND date >= date_trunc('month', CAST(:d AS date)) AND date <= :d`, { t: p.uuid(TENANT), d: p.date(D1) }))!.n);
      await addRequests(TENANT, AGENT_1, `${D1}T18:00:00Z`, 24_000 - used + 1);

      await scheduled();
      await scheduled();
      const at80 = (await incidents()).filter((i) => i.incident_key.startsWith('quota:'));
      expect(at80).toEqual([{ incident_key: `quota:80:${D1.slice(0, 7)}`, severity: 'warning', resolved: false }]);

      await addRequests(TENANT, AGENT_1, `${D1}T19:00:00Z`, 6_000);
      await scheduled();
      await scheduled();
      const at100 = (await incidents()).filter((i) => i.incident_key.startsWith('quota:')).map((i) => [i.incident_key, i.severity]);
      expect(at100).toEqual([
        [`quota:80:${D1.slice(0, 7)}`, 'warning'],
        [`quota:100:${D1.slice(0, 7)}`, 'error'],
      ]);
    });
  });
});
