import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { COMMAND_PROCESSOR } from '../../lambda/commands/declaration';
import { SCHEDULES } from '../../lambda/schedules';
import type { StageConfig } from '../config';
import { connectFunction, type DatabaseRef } from '../constructs/access';
import { type AlarmSink, atLeastOnce } from '../constructs/alarms';
import { AppFunction } from '../constructs/app-function';
import { StageDashboard } from '../constructs/dashboard';

export interface JobsStackProps extends StackProps {
  readonly config: StageConfig;
  readonly database: DatabaseRef;
  /** The commands table, with its stream. */
  readonly commandsTable: dynamodb.ITable;
  readonly alarms: AlarmSink;
  /** The stage's other stacks, whose resources the dashboard finds by name prefix. */
  readonly stackNames: { readonly api: string; readonly data: string };
}

type ScheduleId = (typeof SCHEDULES)[number]['id'];

/**
 * "The nightly aggregation did not run": no invocation in this many consecutive hours. Longer than
 * a day, so the run of 02:00 UTC is still in the window when the next one is a few minutes late
 * (a one-day window flaps every night around 02:00).
 */
export const AGGREGATION_MISSING_HOURS = 26;

/**
 * The asynchronous side: the commands-stream processor (its event source mapping as declared in
 * lambda/commands/declaration.ts) with its on-failure queue, the scheduled jobs of
 * lambda/schedules.ts, the alarms that say when any of it goes wrong, and the stage's dashboard.
 */
export class JobsStack extends Stack {
  readonly processor: AppFunction;
  readonly processorFailures: sqs.Queue;
  readonly scheduled: Record<ScheduleId, AppFunction>;
  readonly dashboard: StageDashboard;

  constructor(scope: Construct, id: string, props: JobsStackProps) {
    super(scope, id, props);
    const { config, commandsTable, alarms } = props;
    const resources = { database: props.database, commandsTable };

    // ── Commands processor ──────────────────────────────────────────────────────────────────
    this.processor = new AppFunction(this, 'CommandProcessor', {
      config,
      alarms,
      entry: COMMAND_PROCESSOR.handler,
      description: 'Runs operational commands from the commands table stream',
      timeout: Duration.seconds(COMMAND_PROCESSOR.functionTimeoutSeconds),
    });
    connectFunction(this.processor, COMMAND_PROCESSOR.access, resources, config);

    this.processorFailures = new sqs.Queue(this, 'CommandProcessorFailures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    NagSuppressions.addResourceSuppressions(this.processorFailures, [
      { id: 'AwsSolutions-SQS3', reason: "This queue is itself the dead-letter destination: the stream mapping's on-failure destination for records that exhausted their retries or maximum age." },
    ]);

    this.processor.fn.addEventSource(
      new DynamoEventSource(commandsTable, {
        startingPosition: lambda.StartingPosition[COMMAND_PROCESSOR.startingPosition],
        batchSize: COMMAND_PROCESSOR.batchSize,
        maxBatchingWindow: Duration.seconds(COMMAND_PROCESSOR.maxBatchingWindowSeconds),
        parallelizationFactor: COMMAND_PROCESSOR.parallelizationFactor,
        reportBatchItemFailures: COMMAND_PROCESSOR.reportBatchItemFailures,
        bisectBatchOnError: COMMAND_PROCESSOR.bisectBatchOnError,
        retryAttempts: COMMAND_PROCESSOR.retryAttempts,
        maxRecordAge: Duration.seconds(COMMAND_PROCESSOR.maxRecordAgeSeconds),
        onFailure: new SqsDlq(this.processorFailures),
        filters: COMMAND_PROCESSOR.filters.map((pattern) => lambda.FilterCriteria.filter(pattern)),
      }),
    );
    NagSuppressions.addResourceSuppressions(
      this.processor.role,
      [{ id: 'AwsSolutions-IAM5', reason: 'Reading a DynamoDB stream needs dynamodb:ListStreams, which has no resource-level permissions (granted by the event source; the stream actions themselves are on the stream ARN).', appliesTo: ['Resource::*'] }],
      true,
    );

    // ── Scheduled jobs ──────────────────────────────────────────────────────────────────────
    const scheduled: Partial<Record<ScheduleId, AppFunction>> = {};
    for (const schedule of SCHEDULES) {
      const fn = new AppFunction(this, schedule.id, { config, alarms, entry: schedule.handler, description: schedule.description, timeout: Duration.seconds(schedule.timeoutSeconds) });
      connectFunction(fn, schedule.access, resources, config);
      new events.Rule(this, `${schedule.id}Schedule`, {
        description: schedule.description,
        schedule: events.Schedule.expression(schedule.expression),
        // Both jobs are idempotent, so EventBridge's and Lambda's retries are safe.
        targets: [new targets.LambdaFunction(fn.fn, { retryAttempts: 2, maxEventAge: Duration.hours(2) })],
      });
      scheduled[schedule.id] = fn;
    }
    this.scheduled = scheduled as Record<ScheduleId, AppFunction>;

    // ── Alarms ──────────────────────────────────────────────────────────────────────────────
    const fiveMinutes = Duration.minutes(5);
    const whenItHappens = { ...atLeastOnce, treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING };

    alarms.add(
      this.processor.fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }).createAlarm(this, 'CommandProcessorErrorsAlarm', {
        ...whenItHappens,
        alarmDescription: 'The commands processor failed an invocation (a thrown error or a timeout); its records are retried, then go to the failures queue.',
      }),
    );
    // Messages *sent* in the period, not messages *visible*: a visible message stays for the queue's
    // 14-day retention, and an alarm on it would stay in ALARM (and hide the next failure) until
    // someone purged the queue. docs/operations.md, "The commands processor's failure queue", says how to inspect and redrive it.
    alarms.add(
      this.processorFailures.metricNumberOfMessagesSent({ period: fiveMinutes, statistic: 'Sum' }).createAlarm(this, 'CommandProcessorFailuresAlarm', {
        ...whenItHappens,
        alarmDescription: 'Stream records the processor never completed were sent to the failures queue; their commands end in ERROR by the sweeper. Inspect the queue (docs/operations.md).',
      }),
    );
    alarms.add(
      this.processor.fn.metric('IteratorAge', { period: fiveMinutes, statistic: 'Maximum' }).createAlarm(this, 'CommandProcessorIteratorAgeAlarm', {
        threshold: COMMAND_PROCESSOR.iteratorAgeAlarmSeconds * 1000,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription: `Commands wait more than ${COMMAND_PROCESSOR.iteratorAgeAlarmSeconds / 60} minutes in the stream before the processor gets them: it is failing, throttled or stuck on a batch.`,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    alarms.add(
      this.scheduled.sweepCommands.fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }).createAlarm(this, 'SweeperErrorsAlarm', {
        ...whenItHappens,
        alarmDescription: 'The commands sweeper failed; stuck commands stay RUNNING or PENDING until it succeeds.',
      }),
    );
    const aggregation = this.scheduled.aggregateDailyMetrics.fn;
    alarms.add(
      aggregation.metricErrors({ period: fiveMinutes, statistic: 'Sum' }).createAlarm(this, 'AggregationFailedAlarm', {
        ...whenItHappens,
        alarmDescription: 'The nightly usage aggregation failed (its run is recorded as failed in aggregation_runs); usage figures are stale until it succeeds.',
      }),
    );
    // Hourly sums, all AGGREGATION_MISSING_HOURS of them without an invocation (no datapoint at
    // all is exactly the failure this alarm exists for, so missing data counts as breaching).
    alarms.add(
      aggregation.metricInvocations({ period: Duration.hours(1), statistic: 'Sum' }).createAlarm(this, 'AggregationMissingAlarm', {
        threshold: 1,
        evaluationPeriods: AGGREGATION_MISSING_HOURS,
        datapointsToAlarm: AGGREGATION_MISSING_HOURS,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        alarmDescription: `The nightly usage aggregation has not run for ${AGGREGATION_MISSING_HOURS} hours (schedule disabled, not delivered, or throttled).`,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      }),
    );

    this.dashboard = new StageDashboard(this, 'Dashboard', { config, apiStackName: props.stackNames.api, dataStackName: props.stackNames.data, jobsStackName: this.stackName });
  }
}
