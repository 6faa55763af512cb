/**
 * The API under load, as a user runs it: `npm run dev -- --no-web` on a data set of
 * BENCH_TENANTS (default 10,000) tenants, every GET route hit by autocannon through the local
 * gateway with a real ID token (BENCH_CONNECTIONS, default 20, for BENCH_SECONDS each), next to
 * a bare Data API `SELECT 1` through the same local endpoint; Data API calls per request counted
 * by the endpoint itself; and `npm run dev`'s time to ready, fresh and with existing data.
 * BENCH_ROUTES (route ids, comma-separated) narrows the load to those routes.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { ROUTES } from '../lambda/routes';

const ROOT = join(__dirname, '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const FREE_PORTS = { API_PORT: '0', IDP_PORT: '0', DATA_API_PORT: '0', DYNAMODB_PORT: '0', SECRETS_MANAGER_PORT: '0' };

interface Endpoints {
  apiUrl: string;
  cognito: { endpoint: string; clientId: string };
  dataApi: { endpoint: string; resourceArn: string; secretArn: string; database: string };
  demoUsers: Array<{ email: string; password: string; groups: string[]; tenantId: string | null }>;
}

export interface RouteLoad {
  route: string;
  id: string;
  list: boolean;
  callsPerRequest: number;
  p50: number;
  p99: number;
  requestsPerSecond: number;
  /** CPU time (user + system) of the whole local stack per request, ms: every stand-in included. */
  cpuMsPerRequest: number;
  non2xx: number;
}

export interface LocalStackReport {
  tenants: number;
  connections: number;
  seconds: number;
  devReadyFreshMs: number;
  devReadyReuseMs: number;
  bareSelect1: { p50: number; p99: number; requestsPerSecond: number };
  routes: RouteLoad[];
}

/** Lists: the routes whose answer is a page of rows (the p99 budget applies to them). */
const LIST_ROUTES = new Set(['listTenantAgents', 'listTenantIntegrations', 'listTenantIncidents', 'listTenants', 'listTenantAgentsInternal', 'listOperationalCommands']);

function startDev(dir: string): { child: ChildProcess; ready: Promise<{ endpoints: Endpoints; ms: number }> } {
  const started = performance.now();
    // Node itself with tsx's loader (not tsx's CLI, which runs a second process): the pid measured
  // for CPU is the stack's. BENCH_CPU_PROF=dir writes its V8 CPU profiles there (at exit).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', join(ROOT, 'local', 'dev.ts'), '--no-web'], {
    cwd: ROOT,
    // The rate limits still count every request (their DynamoDB write is part of each route's
    // cost), but one user loading the API with 20 connections must not be stopped by them.
    env: { ...process.env, ...FREE_PORTS, PAINEL_LOCAL_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'ERROR', PAINEL_RATE_LIMITS: JSON.stringify({ user: 1e9, tenant: 1e9, commandsPerUser: 1e9 }) },
    stdio: 'ignore',
  });
  const ready = (async () => {
    const file = join(dir, 'endpoints.json');
    for (;;) {
      if (existsSync(file)) return { endpoints: JSON.parse(readFileSync(file, 'utf8')) as Endpoints, ms: performance.now() - started };
      if (child.exitCode !== null) throw new Error('npm run dev exited before it was ready');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return { child, ready };
}

async function stopDev(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  await exited;
}

async function idToken(endpoints: Endpoints, group: string): Promise<{ token: string; tenantId: string | null }> {
  const user = endpoints.demoUsers.find((u) => u.groups.includes(group))!;
  const res = await fetch(endpoints.cognito.endpoint, {
    method: 'POST',
    headers: { 'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth', 'Content-Type': 'application/x-amz-json-1.1' },
    body: JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: endpoints.cognito.clientId, AuthParameters: { USERNAME: user.email, PASSWORD: user.password } }),
  });
  return { token: ((await res.json()) as { AuthenticationResult: { IdToken: string } }).AuthenticationResult.IdToken, tenantId: user.tenantId };
}

function load(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

export async function benchLocalStack(): Promise<LocalStackReport> {
  const tenants = Number(process.env.BENCH_TENANTS ?? 10_000);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);

  // Time to ready on a fresh data directory (migrate + default seed), as a new engineer sees it.
  const fresh = mkdtempSync(join(tmpdir(), 'painel-bench-dev-'));
  const first = startDev(fresh);
  const devReadyFreshMs = (await first.ready).ms;
  await stopDev(first.child);
  rmSync(fresh, { recursive: true, force: true });

  // The load data set: seeded once with the project's own CLI into the directory dev then reuses.
  const dir = mkdtempSync(join(tmpdir(), 'painel-bench-load-'));
  const seeded = spawnSync(process.execPath, [TSX, join(ROOT, 'local', 'database-cli.ts'), 'seed', '--tenants', String(tenants), '--requests-per-day', process.env.BENCH_REQUESTS_PER_DAY ?? '20000', '--days', process.env.BENCH_DAYS ?? '31'], {
    cwd: ROOT,
    env: { ...process.env, PAINEL_LOCAL_DIR: dir, DATABASE_URL: '' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (seeded.status !== 0) throw new Error('seeding the load data set failed');
  const dev = startDev(dir);
  const { endpoints, ms: devReadyReuseMs } = await dev.ready;

  try {
    const tenant = await idToken(endpoints, 'TENANT_ADMIN');
    const admin = await idToken(endpoints, 'INTERNAL_ADMIN');
    const bare = await load({
      url: `${endpoints.dataApi.endpoint}/Execute`,
      method: 'POST',
      connections,
      duration: seconds,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resourceArn: endpoints.dataApi.resourceArn, secretArn: endpoints.dataApi.secretArn, database: endpoints.dataApi.database, sql: 'SELECT 1' }),
    });

    const routes: RouteLoad[] = [];
    // BENCH_ROUTES=id,id… loads only those routes (to iterate on one); all GET routes by default.
    const only = process.env.BENCH_ROUTES?.split(',').filter(Boolean);
    for (const route of ROUTES.filter((r) => r.method === 'GET' && (!only || only.includes(r.id)))) {
      const internal = route.path.startsWith('/internal/');
      const caller = internal ? admin : tenant;
      const path = route.path.replace('{id}', tenant.tenantId!);
      const url = `${endpoints.apiUrl}${path}`;
      const headers = { Authorization: caller.token };

      // The previous route's load can still have requests in flight (autocannon stops sending, the
      // stack still serves what it received): wait until the database answers a SELECT 1 at once,
      // so no route is measured while a slower one drains.
      await settle(endpoints.dataApi);
      await fetch(`${endpoints.dataApi.endpoint}/_local/stats/reset`, { method: 'POST' });
      const probes = 10;
      for (let i = 0; i < probes; i++) await (await fetch(url, { headers })).arrayBuffer();
      const stats = (await (await fetch(`${endpoints.dataApi.endpoint}/_local/stats`)).json()) as { total: number };

      // Warm as many instances as the load will use (each function instance runs one request at a
      // time, as in Lambda, starts cold, and JIT-compiles its own code as it serves): steady state
      // is what is measured, so the load runs in 2 s rounds until throughput stops climbing.
      await warm({ url, connections, headers });
      await settle(endpoints.dataApi);
      const cpu0 = cpuMs(dev.child.pid!);
      const result = await load({ url, connections, duration: seconds, headers });
      const cpuPerRequest = (cpuMs(dev.child.pid!) - cpu0) / (result.requests.total || 1);
      routes.push({
        route: `${route.method} ${route.path}`,
        id: route.id,
        list: LIST_ROUTES.has(route.id),
        callsPerRequest: stats.total / probes,
        p50: result.latency.p50,
        p99: result.latency.p99,
        requestsPerSecond: result.requests.average,
        cpuMsPerRequest: Math.round(cpuPerRequest * 100) / 100,
        non2xx: result.non2xx,
      });
      console.error(`[load] ${route.id}: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${Math.round(result.requests.average)} req/s, ${cpuPerRequest.toFixed(2)} ms CPU/request`);
    }
    return {
      tenants,
      connections,
      seconds,
      devReadyFreshMs,
      devReadyReuseMs,
      bareSelect1: { p50: bare.latency.p50, p99: bare.latency.p99, requestsPerSecond: bare.requests.average },
      routes,
    };
  } finally {
    await stopDev(dev.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Loads `url` in 2 s rounds until a round's requests/s is within 5% of the previous round's (at
 * least 2 rounds, at most 10 — 20 s): every function instance the load uses is then warm.
 */
async function warm(options: { url: string; connections: number; headers: Record<string, string> }): Promise<void> {
  let previous = 0;
  for (let round = 0; round < 10; round++) {
    const rate = (await load({ ...options, duration: 2 })).requests.average;
    if (round > 0 && Math.abs(rate - previous) <= 0.05 * previous) return;
    previous = rate;
  }
}

/** Waits (up to 60 s) until a SELECT 1 through the local Data API takes under 20 ms, twice in a row. */
async function settle(dataApi: { endpoint: string; resourceArn: string; secretArn: string; database: string }): Promise<void> {
  const body = JSON.stringify({ resourceArn: dataApi.resourceArn, secretArn: dataApi.secretArn, database: dataApi.database, sql: 'SELECT 1' });
  const deadline = Date.now() + 60_000;
  for (let quick = 0; quick < 2 && Date.now() < deadline; ) {
    const started = performance.now();
    await (await fetch(`${dataApi.endpoint}/Execute`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).arrayBuffer();
    quick = performance.now() - started < 20 ? quick + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

if (require.main === module) {
  benchLocalStack()
    .then((report) => console.log(JSON.stringify(report, null, 2)))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}

/** CPU time (user + system, ms) a process has used so far, every thread included, from /proc/<pid>/stat (Linux, 100 ticks/s). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): state is the first, utime the 12th, stime the 13th.
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
