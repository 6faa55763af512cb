import { Match } from 'aws-cdk-lib/assertions';
import { COMMAND_PROCESSOR } from '../../lambda/commands/declaration';
import { SCHEDULES } from '../../lambda/schedules';
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
      // Only the INSERT of a PENDING command reaches the function.
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { status: { S: ['PENDING'] } } } }) }] },
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
    expect(secrets.actions.sort()).toEqual(['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue']);
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
  const topic = () => ({ Ref: logicalId(dev.stacks.jobs, dev.stacks.jobs.alarmTopic) });

  it('notifies the stage’s alarm e-mail through an SNS topic that requires TLS', () => {
    dev.template('jobs').hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: dev.config.alarmEmail, TopicArn: topic() });
    for (const alarm of alarms()) expect(alarm.AlarmActions).toEqual([topic()]);
  });

  it('alarms on processor errors and on records in the failure queue', () => {
    const jobs = dev.stacks.jobs;
    expect(alarms()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          MetricName: 'Errors',
          Namespace: 'AWS/Lambda',
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(jobs, jobs.processor.fn) } }],
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        }),
        expect.objectContaining({
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Namespace: 'AWS/SQS',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(jobs, jobs.processorFailures), 'QueueName'] } }],
          Threshold: 1,
        }),
      ]),
    );
  });

  it('alarms when the aggregation fails, and when it has not run for a day', () => {
    const aggregation = { Ref: logicalId(dev.stacks.jobs, dev.stacks.jobs.scheduled.aggregateDailyMetrics.fn) };
    expect(alarms()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: aggregation }], Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' }),
        expect.objectContaining({
          MetricName: 'Invocations',
          Dimensions: [{ Name: 'FunctionName', Value: aggregation }],
          Period: 86_400,
          Statistic: 'Sum',
          Threshold: 1,
          ComparisonOperator: 'LessThanThreshold',
          TreatMissingData: 'breaching',
        }),
      ]),
    );
  });

  it("alarms on the API's 5xx rate", () => {
    const rate = alarms().find((alarm) => Array.isArray(alarm.Metrics));
    expect(rate).toMatchObject({ Threshold: 5, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    const metrics = rate!.Metrics as Array<{ Id: string; Expression?: string; MetricStat?: { Metric: { MetricName: string; Namespace: string } } }>;
    expect(metrics.find((m) => m.Expression)!.Expression).toContain('100 * errors / requests');
    expect(metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat!.Metric.MetricName).sort()).toEqual(['5XXError', 'Count']);
  });
});
