import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { COMMANDS_TABLE, type KeyAttribute } from '../../lambda/commands/declaration';
import type { StageConfig } from '../config';
import { Migrations } from '../constructs/migrations';

export interface DataStackProps extends StackProps {
  readonly config: StageConfig;
}

/** The database name inside the cluster (the handlers' DB_NAME). */
export const DATABASE_NAME = 'painel';

const attribute = (key: KeyAttribute): dynamodb.Attribute => ({
  name: key.name,
  type: key.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
});

/**
 * The stateful stack: Aurora PostgreSQL Serverless v2 (Data API, encrypted, isolated subnets, its
 * secret), the schema migrations, and the operational-commands table from its declaration.
 * Nothing here is rebuilt when application code changes.
 */
export class DataStack extends Stack {
  readonly cluster: rds.DatabaseCluster;
  readonly commandsTable: dynamodb.Table;
  readonly databaseName = DATABASE_NAME;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;
    const retain = config.removalPolicy === 'retain';

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
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_6 }),
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
      cloudwatchLogsRetention: config.logRetentionDays as logs.RetentionDays,
      copyTagsToSnapshot: true,
    });
    NagSuppressions.addResourceSuppressions(
      this.cluster,
      [
        {
          id: 'AwsSolutions-SMG4',
          reason:
            'The generated master credential is read only by the Data API on behalf of the functions, never by people or connection strings. A rotation Lambda would have to run inside the isolated subnets with a Secrets Manager endpoint, which this design avoids (README, "Deploying to AWS").',
        },
        ...(database.deletionProtection
          ? []
          : [{ id: 'AwsSolutions-RDS10', reason: `Deletion protection is a stage setting; the ${config.stage} stage holds only demo data and is torn down freely.` }]),
      ],
      // The secret is the cluster's child construct.
      true,
    );
    // cloudwatchLogsRetention sets the PostgreSQL log group's retention through aws-cdk-lib's
    // LogRetention function (one per stack), whose role is not ours to shape.
    const logRetention = this.node.children.find((child) => child.node.id.startsWith('LogRetention'));
    if (!logRetention) throw new Error('LogRetention function not found');
    NagSuppressions.addResourceSuppressions(
      logRetention,
      [
        { id: 'AwsSolutions-IAM4', reason: "aws-cdk-lib's LogRetention function writes its own logs with AWSLambdaBasicExecutionRole.", appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'] },
        { id: 'AwsSolutions-IAM5', reason: "aws-cdk-lib's LogRetention function sets retention on a log group RDS creates later, under a name not known at synth time (logs:PutRetentionPolicy/DeleteRetentionPolicy on *).", appliesTo: ['Resource::*'] },
      ],
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

    new Migrations(this, 'Migrations', { config, cluster: this.cluster, databaseName: DATABASE_NAME });
  }
}
