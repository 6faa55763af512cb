import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { APIGatewayProxyResult, DynamoDBBatchResponse } from 'aws-lambda';
import { loadMigrations, migrate } from '@database/migrate';
import { SEED_DEFAULTS, seedDemoData, seededDemoUsers } from '@database/seed';
import { COMMAND_PROCESSOR } from '@lambda/commands/declaration';
import { ROUTES } from '@lambda/routes';
import { SCHEDULES } from '@lambda/schedules';
import type { FunctionAccess } from '@shared/function-access';
import { loadStageConfig } from '../lib/config';
import { rateLimitEnvironment, type RateLimits } from '@shared/rate-limits';
import { DEFAULT_PORTS, ENDPOINTS_FILE, LOCAL_DIR, localFunctionConcurrency, portFromEnv } from './config';
import { startLocalDatabase } from './data-api';
import { startEventSourceMapping, startLocalDynamo } from './dynamodb';
import { functionEnvironment, LocalFunction } from './functions';
import { startLocalGateway } from './gateway';
import { startLocalIdp } from './idp';
import { startScheduler } from './scheduler';
import { resolveWebPort, startLocalWeb, type LocalWeb } from './web';
import { startLocalSecretsManager } from './secrets-manager';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** API Gateway gives up on an integration after 29 s; the CDK sets the routes' timeout to match. */
const ROUTE_TIMEOUT_SECONDS = 29;

/**
 * `npm run dev`: the whole system on one machine, no AWS account, no Docker (DESIGN.md, "Local
 * contract"). One process runs every stand-in; the handler modules run unmodified, pointed at
 * them through their usual environment variables. Ctrl-C stops everything and frees every port.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { reset: { type: 'boolean', default: false }, 'no-web': { type: 'boolean', default: false }, 'web-export': { type: 'boolean', default: false } },
  });
  const started = Date.now();
  if (values.reset) rmSync(LOCAL_DIR, { recursive: true, force: true });
  mkdirSync(LOCAL_DIR, { recursive: true });

  const stops: Array<() => Promise<unknown>> = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    rmSync(ENDPOINTS_FILE, { force: true });
    // Last started, first stopped: nothing calls a stand-in that is already gone.
    for (const fn of stops.reverse()) await fn().catch(() => undefined);
    if (code === 0) console.log('stopped: every stand-in closed, its port free');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    const webPort = await resolveWebPort(portFromEnv('WEB_PORT', DEFAULT_PORTS.web));
    // The web server compiles while the database starts; it gets its /config.json once the API listens.
    let web: LocalWeb | undefined;
    if (!values['no-web']) {
      web = startLocalWeb({ port: webPort, configFile: join(LOCAL_DIR, 'web-config.json'), log: (line) => console.log(line), mode: values['web-export'] ? 'export' : 'dev' });
      stops.push(() => web!.stop());
    }

    const databaseUrl = process.env.DATABASE_URL;
    const local = await startLocalDatabase({
      ...(databaseUrl ? { databaseUrl } : { dataDir: join(LOCAL_DIR, 'pgdata') }),
      port: portFromEnv('DATA_API_PORT', DEFAULT_PORTS.dataApi),
    });
    stops.push(() => local.stop());
    const report = await migrate(local.db, loadMigrations(), (line) => console.log(`[db] ${line}`));
    const [{ n } = { n: 0 }] = await local.db.query<{ n: number }>('SELECT count(*)::int AS n FROM alquimista_platform.tenants');
    if (n === 0) {
      console.log('[db] first start: seeding demo data…');
      const seeded = await seedDemoData(local.db, {});
      console.log(`[db] seeded ${JSON.stringify(seeded.counts)}`);
    } else {
      console.log(`[db] reusing existing data (${n} tenants, ${report.applied.length} new migrations)`);
    }

    const [dynamo, secrets] = await Promise.all([
      // On disk next to the database, so the commands list survives a restart as the audit rows do.
      startLocalDynamo({ port: portFromEnv('DYNAMODB_PORT', DEFAULT_PORTS.dynamodb), path: join(LOCAL_DIR, 'dynamodb') }),
      startLocalSecretsManager({ port: portFromEnv('SECRETS_MANAGER_PORT', DEFAULT_PORTS.secretsManager) }),
    ]);
    stops.push(() => dynamo.stop(), () => secrets.stop());

    const demoUsers = seededDemoUsers(SEED_DEFAULTS.seed);
    // The dev stage's settings where the stand-ins mirror one (sessions' refresh-token validity).
    const stage = loadStageConfig({ stage: 'dev' });
    const idp = await startLocalIdp({
      port: portFromEnv('IDP_PORT', DEFAULT_PORTS.idp),
      refreshTokenSeconds: stage.session.refreshTokenValidityHours * 3600,
      users: demoUsers.map((u) => ({ sub: u.sub, email: u.email, password: u.password, groups: u.groups, tenantId: u.tenantId, name: u.fullName })),
    });
    stops.push(() => idp.stop());

    const webOrigins = [`http://localhost:${webPort}`, `http://127.0.0.1:${webPort}`];
    // Every function as its own LocalFunction (worker-thread instances, one invocation at a time),
    // with exactly the environment the CDK gives it: its database role, its table, local endpoints.
    const standIns = { database: local, dynamo, secrets };
    const maxConcurrency = localFunctionConcurrency();
    const localFunction = (name: string, entry: string, access: FunctionAccess, timeoutSeconds: number, extra: Record<string, string> = {}) => {
      const fn = new LocalFunction({
        name,
        entry,
        timeoutSeconds,
        maxConcurrency,
        environment: { ...functionEnvironment(access, standIns), LOG_LEVEL: process.env.LOG_LEVEL ?? 'WARN', ...extra },
      });
      stops.push(() => fn.stop());
      return fn;
    };
    // Every route charges its caller's rate limits, as in AWS: the dev stage's numbers, unless
    // PAINEL_RATE_LIMITS (JSON, merged over them) says otherwise — the load benchmark raises them.
    const rateLimits = { ...stage.rateLimits, ...(process.env.PAINEL_RATE_LIMITS ? (JSON.parse(process.env.PAINEL_RATE_LIMITS) as Partial<RateLimits>) : {}) };
    const routeFunctions = new Map(
      ROUTES.map((route) => [
        route.id,
        localFunction(route.id, route.handler, route.access, ROUTE_TIMEOUT_SECONDS, { ALLOWED_ORIGINS: webOrigins.join(','), ...rateLimitEnvironment(dynamo.rateLimitTableName, rateLimits) }),
      ]),
    );

    const processorFunction = localFunction('CommandProcessor', COMMAND_PROCESSOR.handler, COMMAND_PROCESSOR.access, COMMAND_PROCESSOR.functionTimeoutSeconds);
    const processor = startEventSourceMapping({
      stream: dynamo.stream,
      handler: (event, context) => processorFunction.invoke<DynamoDBBatchResponse>(event, context.awsRequestId),
      config: COMMAND_PROCESSOR,
    });
    stops.push(() => processor.stop());

    const jobFunctions = new Map(SCHEDULES.map((schedule) => [schedule.id, localFunction(schedule.id, schedule.handler, schedule.access, schedule.timeoutSeconds)]));
    const scheduler = startScheduler({
      schedules: SCHEDULES,
      run: (schedule, event) => jobFunctions.get(schedule.id as (typeof SCHEDULES)[number]['id'])!.invoke(event, event.id),
      log: (line) => console.log(line),
    });
    stops.push(() => scheduler.stop());

    const gateway = await startLocalGateway({
      port: portFromEnv('API_PORT', DEFAULT_PORTS.api),
      issuer: idp.issuer,
      jwksUri: idp.jwksUri,
      clientId: idp.clientId,
      allowedOrigins: webOrigins,
      invokeRoute: (route, event, requestId) => routeFunctions.get(route.id as (typeof ROUTES)[number]['id'])!.invoke<APIGatewayProxyResult>(event, requestId),
    });
    stops.push(() => gateway.stop());

    await web?.ready({ apiUrl: gateway.url, cognitoRegion: idp.region, userPoolId: idp.userPoolId, clientId: idp.clientId, cognitoEndpoint: idp.endpoint });
    const webUrl = web?.url;

    const endpoints = {
      ...(webUrl ? { webUrl } : {}),
      apiUrl: gateway.url,
      cognito: { endpoint: idp.endpoint, region: idp.region, userPoolId: idp.userPoolId, clientId: idp.clientId },
      dataApi: { endpoint: local.api.url, ...local.target },
      dynamodb: { endpoint: dynamo.endpoint, commandsTable: dynamo.tableName },
      demoUsers: demoUsers.map((u) => ({ email: u.email, password: u.password, groups: u.groups, tenantId: u.tenantId })),
    };
    writeFileSync(ENDPOINTS_FILE, `${JSON.stringify(endpoints, null, 2)}\n`);

    console.log(`\nPainel Operacional (local) ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (webUrl) console.log(`  web        ${webUrl}`);
    console.log(`  API        ${gateway.url}`);
    console.log(`  IdP        ${idp.endpoint}  (user pool ${idp.userPoolId}, client ${idp.clientId})`);
    console.log(`  Data API   ${local.api.url}`);
    console.log(`  DynamoDB   ${dynamo.endpoint}  (table ${dynamo.tableName}, stream → command processor)`);
    console.log(`  schedules  ${Object.entries(scheduler.next()).map(([id, at]) => `${id} next ${at}`).join('; ')}`);
    console.log(`  endpoints  ${ENDPOINTS_FILE}`);
    console.log(`  demo logins (password ${demoUsers[0]!.password}):`);
    for (const u of demoUsers) console.log(`    ${u.email.padEnd(38)} ${u.groups.join(',')}${u.tenantId ? `  tenant ${u.tenantId}` : ''}`);
    console.log('Ctrl-C to stop.');
  } catch (error) {
    console.error('[dev] startup failed:', error);
    await stop(1);
  }
}

void main();
