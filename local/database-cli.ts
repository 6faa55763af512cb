import { parseArgs } from 'node:util';
import { aggregationWindow, DEFAULT_LOOKBACK_DAYS, runAggregation } from '@lambda/aggregation/aggregate';
import { logger } from '@shared/logger';
import { loadMigrations, migrate } from '@database/migrate';
import { seedDemoData } from '@database/seed';
import { openDbTarget } from './database-target';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `usage:
  npm run db:migrate
  npm run db:seed -- [--tenants N] [--requests-per-day N] [--days N] [--seed N] [--reset]
  npm run aggregate -- [--from YYYY-MM-DD --to YYYY-MM-DD]   (default: the nightly run's window)`;

function integerArg(name: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      tenants: { type: 'string' },
      'requests-per-day': { type: 'string' },
      days: { type: 'string' },
      seed: { type: 'string' },
      reset: { type: 'boolean', default: false },
      from: { type: 'string' },
      to: { type: 'string' },
    },
  });
  if (command !== 'migrate' && command !== 'seed' && command !== 'aggregate') throw new Error(USAGE);
  if ((values.from === undefined) !== (values.to === undefined)) throw new Error('--from and --to go together');

  const target = await openDbTarget();
  try {
    console.log(`database: ${target.description}`);
    const report = await migrate(target.db, loadMigrations(), (line) => console.log(line));
    console.log(`migrations: ${report.applied.length} applied, ${report.alreadyApplied.length} already applied`);
    if (command === 'seed') {
      const started = Date.now();
      const seeded = await seedDemoData(target.db, {
        tenants: integerArg('tenants', values.tenants, 1),
        requestsPerDay: integerArg('requests-per-day', values['requests-per-day'], 0),
        days: integerArg('days', values.days, 1),
        seed: integerArg('seed', values.seed, 0),
        reset: values.reset,
        onProgress: (message) => console.log(message),
      });
      console.log(JSON.stringify(seeded.counts));
      console.log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    if (command === 'aggregate') {
      // The job's own code path, with the job's window rules; only the trigger differs.
      const event = values.from ? { from: values.from, to: values.to } : {};
      const window = { ...aggregationWindow(event, DEFAULT_LOOKBACK_DAYS, new Date()), trigger: 'manual' as const };
      const report = await runAggregation({ db: target.db, logger, now: () => new Date() }, window);
      console.log(JSON.stringify(report));
    }
  } finally {
    await target.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
