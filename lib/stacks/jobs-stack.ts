import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { COMMAND_PROCESSOR } from '../../lambda/commands/declaration';
import { SCHEDULES } from '../../lambda/schedules';
import type { StageConfig } from '../config';
import { type CommandsTableAccess, connectCommandsTable, connectDatabase, type DatabaseRef, grantCommandEffects } from '../constructs/access';
import { AppFunction } from '../constructs/app-function';

export interface JobsStackProps extends StackProps {
  readonly config: StageConfig;
  readonly database: DatabaseRef;
  /** The commands table, with its stream. */
  readonly commandsTable: dynamodb.ITable;
  /** The REST API whose 5xx rate is watched. */
  readonly api: apigw.RestApi;
}

type ScheduleId = (typeof SCHEDULES)[number]['id'];

/** What each scheduled job needs beyond the Data API; typed by the schedule ids, so a new schedule must be placed here. */
const SCHEDULED_JOBS: Record<ScheduleId, { timeout: Duration; commandsTable?: CommandsTableAccess }> = {
  // A backfill of many days (or a day split into tenant ranges) runs statement after statement.
  aggregateDailyMetrics: { timeout: Duration.minutes(15) },
  sweepCommands: { timeout: Duration.minutes(2), commandsTable: 'readWrite' },
};

/** Minimum requests in a 5-minute window before the API's 5xx rate means anything. */
const API_5XX_MIN_REQUESTS = 10;
const API_5XX_RATE_PERCENT = 5;

/**
 * The asynchronous side: the commands-stream processor (its event source mapping as declared in
 * lambda/commands/declaration.ts), the scheduled jobs of lambda/schedules.ts, and the alarms that
 * say when any of it goes wrong, to an SNS topic with the stage's alarm e-mail.
 */
export class JobsStack extends Stack {
  readonly processor: AppFunction;
  readonly processorFailures: sqs.Queue;
  readonly scheduled: Record<ScheduleId, AppFunction>;
  readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: JobsStackProps) {
    super(scope, id, props);
    const { config, commandsTable } = props;

    // ── Commands processor ──────────────────────────────────────────────────────────────────
    this.processor = new AppFunction(this, 'CommandProcessor', {
      config,
      entry: COMMAND_PROCESSOR.handler,
      description: 'Runs operational commands from the commands table stream',
      timeout: Duration.seconds(COMMAND_PROCESSOR.functionTimeoutSeconds),
    });
    connectDatabase(this.processor, props.database);
    connectCommandsTable(this.processor, commandsTable, 'readWrite', config);
    grantCommandEffects(this.processor, commandsTable, config);

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
      const job = SCHEDULED_JOBS[schedule.id];
      const fn = new AppFunction(this, schedule.id, { config, entry: schedule.handler, description: schedule.description, timeout: job.timeout });
      connectDatabase(fn, props.database);
      if (job.commandsTable) connectCommandsTable(fn, commandsTable, job.commandsTable, config);
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
    this.alarmTopic = new sns.Topic(this, 'Alarms', { displayName: `Painel Operacional ${config.stage} alarms`, enforceSSL: true });
    this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));
    const notify = (alarm: cloudwatch.Alarm): void => {
      alarm.addAlarmAction(new actions.SnsAction(this.alarmTopic));
      alarm.addOkAction(new actions.SnsAction(this.alarmTopic));
    };
    const atLeastOne = { threshold: 1, evaluationPeriods: 1, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD };
    const fiveMinutes = Duration.minutes(5);

    notify(
      this.processor.fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }).createAlarm(this, 'CommandProcessorErrorsAlarm', {
        ...atLeastOne,
        alarmDescription: 'The commands processor failed an invocation (a thrown error or a timeout); its records are retried, then go to the failures queue.',
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    notify(
      this.processorFailures.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum' }).createAlarm(this, 'CommandProcessorFailuresAlarm', {
        ...atLeastOne,
        alarmDescription: 'Stream records the processor never completed are waiting in the failures queue; the sweeper marks their commands ERROR.',
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    notify(
      this.scheduled.sweepCommands.fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }).createAlarm(this, 'SweeperErrorsAlarm', {
        ...atLeastOne,
        alarmDescription: 'The commands sweeper failed; stuck commands stay RUNNING or PENDING until it succeeds.',
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    const aggregation = this.scheduled.aggregateDailyMetrics.fn;
    notify(
      aggregation.metricErrors({ period: fiveMinutes, statistic: 'Sum' }).createAlarm(this, 'AggregationFailedAlarm', {
        ...atLeastOne,
        alarmDescription: 'The nightly usage aggregation failed (its run is recorded as failed in aggregation_runs); usage figures are stale until it succeeds.',
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    notify(
      aggregation.metricInvocations({ period: Duration.days(1), statistic: 'Sum' }).createAlarm(this, 'AggregationMissingAlarm', {
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        alarmDescription: 'The nightly usage aggregation did not run in the last 24 hours (schedule disabled or not delivered).',
        // No datapoint at all is exactly the failure this alarm exists for.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      }),
    );
    const stage = props.api.deploymentStage;
    notify(
      new cloudwatch.MathExpression({
        expression: `IF(requests >= ${API_5XX_MIN_REQUESTS}, 100 * errors / requests, 0)`,
        usingMetrics: {
          errors: stage.metricServerError({ period: fiveMinutes, statistic: 'Sum' }),
          requests: stage.metricCount({ period: fiveMinutes, statistic: 'Sum' }),
        },
        period: fiveMinutes,
        label: 'API 5xx rate (%)',
      }).createAlarm(this, 'Api5xxRateAlarm', {
        threshold: API_5XX_RATE_PERCENT,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription: `More than ${API_5XX_RATE_PERCENT}% of API requests answered 5xx in 2 of the last 3 five-minute periods (with at least ${API_5XX_MIN_REQUESTS} requests).`,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }
}
