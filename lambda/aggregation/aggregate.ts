import * as z from '../shared/zod';
import { recordMetric } from '../shared/metrics';
import type { Db } from '../shared/db';
import type { AppLogger } from '../shared/logger';
import { PERIOD_DAYS } from '../shared/period';
import {
  aggregateDay,
  ALL_TENANTS,
  estimateDayRequests,
  finishRun,
  type IncidentThresholds,
  raiseErrorRateIncidents,
  raiseQuotaIncidents,
  refreshAgentCounters,
  refreshTenantCounters,
  type RunTotals,
  type RunTrigger,
  startRun,
  summarizeRequestLog,
  type TenantRange,
} from './aggregation-repository';

const DAY_MS = 86_400_000;

/**
 * Requests one statement aggregates at most. A statement of ~1M rows takes a few seconds on
 * Aurora, so this keeps every Data API call far inside its 45 s limit; bigger days are split
 * into tenant ranges. The answer is a handful of counters, never near the 1 MiB limit.
 */
export const ROWS_PER_STATEMENT = 2_000_000;
/** Days the agents' and tenants' "last 30 days" counters cover, ending yesterday: the API's '30d' period. */
const COUNTER_DAYS = PERIOD_DAYS['30d'];
/** A backfill longer than this is refused: run it as several. */
export const MAX_BACKFILL_DAYS = 366;

/** Days the nightly run recomputes, ending yesterday (the day before too, for late rows). */
export const DEFAULT_LOOKBACK_DAYS = 2;

export const DEFAULT_THRESHOLDS: IncidentThresholds = { quotaFractions: [0.8, 1], errorRate: 0.05, minRequests: 100 };

export interface AggregationWindow {
  from: string;
  to: string;
  trigger: RunTrigger;
}

const DaySchema = z.iso.date({ message: 'must be a date, YYYY-MM-DD' });

/** A backfill: `{ "from": "YYYY-MM-DD", "to": "YYYY-MM-DD" }`, both days included. */
export const BackfillEventSchema = z.object({ from: DaySchema, to: DaySchema }).check(
  z.refine((w) => w.from <= w.to, { message: '"from" must not be after "to"', path: ['from'] }),
  z.refine((w) => daysBetween(w.from, w.to) < MAX_BACKFILL_DAYS, { message: `at most ${MAX_BACKFILL_DAYS} days per run`, path: ['to'] }),
);

/** EventBridge's scheduled event: its `time` says which night it is. */
const ScheduledEventSchema = z.looseObject({ time: z.optional(z.iso.datetime({ offset: true })) });

/**
 * Which days a run covers. An event naming `from` or `to` is a backfill and must be a valid one
 * (a typo must not silently become a nightly run). Otherwise it is the nightly run: the
 * `lookbackDays` complete UTC days before the event's day (default 2: yesterday, and the day
 * before for late rows).
 */
export function aggregationWindow(event: unknown, lookbackDays: number, now: Date): AggregationWindow {
  const input = event ?? {};
  if (typeof input === 'object' && ('from' in input || 'to' in input)) {
    const range = BackfillEventSchema.parse(input);
    return { from: range.from, to: range.to, trigger: 'backfill' };
  }
  const { time } = ScheduledEventSchema.parse(input);
  const at = time ? new Date(time) : now;
  const today = Math.floor(at.getTime() / DAY_MS) * DAY_MS;
  return { from: isoDay(today - lookbackDays * DAY_MS), to: isoDay(today - DAY_MS), trigger: 'schedule' };
}

export interface AggregationDeps {
  db: Db;
  logger: AppLogger;
  now: () => Date;
  thresholds?: IncidentThresholds;
  rowsPerStatement?: number;
}

export interface AggregationReport extends RunTotals {
  runId: string;
  from: string;
  to: string;
  days: number;
  durationMs: number;
}

/**
 * Aggregates every day of the window (oldest first), then, when the window reaches yesterday,
 * refreshes the agents' 30-day counters and raises or resolves incidents as of yesterday. A
 * backfill of older days changes history but raises nothing about today. The run is recorded in
 * aggregation_runs and operational_events; a failure is recorded and rethrown, so the Lambda
 * invocation fails (and its alarm fires).
 */
export async function runAggregation(deps: AggregationDeps, window: AggregationWindow): Promise<AggregationReport> {
  const started = performance.now();
  const thresholds = deps.thresholds ?? DEFAULT_THRESHOLDS;
  const totals: RunTotals = { statements: 0, rowsRead: 0, rowsWritten: 0, rowsDeleted: 0, rowsSkipped: 0, incidentsOpened: 0, incidentsResolved: 0 };
  const days = dayRange(window.from, window.to);
  const runId = await startRun(deps.db, window.trigger, window.from, window.to);
  deps.logger.appendKeys({ aggregation_run: runId });

  try {
    const summarized = await summarizeRequestLog(deps.db);
    deps.logger.debug('request log summarized', { block_ranges: summarized });
    for (const day of days) {
      const ranges = tenantRanges(Math.ceil((await estimateDayRequests(deps.db, day)) / (deps.rowsPerStatement ?? ROWS_PER_STATEMENT)));
      for (const range of ranges) {
        const result = await aggregateDay(deps.db, day, range);
        totals.statements++;
        totals.rowsRead += result.rows_read;
        totals.rowsWritten += result.rows_written;
        totals.rowsDeleted += result.rows_deleted;
        totals.rowsSkipped += result.rows_read - result.rows_kept;
      }
      deps.logger.debug('day aggregated', { day, statements: ranges.length });
    }

    const yesterdayMs = Math.floor(deps.now().getTime() / DAY_MS) * DAY_MS - DAY_MS;
    const yesterday = isoDay(yesterdayMs);
    // The 30-day counters (agents, tenants) cover the 30 days ending yesterday, the window the
    // API shows: refreshed whenever this run changed one of those days, a backfill included.
    if (window.to >= isoDay(yesterdayMs - (COUNTER_DAYS - 1) * DAY_MS) && window.from <= yesterday) {
      await refreshAgentCounters(deps.db, yesterday);
      await refreshTenantCounters(deps.db, yesterday);
    }
    if (window.to >= yesterday) {
      for (const result of [await raiseQuotaIncidents(deps.db, window.to, thresholds), await raiseErrorRateIncidents(deps.db, window.to, thresholds)]) {
        totals.incidentsOpened += result.opened;
        totals.incidentsResolved += result.resolved;
      }
    }

    const durationMs = performance.now() - started;
    await finishRun(deps.db, runId, { totals, durationMs });
    const report = { runId, from: window.from, to: window.to, days: days.length, durationMs, ...totals };
    deps.logger.info('aggregation succeeded', { ...report, rows_per_second: Math.round(totals.rowsRead / (durationMs / 1000)) });
    recordMetric('aggregationRowsRead', totals.rowsRead);
    recordMetric('aggregationRowsWritten', totals.rowsWritten);
    recordMetric('aggregationDuration', Math.round(durationMs));
    recordMetric('incidentsOpened', totals.incidentsOpened);
    return report;
  } catch (error) {
    const durationMs = performance.now() - started;
    deps.logger.error('aggregation failed', error as Error);
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    await finishRun(deps.db, runId, { totals, durationMs, error: message.slice(0, 2000) }).catch((ledgerError: unknown) =>
      deps.logger.error('could not record the failed run', ledgerError as Error),
    );
    throw error;
  } finally {
    deps.logger.removeKeys(['aggregation_run']);
  }
}

/** `count` contiguous tenant-id ranges covering every uuid (split on the first 32 bits). */
export function tenantRanges(count: number): TenantRange[] {
  if (count <= 1) return [ALL_TENANTS];
  const bound = (i: number) => `${Math.floor((i * 0x1_0000_0000) / count).toString(16).padStart(8, '0')}-0000-0000-0000-000000000000`;
  return Array.from({ length: count }, (_, i) => ({ lo: bound(i), hi: i === count - 1 ? null : bound(i + 1) }));
}

export function dayRange(from: string, to: string): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: daysBetween(from, to) + 1 }, (_, i) => isoDay(start + i * DAY_MS));
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The UTC day (YYYY-MM-DD) of an epoch-milliseconds instant. */
export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
