/**
 * `npm run synth:prod`: one real `cdk synth -c env=prod` (esbuild bundling, offline) into cdk.out,
 * then a check of every handler bundle the house construct produced (`index.mjs`):
 *   - its minified size must stay under the budget (the SDK is bundled, so a careless import shows
 *     up here first); the table printed is the one in docs/performance.md;
 *   - it must load in Node as an ES module (the require banner, the aliases, nothing left external);
 *   - the migrations custom resource's bundle must apply the shipped SQL files to a fresh database
 *     through the (local) Data API, as it does at deploy time.
 * `--no-synth` checks an existing cdk.out.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadMigrations } from '@database/migrate';
import { LOCAL_CREDENTIALS, REGION } from '@local/config';
import { handlerEnvironment, startLocalDatabase } from '@local/data-api';
import { secretsHandlerEnvironment, startLocalSecretsManager } from '@local/secrets-manager';
import { READER_ROLE } from '@shared/function-access';

// The SDK warns on Node 20 (this machine); the functions themselves run Node 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, 'cdk.out');
const BUDGET_BYTES = 350 * 1024;

interface Bundle {
  stack: string;
  path: string;
  file: string;
  bytes: number;
  gzipBytes: number;
}

function synth(): void {
  const started = Date.now();
  const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'cdk'), ['synth', '-c', 'env=prod', '-c', 'alarmEmail=ops@example.com', '--no-notices', '--quiet', '--output', OUT], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`cdk synth failed (exit ${result.status})`);
  console.log(`synth with bundling: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Every Lambda function whose asset holds an index.mjs, from the synthesized templates. */
function findBundles(): Bundle[] {
  const bundles: Bundle[] = [];
  for (const templateFile of readdirSync(OUT).filter((f) => f.endsWith('.template.json'))) {
    const template = JSON.parse(readFileSync(join(OUT, templateFile), 'utf8')) as { Resources: Record<string, { Type: string; Metadata?: Record<string, string> }> };
    for (const resource of Object.values(template.Resources)) {
      const assetPath = resource.Metadata?.['aws:asset:path'];
      if (resource.Type !== 'AWS::Lambda::Function' || !assetPath) continue;
      const file = join(OUT, assetPath, 'index.mjs');
      if (!existsSync(file)) continue;
      const code = readFileSync(file);
      bundles.push({
        stack: templateFile.replace('.template.json', ''),
        path: resource.Metadata!['aws:cdk:path']!.split('/').slice(1, -2).join('/'),
        file,
        bytes: code.length,
        gzipBytes: gzipSync(code, { level: 9 }).length,
      });
    }
  }
  return bundles.sort((a, b) => `${a.stack}/${a.path}`.localeCompare(`${b.stack}/${b.path}`));
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

/**
 * Loads each bundle in a fresh Node process with placeholder configuration (no call is made), once
 * as a stage without tracing runs it and once as prod does: POWERTOOLS_TRACE_ENABLED=true, with
 * this project's node_modules on NODE_PATH standing in for the Powertools layer's
 * /opt/nodejs/node_modules (the Tracer is not in the bundle; it must resolve from there).
 */
function loadEach(bundles: Bundle[]): string[] {
  return [...loadEachWith(bundles, {}), ...loadEachWith(bundles, { POWERTOOLS_TRACE_ENABLED: 'true', NODE_PATH: join(ROOT, 'node_modules') }).map((failure) => `${failure} (with tracing)`)];
}

function loadEachWith(bundles: Bundle[], extra: Record<string, string>): string[] {
  const env = {
    ...process.env,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'check',
    AWS_SECRET_ACCESS_KEY: 'check',
    DB_CLUSTER_ARN: 'arn:aws:rds:us-east-1:000000000000:cluster:check',
    DB_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:check',
    DB_NAME: 'painel',
    COMMANDS_TABLE: 'check',
    LOG_LEVEL: 'SILENT',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  };
  const failures: string[] = [];
  for (const bundle of bundles) {
    try {
      execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(bundle.file)}); if (typeof m.handler !== 'function') throw new Error('no handler export');`], {
        env,
        stdio: 'pipe',
      });
    } catch (error) {
      failures.push(`${bundle.path}: does not load: ${String((error as { stderr?: Buffer }).stderr ?? error).split('\n').slice(0, 6).join(' ')}`);
    }
  }
  return failures;
}

/**
 * Runs the bundled migrations handler (a CloudFormation Create) against a fresh embedded database,
 * with the read-only role's secret in the local Secrets Manager: the migrations apply and the role
 * gets its login, as at deploy time.
 */
async function migrateWithBundle(bundle: Bundle): Promise<string[]> {
  const local = await startLocalDatabase();
  const secrets = await startLocalSecretsManager({ port: 0 });
  const client = new SecretsManagerClient({ endpoint: secrets.endpoint, region: REGION, credentials: LOCAL_CREDENTIALS });
  try {
    const reader = await client.send(new CreateSecretCommand({ Name: 'check/reader', SecretString: JSON.stringify({ username: READER_ROLE, password: 'Check-Reader-Pw1!' }) }));
    const event = { RequestType: 'Create', ResourceProperties: {}, StackId: 'check', RequestId: 'check', LogicalResourceId: 'Migrations', ResourceType: 'Custom::DatabaseMigrations' };
    // Asynchronously: the local Data API answers from this process's event loop.
    const { stdout: output } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', `const m = await import(${JSON.stringify(bundle.file)}); console.log(JSON.stringify(await m.handler(${JSON.stringify(event)})));`],
      {
        env: { ...process.env, ...handlerEnvironment(local), ...secretsHandlerEnvironment(secrets), DB_READER_SECRET_ARN: reader.ARN!, LOG_LEVEL: 'WARN', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        timeout: 120_000,
      },
    );
    const response = JSON.parse(output.trim().split('\n').pop()!) as { Data?: { applied: number } };
    const expected = loadMigrations().length;
    const rows = await local.db.query('SELECT count(*)::int AS n FROM alquimista_platform.schema_migrations');
    const applied = (rows[0] as { n: number }).n;
    if (response.Data?.applied !== expected || applied !== expected) return [`migrations bundle applied ${response.Data?.applied} files (ledger: ${applied}), expected ${expected}`];
    const [role] = await local.db.query<{ login: boolean }>(`SELECT rolcanlogin AS login FROM pg_roles WHERE rolname = '${READER_ROLE}'`);
    if (!role?.login) return [`migrations bundle did not give ${READER_ROLE} its login from the reader secret`];
    console.log(`migrations bundle: applied ${applied} migration files to a fresh database through the Data API; ${READER_ROLE} can log in`);
    return [];
  } finally {
    client.destroy();
    await secrets.stop();
    await local.stop();
  }
}

async function main(): Promise<void> {
  if (!process.argv.includes('--no-synth')) synth();
  const bundles = findBundles();
  if (bundles.length === 0) throw new Error(`no handler bundles found in ${relative(ROOT, OUT)}`);

  console.log(`\n| function | minified | gzip |\n|---|---:|---:|`);
  for (const bundle of bundles) console.log(`| ${bundle.stack.replace(/^Painel-prod-/, '')}/${bundle.path} | ${kb(bundle.bytes)} | ${kb(bundle.gzipBytes)} |`);
  console.log(`\n${bundles.length} bundles; budget ${kb(BUDGET_BYTES)} minified each; largest ${kb(Math.max(...bundles.map((b) => b.bytes)))}`);

  const failures = bundles.filter((b) => b.bytes > BUDGET_BYTES).map((b) => `${b.path}: ${kb(b.bytes)} exceeds the ${kb(BUDGET_BYTES)} budget`);
  failures.push(...loadEach(bundles));
  const migrations = bundles.find((b) => b.path.endsWith('Migrations/Runner'));
  if (!migrations) failures.push('the migrations runner bundle was not found');
  else if (!existsSync(join(migrations.file, '..', 'migrations')) || statSync(join(migrations.file, '..', 'migrations')).isFile()) failures.push('the migrations runner asset has no migrations/ folder');
  else failures.push(...(await migrateWithBundle(migrations)));

  if (failures.length > 0) {
    console.error(`\nbundle check failed:\n- ${failures.join('\n- ')}`);
    process.exit(1);
  }
  console.log('bundle check passed');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
