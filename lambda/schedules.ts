import { COMMAND_SWEEPER } from './commands/declaration';

/**
 * Every scheduled job, once, as plain data: the CDK jobs stack creates an EventBridge rule per
 * entry and the local runtime's scheduler runs the same handlers on the same expressions.
 * Expressions use EventBridge syntax (`cron(min hour day-of-month month day-of-week year)`,
 * `rate(n unit)`), always UTC.
 */
export interface ScheduleDeclaration {
  readonly id: string;
  /** Entry file under lambda/, exporting `handler`. */
  readonly handler: string;
  readonly expression: string;
  readonly description: string;
}

export const SCHEDULES = [
  {
    id: 'aggregateDailyMetrics',
    handler: 'jobs/aggregate-daily-metrics.ts',
    expression: 'cron(0 2 * * ? *)',
    description: "Aggregates yesterday's (and the day before's) agent requests into tenant_usage_daily; raises incidents",
  },
  {
    id: 'sweepCommands',
    handler: COMMAND_SWEEPER.handler,
    expression: COMMAND_SWEEPER.schedule,
    description: 'Ends operational commands stuck RUNNING past their deadline or never processed',
  },
] as const satisfies readonly ScheduleDeclaration[];
