import { performance } from 'node:perf_hooks';
import { ROUTES, type RouteId } from '../lambda/routes';
import { percentiles, startBenchStack } from './stack';

/**
 * Per read route: Data API calls per request (must be 1) and p50/p99 latency of the real handler
 * through the local Data API with 10,000 seeded tenants, next to a bare `SELECT 1` round trip
 * through the same endpoint. Run: `npm run bench:routes` (DATABASE_URL=… for PostgreSQL).
 */
const SIZE = { tenants: Number(process.env.BENCH_TENANTS ?? 10_000), requestsPerDay: Number(process.env.BENCH_REQUESTS_PER_DAY ?? 200_000), days: Number(process.env.BENCH_DAYS ?? 30) };
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const WARMUP = 20;

export interface RouteFigure {
  route: string;
  callsPerRequest: number;
  p50: number;
  p99: number;
  mean: number;
  status: number;
}

export async function benchRoutes(): Promise<{ backend: string; size: typeof SIZE; seedMs: number; selectOne: { p50: number; p99: number }; routes: RouteFigure[] }> {
  const stack = await startBenchStack({ ...SIZE, now: new Date() });
  try {
    // A bare round trip through the same endpoint: the floor every route stands on.
    const bare: number[] = [];
    for (let i = 0; i < WARMUP + ITERATIONS; i++) {
      const t = performance.now();
      await stack.local.db.query('SELECT 1');
      if (i >= WARMUP) bare.push(performance.now() - t);
    }
    const selectOne = percentiles(bare);

    const routes: RouteFigure[] = [];
    for (const route of ROUTES) {
      const id = route.id as RouteId;
      const claims = route.groups.includes('TENANT_ADMIN' as never) ? stack.claims.tenant : route.groups.includes('INTERNAL_SUPPORT' as never) ? stack.claims.staff : stack.claims.admin;
      const samples: number[] = [];
      let status = 0;
      stack.local.api.resetStats();
      for (let i = 0; i < WARMUP + ITERATIONS; i++) {
        // Vary list pages so no run reads the same rows twice in a row.
        const query: Record<string, string> | undefined =
          id === 'listTenants' ? { status: 'all', offset: String((i * 37) % 5_000), sort_by: ['name', 'created_at', 'mrr_estimate'][i % 3]! } : undefined;
        const t = performance.now();
        const res = await stack.invoke(id, { claims, query, pathParameters: route.path.includes('{id}') ? { id: stack.tenantId } : undefined });
        if (i >= WARMUP) samples.push(performance.now() - t);
        status = res.statusCode;
      }
      const calls = stack.local.api.stats().total / (WARMUP + ITERATIONS);
      routes.push({ route: `${route.method} ${route.path}`, callsPerRequest: calls, status, ...percentiles(samples) });
    }
    return { backend: process.env.DATABASE_URL ? 'postgres' : 'pglite', size: SIZE, seedMs: stack.seedMs, selectOne, routes };
  } finally {
    await stack.stop();
  }
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  benchRoutes()
    .then((result) => {
      console.log(`backend ${result.backend}, ${result.size.tenants} tenants, ${result.size.requestsPerDay}/day × ${result.size.days} days (seeded in ${(result.seedMs / 1000).toFixed(1)} s)`);
      console.log(`bare SELECT 1: p50 ${result.selectOne.p50.toFixed(2)} ms, p99 ${result.selectOne.p99.toFixed(2)} ms`);
      console.table(result.routes.map((r) => ({ ...r, p50: +r.p50.toFixed(2), p99: +r.p99.toFixed(2), mean: +r.mean.toFixed(2) })));
      const broken = result.routes.filter((r) => r.callsPerRequest !== 1 || r.status !== 200);
      if (broken.length) {
        console.error('budget broken (Data API calls per request must be 1, status 200):', broken.map((r) => r.route).join(', '));
        process.exit(1);
      }
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
