import { join } from 'node:path';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { migrate } from '@database/migrate';
import { seedDemoData, type SeedOptions, type SeedReport } from '@database/seed';
import { COMMAND_PROCESSOR, type StreamConsumerDeclaration } from '@lambda/commands/declaration';
import { handlerEnvironment, type LocalDatabase } from '@local/data-api';
import { dynamoHandlerEnvironment, startEventSourceMapping, startLocalDynamo, type LocalDynamo } from '@local/dynamodb';
import { functionEnvironment } from '@local/functions';
import { secretsHandlerEnvironment, startLocalSecretsManager } from '@local/secrets-manager';
import { route as routeOf, type RouteId } from '@lambda/routes';
import type { ApiHandler } from '@shared/http/handler';
import { rateLimitEnvironment, type RateLimits } from '@shared/rate-limits';
import { apiEvent, claimsFor, type Claims } from './events';
import { startTestDatabase, type BackendKind } from './local-db';

/** Rate limits no test but the rate limits' own reaches (test/integration/api/rate-limits.test.ts). */
export const UNREACHED_RATE_LIMITS: RateLimits = { windowSeconds: 60, user: 1_000_000, tenant: 1_000_000, commandsPerUser: 100_000 };

/** Fixed "now" for seeded tests: data ends 2026-10-31, so windows are stable whatever the date. */
export const SEED_NOW = new Date('2026-11-01T12:00:00Z');

export interface InvokeOptions {
  claims?: Claims | null;
  query?: Record<string, string>;
  pathParameters?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

export type EventSourceMapping = Awaited<ReturnType<typeof startEventSourceMapping>>;

export interface SeededApi {
  local: LocalDatabase;
  /** dynalite with the commands table and its stream emulator. */
  dynamo: LocalDynamo;
  /** The local Secrets Manager endpoint. */
  secretsEndpoint: string;
  /** The environment the handler modules are loaded with. */
  env: Record<string, string>;
  seed: SeedReport;
  /** The tenant of the first demo logins, and the second tenant's. */
  tenantA: string;
  tenantB: string;
  /** Claims for each demo login (as API Gateway passes them: strings, groups comma-separated). */
  claims: {
    tenantAdminA: Claims;
    tenantUserA: Claims;
    tenantAdminB: Claims;
    tenantUserB: Claims;
    support: Claims;
    admin: Claims;
  };
  invoke<T = any>(id: RouteId, options?: InvokeOptions): Promise<ApiResponse<T>>;
  /** A handler module under lambda/ (e.g. 'jobs/sweep-commands.ts'), loaded fresh with `env` (plus `extraEnv`). */
  loadModule<T = any>(file: string, extraEnv?: Record<string, string>): T;
  /** The command processor attached to the table's stream, as the event source mapping declares it. */
  startProcessor(extraEnv?: Record<string, string>, config?: Partial<StreamConsumerDeclaration>): EventSourceMapping;
  stop(): Promise<void>;
}

/**
 * A migrated, seeded database behind the local Data API, and the real handler modules invoked
 * in-process with API Gateway events, their Data API client pointed at the local endpoint by
 * configuration only (AWS_ENDPOINT_URL_RDS_DATA), as in `npm run dev`.
 */
export async function startSeededApi(kind: BackendKind, seedOptions: SeedOptions = {}, databaseSettings: Parameters<typeof startTestDatabase>[2] = {}): Promise<SeededApi> {
  const local = await startTestDatabase(kind, undefined, databaseSettings);
  await migrate(local.db);
  const seed = await seedDemoData(local.db, { requestsPerDay: 400, now: SEED_NOW, ...seedOptions });

  const dynamo = await startLocalDynamo({ port: 0 });
  const secrets = await startLocalSecretsManager({ port: 0 });

  const env = {
    ...handlerEnvironment(local),
    ...dynamoHandlerEnvironment(dynamo),
    ...secretsHandlerEnvironment(secrets),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'SILENT',
    // Powertools Metrics print EMF documents on stdout; a test that counts them turns them on.
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  const loadModule = <T>(file: string, extraEnv: Record<string, string> = {}, only?: Record<string, string>): T => {
    let loaded: T | undefined;
    Object.assign(process.env, env, extraEnv);
    // `only`: exactly this function's environment (what the shared one has beyond it is removed while it loads).
    if (only) {
      for (const key of Object.keys(env)) if (!(key in only) && key !== 'LOG_LEVEL') delete process.env[key];
      Object.assign(process.env, only);
    }
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require(join(__dirname, '..', '..', 'lambda', file)) as T;
    });
    return loaded!;
  };
  const handlers = new Map<RouteId, ApiHandler>();
  const load = (id: RouteId): ApiHandler => {
    let handler = handlers.get(id);
    if (!handler) {
      // The route's own environment, as the CDK and `npm run dev` give it: a read route gets the
      // read-only role's secret, so a write from it fails here as in AWS.
      const route = routeOf(id);
      handler = loadModule<{ handler: ApiHandler }>(route.handler, {}, {
        ...functionEnvironment(route.access, { database: local, dynamo, secrets }),
        // Every route charges the rate limits, as deployed; high enough that only their own test meets them.
        ...rateLimitEnvironment(dynamo.rateLimitTableName, UNREACHED_RATE_LIMITS),
      }).handler;
      Object.assign(process.env, env);
      handlers.set(id, handler);
    }
    return handler;
  };
  const mappings: EventSourceMapping[] = [];

  const demo = (email: string) => {
    const user = seed.demoUsers.find((u) => u.email === email);
    if (!user) throw new Error(`no demo user ${email}`);
    return claimsFor({ sub: user.sub, email: user.email, groups: user.groups, tenantId: user.tenantId ?? undefined });
  };
  const byGroup = (group: string, tenantIndex: number | null) => {
    const user = seed.demoUsers.find((u) => u.groups.includes(group as never) && (tenantIndex === null ? !u.tenantId : u.tenantIndex === tenantIndex));
    if (!user) throw new Error(`no demo user in ${group}`);
    return demo(user.email);
  };
  const tenantIds = [...new Set(seed.demoUsers.map((u) => u.tenantId).filter((t): t is string => !!t))];

  return {
    local,
    dynamo,
    secretsEndpoint: secrets.endpoint,
    env,
    seed,
    tenantA: tenantIds[0]!,
    tenantB: tenantIds[1]!,
    claims: {
      tenantAdminA: byGroup('TENANT_ADMIN', 0),
      tenantUserA: byGroup('TENANT_USER', 0),
      tenantAdminB: byGroup('TENANT_ADMIN', 1),
      tenantUserB: byGroup('TENANT_USER', 1),
      support: byGroup('INTERNAL_SUPPORT', null),
      admin: byGroup('INTERNAL_ADMIN', null),
    },
    async invoke(id, options = {}) {
      const entry = routeOf(id);
      const params = options.pathParameters ?? {};
      // A lone surrogate cannot be percent-encoded (nor reach API Gateway); the path is cosmetic here.
      const encode = (value: string) => {
        try {
          return encodeURIComponent(value);
        } catch {
          return value;
        }
      };
      const path = entry.path.replace(/\{(\w+)\}/g, (_, name: string) => encode(params[name] ?? ''));
      const event = apiEvent({
        method: entry.method,
        path,
        resource: entry.path,
        pathParameters: options.pathParameters,
        query: options.query,
        body: options.body,
        headers: options.headers,
        claims: options.claims === undefined ? null : options.claims,
      });
      const result: APIGatewayProxyResult = await load(id)(event);
      return { status: result.statusCode, headers: (result.headers ?? {}) as Record<string, string>, body: JSON.parse(result.body) };
    },
    loadModule,
    startProcessor(extraEnv = {}, config = {}) {
      const { handler } = loadModule<{ handler: Parameters<typeof startEventSourceMapping>[0]['handler'] }>(COMMAND_PROCESSOR.handler, extraEnv);
      const mapping = startEventSourceMapping({ stream: dynamo.stream, handler, config: { ...COMMAND_PROCESSOR, ...config } });
      mappings.push(mapping);
      return mapping;
    },
    async stop() {
      for (const mapping of mappings) await mapping.stop();
      await Promise.all([dynamo.stop(), secrets.stop()]);
      await local.stop();
    },
  };
}

/**
 * Fakes only `Date` (at SEED_NOW unless told otherwise): the handlers' windows end yesterday and
 * the seeded data ends 2026-10-31, while timers and the SDK's I/O keep running for real.
 */
export function freezeDate(now: Date = SEED_NOW): void {
  jest.useFakeTimers({
    now,
    doNotFake: ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate', 'nextTick', 'queueMicrotask', 'hrtime', 'performance'],
  });
}
