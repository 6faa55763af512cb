import type { Context } from 'aws-lambda';
import * as z from '../shared/zod';
import { aggregationWindow, DEFAULT_LOOKBACK_DAYS, runAggregation, type AggregationReport } from '../aggregation/aggregate';
import { getDb } from '../shared/db';
import { loadEnv } from '../shared/env';
import { logger } from '../shared/logger';
import { withTrace } from '../shared/tracer';

const env = loadEnv(
  z.object({
    /** Days recomputed by the nightly run, ending yesterday: late rows of the day before still count. */
    AGGREGATION_LOOKBACK_DAYS: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(31)), DEFAULT_LOOKBACK_DAYS),
  }),
);
const db = getDb();

/**
 * EventBridge cron (SCHEDULES.aggregateDailyMetrics) or a backfill event `{ from, to }`:
 * `aws lambda invoke --payload '{"from":"2026-10-01","to":"2026-10-31"}'`, or locally
 * `npm run aggregate -- --from 2026-10-01 --to 2026-10-31`.
 */
export const handler = async (event: unknown, context?: Context): Promise<AggregationReport> => {
  if (context) logger.addContext(context);
  const window = aggregationWindow(event, env.AGGREGATION_LOOKBACK_DAYS, new Date());
  return withTrace('aggregateDailyMetrics', { trigger: window.trigger, from: window.from, to: window.to }, () => runAggregation({ db, logger, now: () => new Date() }, window));
};
