/**
 * `npm run bench`: every performance figure of the project in one run, written to
 * docs/benchmarks.md (and bench/results/bench.json). Where the machine's speed matters the
 * figures are ratios to a baseline measured in the same run. Exits 1 when a budget breaks:
 * a bundle over 350 KB minified, more than one Data API call on a read route, a local p99 over
 * 100 ms on a list route. The aggregation targets are reported (and listed when missed).
 *
 * Knobs (defaults are the documented sizes): BENCH_TENANTS, BENCH_CONNECTIONS, BENCH_SECONDS,
 * BENCH_ROWS_PER_DAY, BENCH_CHECKPOINTS, BENCH_BACKENDS (pglite[,postgres], postgres needs
 * DATABASE_URL), BENCH_SKIP (comma list of: bundles,load,aggregation,frontend).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { benchAggregation, type AggregationBenchReport } from './aggregation';
import { BUNDLE_BUDGET_BYTES, benchBundles, type BundleFigures } from './bundles';
import { benchFrontend, type PageFirstLoad } from './frontend';
import { benchLocalStack, type LocalStackReport } from './local-stack';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const P99_BUDGET_MS = 100;
const skip = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)}`;

/** The previous run's raw figures (bench/results/bench.json), if any. */
function previousRun(): { started: string; aggregation?: AggregationBenchReport } | undefined {
  const file = join(__dirname, 'results', 'bench.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { started: string; aggregation?: AggregationBenchReport }) : undefined;
}

async function main(): Promise<void> {
  const started = new Date();
  const failures: string[] = [];
  const sections: string[] = [];

  let bundles: BundleFigures[] | undefined;
  if (!skip.has('bundles')) {
    bundles = await benchBundles();
    sections.push(
      [
        '## Lambda bundles',
        '',
        'Built with the CDK app’s bundling options (`HOUSE_BUNDLING`: ESM, minified, node24, the SDK bundled). The baseline bundle only creates the same SDK clients; import time is the median cold `import()` in a fresh Node process.',
        '',
        '| handler | minified KB | gzip KB | baseline KB | cold import ms | × baseline |',
        '|---|---|---|---|---|---|',
        ...bundles.map((b) => `| ${b.entry} | ${kb(b.minifiedBytes)} | ${kb(b.gzipBytes)} | ${kb(b.baselineBytes)} | ${b.importMs.toFixed(1)} | ${b.importRatio.toFixed(2)} |`),
      ].join('\n'),
    );
    for (const b of bundles) if (b.minifiedBytes > BUNDLE_BUDGET_BYTES) failures.push(`${b.entry}: ${kb(b.minifiedBytes)} KB minified (budget 350 KB)`);
  }

  let load: LocalStackReport | undefined;
  if (!skip.has('load')) {
    load = await benchLocalStack();
    sections.push(
      [
        '## API through the local gateway',
        '',
        `\`npm run dev -- --no-web\` on ${load.tenants.toLocaleString('en')} seeded tenants; autocannon, ${load.connections} connections, ${load.seconds} s per route, a real ID token, the rate limits counting every request (one conditional DynamoDB write each, limits raised out of reach); Data API calls counted by the local endpoint over 10 requests; CPU of the whole stack (gateway, functions, database, DynamoDB) per request from /proc.`,
        `\`npm run dev\` ready: **${(load.devReadyFreshMs / 1000).toFixed(1)} s** on a fresh data directory (migrations + demo seed), **${(load.devReadyReuseMs / 1000).toFixed(1)} s** reusing data.`,
        '',
        '| route | Data API calls / request | p50 ms | p99 ms | requests/s | stack CPU ms / request | p99 × bare SELECT 1 |',
        '|---|---|---|---|---|---|---|',
        `| bare Data API \`SELECT 1\` (same endpoint) | 1 | ${load.bareSelect1.p50} | ${load.bareSelect1.p99} | ${Math.round(load.bareSelect1.requestsPerSecond)} | – | 1.00 |`,
        ...load.routes.map((r) => `| ${r.route}${r.list ? ' (list)' : ''} | ${r.callsPerRequest} | ${r.p50} | ${r.p99} | ${Math.round(r.requestsPerSecond)} | ${r.cpuMsPerRequest ?? '–'} | ${(r.p99 / Math.max(1, load!.bareSelect1.p99)).toFixed(2)} |`),
      ].join('\n'),
    );
    for (const r of load.routes) {
      if (r.callsPerRequest > 1) failures.push(`${r.route}: ${r.callsPerRequest} Data API calls per request (budget 1)`);
      if (r.list && r.p99 > P99_BUDGET_MS) failures.push(`${r.route}: p99 ${r.p99} ms (budget ${P99_BUDGET_MS} ms for list routes)`);
      if (r.non2xx > 0) failures.push(`${r.route}: ${r.non2xx} non-2xx answers under load`);
    }
  }

  let aggregation: AggregationBenchReport | undefined;
  if (!skip.has('aggregation')) {
    aggregation = await benchAggregation();
    sections.push(['## Nightly aggregation', '', aggregation.table, '', ...aggregation.failures.map((f) => `- target missed: ${f}`)].join('\n'));
    failures.push(...aggregation.failures.map((f) => `aggregation: ${f}`));
  } else {
    // Skipped (the longest part): the previous run's figures stay in the document, dated, so a
    // partial run never drops them silently.
    const previous = previousRun();
    if (previous?.aggregation) {
      aggregation = previous.aggregation;
      sections.push(['## Nightly aggregation', '', `*Not re-run (BENCH_SKIP=aggregation): the figures of the run of ${String(previous.started).slice(0, 16).replace('T', ' ')} UTC.*`, '', aggregation.table, '', ...aggregation.failures.map((f) => `- target missed: ${f}`)].join('\n'));
      failures.push(...aggregation.failures.map((f) => `aggregation (${String(previous.started).slice(0, 10)}): ${f}`));
    }
  }

  let frontend: PageFirstLoad[] | undefined;
  if (!skip.has('frontend')) {
    frontend = benchFrontend();
    sections.push(
      ['## Web app first-load JavaScript', '', '| page | scripts | KB | gzip KB |', '|---|---|---|---|', ...frontend.map((f) => `| ${f.page} | ${f.scripts} | ${kb(f.bytes)} | ${kb(f.gzipBytes)} |`)].join('\n'),
    );
  }

  // The variables that change what runs (the database URL only as a mark: it holds a password).
  const databaseUrl = process.env.DATABASE_URL ? 'DATABASE_URL=postgres://… ' : '';
  const command = `${databaseUrl}${Object.entries(process.env).filter(([k]) => k.startsWith('BENCH_')).map(([k, v]) => `${k}=${v} `).join('')}npm run bench`;
  const doc = [
    '# Benchmarks',
    '',
    `Produced by \`${command}\` on ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC — ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}. Raw figures: \`bench/results/bench.json\`.`,
    '',
    failures.length === 0 ? 'All budgets held.' : `**Budgets or targets missed (${failures.length}):**\n\n${failures.map((f) => `- ${f}`).join('\n')}`,
    '',
    ...sections.flatMap((s) => [s, '']),
  ].join('\n');

  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'bench.json'), JSON.stringify({ started, command, bundles, load, aggregation, frontend, failures }, null, 2));
  writeFileSync(join(__dirname, '..', 'docs', 'benchmarks.md'), doc);
  console.log(doc);
  if (failures.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
