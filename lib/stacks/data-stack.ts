import { Duration, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { COMMANDS_TABLE, type KeyAttribute } from '../../lambda/commands/declaration';
import { RATE_LIMIT_TABLE } from '../../lambda/shared/rate-limits';
import { READER_ROLE } from '../../lambda/shared/function-access';
import type { StageConfig } from '../config';
import { AlarmTopic, type AlarmSink } from '../constructs/alarms';
import { Migrations } from '../constructs/migrations';

export interface DataStackProps extends StackProps {
  readonly config: StageConfig;
}

/** The database name inside the cluster (the handlers' DB_NAME). */
export const DATABASE_NAME = 'painel';

/** The table operations the CommandStore uses: their throttles are what the alarm counts. */
const COMMAND_TABLE_OPERATIONS = [dynamodb.Operation.GET_ITEM, dynamodb.Operation.QUERY, dynamodb.Operation.PUT_ITEM, dynamodb.Operation.UPDATE_ITEM];

const attribute = (key: KeyAttribute): dynamodb.Attribute => ({
  name: key.name,
  type: key.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
});

/** Aurora's capacity alarm fires at this share of the stage's maximum ACUs. */
export const AURORA_CAPACITY_ALARM_RATIO = 0.9;

/**
 * The stateful stack: Aurora PostgreSQL Serverless v2 (Data API, encrypted, isolated subnets, its
 * owner's and its read-only role's secrets), the schema migrations, the operational-commands table
 * from its declaration, and the stage's alarm topic. Nothing here is rebuilt when application code
 * changes.
 */
export class DataStack extends Stack {
  readonly cluster: rds.DatabaseCluster;
  /** The read-only database role's credentials (READER_ROLE), for the read routes. */
  readonly readerSecret: secretsmanager.ISecret;
  readonly commandsTable: dynamodb.Table;
  /** The rate limits' counters (lambda/shared/rate-limits.ts): short-lived, expired by TTL. */
  readonly rateLimitTable: dynamodb.Table;
  readonly databaseName = DATABASE_NAME;
  readonly alarmTopic: AlarmTopic;

  /** Every alarm of the stage notifies this topic. */
  get alarms(): AlarmSink {
    return this.alarmTopic.sink;
  }

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;
    const retain = config.removalPolicy === 'retain';
    this.alarmTopic = new AlarmTopic(this, 'Alarms', { config });

    // Isolated subnets only: the cluster has no route to or from the internet, and the functions
    // reach it through the Data API (HTTPS), so they stay out of the VPC and no NAT is needed.
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'database', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      restrictDefaultSecurityGroup: true,
    });
    vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(
        new logs.LogGroup(this, 'FlowLogs', {
          retention: config.logRetentionDays as logs.RetentionDays,
          removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        }),
      ),
    });

    const database = config.database;
    this.cluster = new rds.DatabaseCluster(this, 'Database', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({
        version: rds.AuroraPostgresEngineVersion.of(database.engineVersion, database.engineVersion.split('.')[0]!),
      }),
      credentials: rds.Credentials.fromGeneratedSecret('painel_admin'),
      defaultDatabaseName: DATABASE_NAME,
      writer: rds.ClusterInstance.serverlessV2('Writer', { publiclyAccessible: false }),
      readers: Array.from({ length: database.readers }, (_, i) =>
        // A reader in the other AZ that scales with the writer is the failover target.
        rds.ClusterInstance.serverlessV2(`Reader${i + 1}`, { publiclyAccessible: false, scaleWithWriter: true }),
      ),
      serverlessV2MinCapacity: database.minCapacity,
      serverlessV2MaxCapacity: database.maxCapacity,
      ...(database.minCapacity === 0 && database.autoPauseMinutes ? { serverlessV2AutoPauseDuration: Duration.minutes(database.autoPauseMinutes) } : {}),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      enableDataApi: true,
      storageEncrypted: true,
      iamAuthentication: true,
      deletionProtection: database.deletionProtection,
      removalPolicy: { destroy: RemovalPolicy.DESTROY, snapshot: RemovalPolicy.SNAPSHOT, retain: RemovalPolicy.RETAIN }[database.removalPolicy],
      backup: { retention: Duration.days(database.backupRetentionDays) },
      cloudwatchLogsExports: ['postgresql'],
      copyTagsToSnapshot: true,
    });
    // The credentials outlive the cluster wherever the cluster (or its final snapshot) does: a
    // retained cluster or a restored snapshot without its password is locked.
    const secretRemoval = database.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    (this.cluster.node.findChild('Secret') as rds.DatabaseSecret).applyRemovalPolicy(secretRemoval);
    const readerSecret = new rds.DatabaseSecret(this, 'ReaderSecret', { username: READER_ROLE });
    readerSecret.applyRemovalPolicy(secretRemoval);
    NagSuppressions.addResourceSuppressions(readerSecret, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'The read-only role’s password is read only by the Data API on behalf of the read routes; the migrations runner sets it from this secret on every deploy. A rotation Lambda would have to run inside the isolated subnets (docs/operations.md).',
      },
    ]);
    // With the cluster's host, port and engine, as the Data API and any client expect of an RDS secret.
    this.readerSecret = readerSecret.attach(this.cluster);

    // The PostgreSQL log group, created here rather than by RDS (which would leave it behind on
    // destroy) or by aws-cdk-lib's LogRetention function: before the instances, which are what
    // publishes to it, so RDS never creates it first.
    const postgresLogs = new logs.LogGroup(this, 'PostgresLogs', {
      logGroupName: Fn.join('', ['/aws/rds/cluster/', this.cluster.clusterIdentifier, '/postgresql']),
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const instance of this.cluster.node.findAll().filter((c) => c instanceof rds.CfnDBInstance)) instance.node.addDependency(postgresLogs);
    NagSuppressions.addResourceSuppressions(
      this.cluster,
      [
        {
          id: 'AwsSolutions-SMG4',
          reason:
            'The generated master credential is read only by the Data API on behalf of the functions, never by people or connection strings. A rotation Lambda would have to run inside the isolated subnets with a Secrets Manager endpoint, which this design avoids (docs/operations.md).',
        },
        ...(database.deletionProtection
          ? []
          : [{ id: 'AwsSolutions-RDS10', reason: `Deletion protection is a stage setting; the ${config.stage} stage holds only demo data and is torn down freely.` }]),
      ],
      // The secret is the cluster's child construct.
      true,
    );
    this.commandsTable = new dynamodb.Table(this, 'CommandsTable', {
      partitionKey: attribute(COMMANDS_TABLE.partitionKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      stream: dynamodb.StreamViewType[COMMANDS_TABLE.streamViewType],
      timeToLiveAttribute: COMMANDS_TABLE.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: config.pointInTimeRecovery },
      deletionProtection: retain,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of Object.values(COMMANDS_TABLE.indexes)) {
      this.commandsTable.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: dynamodb.ProjectionType[index.projection],
      });
    }
    if (!config.pointInTimeRecovery) {
      NagSuppressions.addResourceSuppressions(this.commandsTable, [
        { id: 'AwsSolutions-DDB3', reason: `Point-in-time recovery is a stage setting (on in prod); ${config.stage} commands are short-lived test data that expire by TTL.` },
      ]);
    }

    // Counters live one window or two: nothing to back up or keep when the stack goes.
    this.rateLimitTable = new dynamodb.Table(this, 'RateLimitTable', {
      partitionKey: attribute(RATE_LIMIT_TABLE.partitionKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: RATE_LIMIT_TABLE.ttlAttribute,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    NagSuppressions.addResourceSuppressions(this.rateLimitTable, [
      { id: 'AwsSolutions-DDB3', reason: 'Rate-limit counters expire by TTL within two minutes; there is nothing to recover to a point in time.' },
    ]);

    new Migrations(this, 'Migrations', { config, cluster: this.cluster, databaseName: DATABASE_NAME, readerSecret: this.readerSecret, alarms: this.alarms });

    // ── Alarms on the stateful services ─────────────────────────────────────────────────────
    this.alarms.add(
      this.cluster.metricServerlessDatabaseCapacity({ period: Duration.minutes(5), statistic: 'Maximum' }).createAlarm(this, 'AuroraCapacityAlarm', {
        threshold: database.maxCapacity * AURORA_CAPACITY_ALARM_RATIO,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription: `Aurora used ≥ ${AURORA_CAPACITY_ALARM_RATIO * 100}% of its ${database.maxCapacity} ACU maximum in 2 of the last 3 five-minute periods: queries will queue; raise database.maxCapacity.`,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    this.alarms.add(
      new cloudwatch.Alarm(this, 'CommandsTableThrottlesAlarm', {
          metric: this.commandsTable.metricThrottledRequestsForOperations({ operations: COMMAND_TABLE_OPERATIONS, period: Duration.minutes(5), statistic: 'Sum' }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          alarmDescription: 'DynamoDB throttled requests to the commands table (on-demand capacity or a hot partition): commands may fail to be created or updated.',
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
    );
  }
}
