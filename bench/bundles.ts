/**
 * Each Lambda's bundle, built with the CDK app's own bundling options (HOUSE_BUNDLING), next to a
 * baseline bundle that only creates the same AWS SDK clients: sizes (minified and gzip) and cold
 * import time in a fresh Node process, as a ratio to the baseline measured in the same run.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions } from 'esbuild';
import { HOUSE_ALIASES, HOUSE_BUNDLING, PROJECT_ROOT } from '../lib/constructs/app-function';
import { COMMAND_PROCESSOR, COMMAND_SWEEPER } from '../lambda/commands/declaration';
import { ROUTES } from '../lambda/routes';
import { SCHEDULES } from '../lambda/schedules';

export const BUNDLE_BUDGET_BYTES = 350 * 1024;
const IMPORT_RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 7);

/** The SDK clients a bundle may create, and how the baseline creates them. */
const CLIENTS: Record<string, string> = {
  '@aws-sdk/client-rds-data': "import { RDSDataClient } from '@aws-sdk/client-rds-data'; clients.push(new RDSDataClient({}));",
  '@aws-sdk/lib-dynamodb': "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'; clients.push(DynamoDBDocumentClient.from(new DynamoDBClient({})));",
  '@aws-sdk/client-secrets-manager': "import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'; clients.push(new SecretsManagerClient({}));",
};

export interface BundleFigures {
  entry: string;
  minifiedBytes: number;
  gzipBytes: number;
  baselineBytes: number;
  importMs: number;
  baselineImportMs: number;
  importRatio: number;
  sdkClients: string[];
}

/** The CDK bundling options as esbuild options (the same tool NodejsFunction runs). */
function esbuildOptions(): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: HOUSE_BUNDLING.target,
    mainFields: HOUSE_BUNDLING.mainFields,
    banner: { js: HOUSE_BUNDLING.banner! },
    minify: HOUSE_BUNDLING.minify,
    tsconfig: HOUSE_BUNDLING.tsconfig,
    alias: { ...HOUSE_ALIASES },
    // What Powertools' layer provides (the Tracer), as NodejsFunction leaves it out.
    external: [...(HOUSE_BUNDLING.externalModules ?? [])],
    write: false,
    metafile: true,
    logLevel: 'silent',
  };
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/** Median time for a fresh Node process to import the module (process start excluded). */
function coldImportMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now() - t);`;
  const runs = Array.from({ length: IMPORT_RUNS }, () =>
    Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, AWS_REGION: 'us-east-1', DB_CLUSTER_ARN: 'x', DB_SECRET_ARN: 'x', COMMANDS_TABLE: 'x', LOG_LEVEL: 'SILENT' } }).toString().trim()),
  );
  return median(runs);
}

export async function benchBundles(): Promise<BundleFigures[]> {
  const entries = [...new Set([...ROUTES.map((r) => r.handler), COMMAND_PROCESSOR.handler, COMMAND_SWEEPER.handler, ...SCHEDULES.map((s) => s.handler)])];
  const dir = mkdtempSync(join(tmpdir(), 'painel-bench-bundles-'));
  const figures: BundleFigures[] = [];
  try {
    for (const entry of entries) {
      const result = await build({ ...esbuildOptions(), entryPoints: [join(PROJECT_ROOT, 'lambda', entry)] });
      const code = result.outputFiles![0]!.contents;
      const inputs = Object.keys(result.metafile!.inputs);
      const sdkClients = Object.keys(CLIENTS).filter((pkg) => inputs.some((input) => input.includes(`node_modules/${pkg}/`)));

      const baseline = await build({
        ...esbuildOptions(),
        stdin: { contents: `const clients = []; ${sdkClients.map((pkg) => CLIENTS[pkg]).join(' ')} export const handler = async () => clients.length;`, resolveDir: PROJECT_ROOT, loader: 'js' },
      });
      const baselineCode = baseline.outputFiles![0]!.contents;

      const name = entry.replace(/[/.]/g, '_');
      mkdirSync(join(dir, name));
      const file = join(dir, name, 'index.mjs');
      const baselineFile = join(dir, name, 'baseline.mjs');
      writeFileSync(file, code);
      writeFileSync(baselineFile, baselineCode);
      const importMs = coldImportMs(file);
      const baselineImportMs = coldImportMs(baselineFile);
      figures.push({
        entry,
        minifiedBytes: code.byteLength,
        gzipBytes: gzipSync(code).byteLength,
        baselineBytes: baselineCode.byteLength,
        importMs,
        baselineImportMs,
        importRatio: importMs / baselineImportMs,
        sdkClients,
      });
      console.error(`[bundles] ${entry}: ${(code.byteLength / 1024).toFixed(0)} KB (baseline ${(baselineCode.byteLength / 1024).toFixed(0)} KB), import ${importMs.toFixed(1)} ms (×${(importMs / baselineImportMs).toFixed(2)})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

if (require.main === module) {
  benchBundles()
    .then((figures) => console.log(JSON.stringify(figures, null, 2)))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
