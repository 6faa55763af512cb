import { Match } from 'aws-cdk-lib/assertions';
import { COMMAND_PROCESSOR } from '../../lambda/commands/declaration';
import { SCHEDULES } from '../../lambda/schedules';
import { AGGREGATION_MISSING_HOURS } from '../../lib/stacks/jobs-stack';
import { logicalId, resourcesOf, statementsOfRole, SYNTH_TIMEOUT_MS, synthStage, type SynthesizedStage } from './support';

let dev: SynthesizedStage;

beforeAll(() => {
  dev = synthStage('dev');
  dev.template('jobs');
}, SYNTH_TIMEOUT_MS);

describe('Jobs stack: the commands processor', () => {
  it("maps the commands table's stream to the processor with the declared settings", () => {
    const jobs = dev.stacks.jobs;
    const queueArn = { 'Fn::GetAtt': [logicalId(jobs, jobs.processorFailures), 'Arn'] };

    dev.template('jobs').resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    dev.template('jobs').hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(jobs, jobs.processor.fn) },
      EventSourceArn: Match.anyValue(),
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: COMMAND_PROCESSOR.batchSize,
      MaximumBatchingWindowInSeconds: COMMAND_PROCESSOR.maxBatchingWindowSeconds,
      ParallelizationFactor: 1,
      // Only a PENDING command (its INSERT) reaches the function; a stream filter names only the dynamodb key.
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ dynamodb: { NewImage: { status: { S: ['PENDING'] } } } }) }] },
      // Partial batch responses, bisect on error, bounded retries and record age, then the queue.
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: queueArn } },
    });
    expect(JSON.stringify(resourcesOf(dev.template('jobs'), 'AWS::Lambda::EventSourceMapping'))).toContain('StreamArn');
  });

  it('gives the processor a timeout for a full batch of commands, and an encrypted failure queue', () => {
    dev.template('jobs').hasResourceProperties('AWS::Lambda::Function', {
      Timeout: COMMAND_PROCESSOR.functionTimeoutSeconds,
      Environment: { Variables: Match.objectLike({ COMMANDS_TABLE: Match.anyValue(), INTEGRATION_SECRET_PREFIX: 'painel/dev/integrations/', DB_CLUSTER_ARN: Match.anyValue() }) },
    });
    dev.template('jobs').hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
  });

  it('lets the processor rotate only the stage’s integration secrets and describe the table', () => {
    const jobs = dev.stacks.jobs;
    const statements = statementsOfRole(dev.template('jobs'), logicalId(jobs, jobs.processor.role));
    const secrets = statements.find((statement) => statement.actions.includes('secretsmanager:CreateSecret'))!;
    expect(secrets.actions.sort()).toEqual(['secretsmanager:CreateSecret', 'secretsmanager:ListSecretVersionIds', 'secretsmanager:PutSecretValue']);
    expect(secrets.resource).toContain(':secret:painel/dev/integrations/*');
    expect(statements.some((statement) => statement.actions.includes('dynamodb:DescribeTable'))).toBe(true);
    expect(statements.flatMap((statement) => statement.actions)).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:GetRecords', 'sqs:SendMessage']));
  });
});

describe('Jobs stack: schedules', () => {
  it('runs the aggregation at 02:00 UTC and the sweeper every 5 minutes, each on its function', () => {
    const jobs = dev.stacks.jobs;
    const template = dev.template('jobs');
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(jobs, jobs.scheduled.aggregateDailyMetrics.fn), 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(jobs, jobs.scheduled.sweepCommands.fn), 'Arn'] } })],
    });
    template.resourceCountIs('AWS::Events::Rule', SCHEDULES.length);
  });
});

describe('Jobs stack: alarms', () => {
  const alarms = () => Object.values(resourcesOf(dev.template('jobs'), 'AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);

  it('notifies the stage’s alarm topic (in the Data stack) when an alarm fires and when it clears', () => {
    expect(alarms().length).toBeGreaterThan(0);
    for (const alarm of alarms()) {
      expect(JSON.stringify(alarm.AlarmActions)).toContain('Fn::ImportValue');
      expect(alarm.OKActions).toEqual(alarm.AlarmActions);
    }
  });

  it('alarms on processor errors, on records sent to the failure queue and on the stream falling behind', () => {
    const jobs = dev.stacks.jobs;
    const processor = [{ Name: 'FunctionName', Value: { Ref: logicalId(jobs, jobs.processor.fn) } }];
    expect(alarms()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ MetricName: 'Errors', Namespace: 'AWS/Lambda', Dimensions: processor, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' }),
        // Sent, not visible: a visible message would hold the alarm for the queue's 14-day retention.
        expect.objectContaining({
          MetricName: 'NumberOfMessagesSent',
          Namespace: 'AWS/SQS',
          Statistic: 'Sum',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(jobs, jobs.processorFailures), 'QueueName'] } }],
          Threshold: 1,
        }),
        expect.objectContaining({ MetricName: 'IteratorAge', Dimensions: processor, Statistic: 'Maximum', Threshold: COMMAND_PROCESSOR.iteratorAgeAlarmSeconds * 1000 }),
      ]),
    );
    expect(alarms().some((alarm) => alarm.MetricName === 'ApproximateNumberOfMessagesVisible')).toBe(false);
  });

  it('alarms when the aggregation fails, and when it has not run for more than a day (hourly, so 02:00 never flaps)', () => {
    const aggregation = { Ref: logicalId(dev.stacks.jobs, dev.stacks.jobs.scheduled.aggregateDailyMetrics.fn) };
    expect(alarms()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: aggregation }], Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' }),
        expect.objectContaining({
          MetricName: 'Invocations',
          Dimensions: [{ Name: 'FunctionName', Value: aggregation }],
          Period: 3600,
          EvaluationPeriods: AGGREGATION_MISSING_HOURS,
          DatapointsToAlarm: AGGREGATION_MISSING_HOURS,
          Statistic: 'Sum',
          Threshold: 1,
          ComparisonOperator: 'LessThanThreshold',
          TreatMissingData: 'breaching',
        }),
      ]),
    );
    // The window is longer than a day, within CloudWatch's 7-day maximum for hourly periods.
    expect(AGGREGATION_MISSING_HOURS * 3600).toBeGreaterThan(86_400);
    expect(AGGREGATION_MISSING_HOURS * 3600).toBeLessThanOrEqual(7 * 86_400);
  });

  it('alarms on the throttles of every function of the stack', () => {
    const functions = Object.keys(resourcesOf(dev.template('jobs'), 'AWS::Lambda::Function'));
    const throttled = alarms()
      .filter((alarm) => alarm.MetricName === 'Throttles')
      .map((alarm) => ((alarm.Dimensions as Array<{ Value: { Ref: string } }>)[0]!.Value.Ref));
    expect(throttled.sort()).toEqual(functions.sort());
  });
});
