import { join } from 'node:path';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { migrate } from '../database/migrate';
import { seedDemoData, type SeedOptions, type SeedReport } from '../database/seed';
import { handlerEnvironment, startLocalDatabase, type LocalDatabase } from '../local/data-api';
import { ROUTES, type RouteId } from '../lambda/routes';
import type { ApiHandler } from '../lambda/shared/http/handler';
import { claimsFor, apiEvent, type Claims } from '../test/support/events';

export interface BenchStack {
  local: LocalDatabase;
  seed: SeedReport;
  seedMs: number;
  claims: { tenant: Claims; staff: Claims; admin: Claims };
  tenantId: string;
  invoke(id: RouteId, options: { claims: Claims; query?: Record<string, string>; pathParameters?: Record<string, string> }): Promise<APIGatewayProxyResult>;
  stop(): Promise<void>;
}

/**
 * A seeded local stack for benchmarks: the database (PGlite, or PostgreSQL with DATABASE_URL)
 * behind the local Data API, and the real handler modules pointed at it by environment only.
 */
export async function startBenchStack(seedOptions: SeedOptions): Promise<BenchStack> {
  const local = await startLocalDatabase(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {});
  await migrate(local.db);
  const started = Date.now();
  const seed = await seedDemoData(local.db, { reset: true, ...seedOptions });
  const seedMs = Date.now() - started;
  Object.assign(process.env, handlerEnvironment(local), { LOG_LEVEL: 'SILENT' });
  const handlers = new Map<RouteId, ApiHandler>();
  const user = (group: string) => {
    const u = seed.demoUsers.find((d) => d.groups.includes(group as never))!;
    return claimsFor({ sub: u.sub, email: u.email, groups: u.groups, tenantId: u.tenantId ?? undefined });
  };
  const tenantUser = seed.demoUsers.find((d) => d.groups.includes('TENANT_ADMIN'))!;

  return {
    local,
    seed,
    seedMs,
    claims: { tenant: user('TENANT_ADMIN'), staff: user('INTERNAL_SUPPORT'), admin: user('INTERNAL_ADMIN') },
    tenantId: tenantUser.tenantId!,
    async invoke(id, options) {
      const route = ROUTES.find((r) => r.id === id)!;
      let handler = handlers.get(id);
      if (!handler) {
        handler = ((await import(join(__dirname, '..', 'lambda', route.handler))) as { handler: ApiHandler }).handler;
        handlers.set(id, handler);
      }
      const params = options.pathParameters ?? {};
      const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? '');
      return handler(apiEvent({ method: route.method, path, resource: route.path, pathParameters: options.pathParameters, query: options.query, claims: options.claims }));
    },
    stop: () => local.stop(),
  };
}

/** p50/p99 of a list of durations in ms. */
export function percentiles(samples: number[]): { p50: number; p99: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
}
