import { COMMAND_SWEEPER } from './commands/declaration';
import type { FunctionAccess } from './shared/function-access';

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
  /** The function's timeout, seconds (Lambda allows at most 900). */
  readonly timeoutSeconds: number;
  /** What the job's function may touch. */
  readonly access: FunctionAccess;
}

export const SCHEDULES = [
  {
    id: 'aggregateDailyMetrics',
    handler: 'jobs/aggregate-daily-metrics.ts',
    expression: 'cron(0 2 * * ? *)',
    description: "Aggregates yesterday's (and the day before's) agent requests into tenant_usage_daily; raises incidents",
    // A backfill of many days (or a day split into tenant ranges) runs statement after statement.
    timeoutSeconds: 15 * 60,
    access: { database: 'writer' },
  },
  {
    id: 'sweepCommands',
    handler: COMMAND_SWEEPER.handler,
    expression: COMMAND_SWEEPER.schedule,
    description: 'Runs again operational commands left RUNNING, ends those that cannot finish, with their audit rows',
    // A batch of re-drives, each bounded by the command timeout.
    timeoutSeconds: 5 * 60,
    access: { database: 'writer', commandsTable: 'readWrite', commandEffects: true },
  },
] as const satisfies readonly ScheduleDeclaration[];
