import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadMigrations, migrate } from '@database/migrate';
import { seedDemoData } from '@database/seed';
import { DEFAULT_PORTS, ENDPOINTS_FILE, LOCAL_DIR, portFromEnv } from './config';
import { startLocalDatabase } from './data-api';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * `npm run dev`: the local system on one machine. Today it runs the embedded PostgreSQL behind the
 * local Data API endpoint, migrated and seeded with demo data on first start; `--reset` wipes
 * `.local/`. When ready it writes `.local/endpoints.json` (DESIGN.md, "Local contract").
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { reset: { type: 'boolean', default: false }, 'no-web': { type: 'boolean', default: false } } });
  const started = Date.now();
  if (values.reset) rmSync(LOCAL_DIR, { recursive: true, force: true });
  mkdirSync(LOCAL_DIR, { recursive: true });

  const databaseUrl = process.env.DATABASE_URL;
  const local = await startLocalDatabase({
    ...(databaseUrl ? { databaseUrl } : { dataDir: join(LOCAL_DIR, 'pgdata') }),
    port: portFromEnv('DATA_API_PORT', DEFAULT_PORTS.dataApi),
  });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    rmSync(ENDPOINTS_FILE, { force: true });
    await local.stop().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    const report = await migrate(local.db, loadMigrations(), (line) => console.log(`[db] ${line}`));
    const [{ n } = { n: 0 }] = await local.db.query<{ n: number }>('SELECT count(*)::int AS n FROM alquimista_platform.tenants');
    if (n === 0) {
      console.log('[db] first start: seeding demo data…');
      const seeded = await seedDemoData(local.db, {});
      console.log(`[db] seeded ${JSON.stringify(seeded.counts)}`);
    } else {
      console.log(`[db] reusing existing data (${n} tenants, ${report.applied.length} new migrations)`);
    }
  } catch (error) {
    console.error('[dev] startup failed:', error);
    await stop(1);
    return;
  }

  const endpoints = {
    dataApi: { endpoint: local.api.url, ...local.target },
  };
  writeFileSync(ENDPOINTS_FILE, `${JSON.stringify(endpoints, null, 2)}\n`);
  console.log(`\nPainel Operacional (local) ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`  Data API   ${local.api.url}  (resourceArn ${local.target.resourceArn}, database ${local.target.database})`);
  console.log(`  endpoints  ${ENDPOINTS_FILE}`);
  console.log('Ctrl-C to stop.');
}

void main();
