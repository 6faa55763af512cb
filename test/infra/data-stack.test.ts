import { Match } from 'aws-cdk-lib/assertions';
import { loadMigrations } from '../../database/migrate';
import { COMMANDS_TABLE } from '../../lambda/commands/declaration';
import { migrationsHash } from '../../lib/constructs/migrations';
import { resourcesOf, SYNTH_TIMEOUT_MS, synthStage, type SynthesizedStage } from './support';

let dev: SynthesizedStage;
let prod: SynthesizedStage;

beforeAll(() => {
  dev = synthStage('dev');
  prod = synthStage('prod');
  dev.template('data');
  prod.template('data');
}, SYNTH_TIMEOUT_MS);

describe('Data stack: the commands table', () => {
  it('is built from its declaration: key, TTL, stream and indexes', () => {
    const template = dev.template('data');
    // The commands table, and the rate limits' counters (tested with the routes that use them).
    template.resourceCountIs('AWS::DynamoDB::Table', 2);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: COMMANDS_TABLE.partitionKey.name, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: COMMANDS_TABLE.ttlAttribute, Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      GlobalSecondaryIndexes: Object.values(COMMANDS_TABLE.indexes).map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    });
    // Sanity: the declaration is what the contract expects.
    expect(COMMANDS_TABLE.ttlAttribute).toBe('ttl');
    expect(Object.values(COMMANDS_TABLE.indexes).map((index) => index.name)).toEqual(['tenant_id-created_at-index', 'status-created_at-index', 'list_pk-created_at-index']);
  });

  it('has point-in-time recovery and deletion protection in prod, and neither in dev', () => {
    prod.template('data').hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, DeletionProtectionEnabled: true }),
      DeletionPolicy: 'Retain',
    });
    dev.template('data').hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false }, DeletionProtectionEnabled: false }),
      DeletionPolicy: 'Delete',
    });
  });
});

describe('Data stack: Aurora', () => {
  it('is Aurora PostgreSQL Serverless v2 with the Data API, encrypted storage and its own secret', () => {
    const template = dev.template('data');
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      Engine: 'aurora-postgresql',
      EnableHttpEndpoint: true,
      StorageEncrypted: true,
      DatabaseName: 'painel',
      // dev may pause at 0 ACU
      ServerlessV2ScalingConfiguration: { MinCapacity: 0, MaxCapacity: dev.config.database.maxCapacity, SecondsUntilAutoPause: Match.anyValue() },
      MasterUserPassword: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.serverless', PubliclyAccessible: false });
    // The owner's secret and the read-only role's, each attached to the cluster (host, port, engine).
    template.resourceCountIs('AWS::SecretsManager::Secret', 2);
    template.resourceCountIs('AWS::SecretsManager::SecretTargetAttachment', 2);
    template.hasResourceProperties('AWS::SecretsManager::Secret', { GenerateSecretString: Match.objectLike({ SecretStringTemplate: JSON.stringify({ username: 'painel_reader' }) }) });
  });

  it('lives in isolated subnets only: no internet gateway, no NAT', () => {
    const template = dev.template('data');
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::Route', 0);
    for (const subnet of Object.values(resourcesOf(template, 'AWS::EC2::Subnet'))) expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
    template.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC' });
    // The cluster's security group admits nothing: clients use the Data API.
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { SecurityGroupIngress: Match.absent() });
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });

  it('has deletion protection and never scales to zero in prod; none in dev', () => {
    prod.template('data').hasResource('AWS::RDS::DBCluster', {
      Properties: Match.objectLike({ DeletionProtection: true, ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: prod.config.database.maxCapacity } }),
      DeletionPolicy: 'Retain',
    });
    prod.template('data').resourceCountIs('AWS::RDS::DBInstance', 2);
    dev.template('data').hasResource('AWS::RDS::DBCluster', { Properties: Match.objectLike({ DeletionProtection: false }), DeletionPolicy: 'Delete' });
  });
});

describe('Data stack: migrations', () => {
  it('applies the migrations through a custom resource that changes when a migration file does', () => {
    const template = dev.template('data');
    const migrations = loadMigrations();
    template.hasResourceProperties('Custom::DatabaseMigrations', { migrationsHash: migrationsHash(migrations), database: 'painel' });

    // A changed or added file gives another hash, so CloudFormation updates the resource and the runner runs.
    const changed = migrations.map((m, i) => (i === 0 ? { ...m, checksum: `${m.checksum}x` } : m));
    expect(migrationsHash(changed)).not.toBe(migrationsHash(migrations));
    expect(migrationsHash([...migrations, { file: '9999_add_thing.sql', checksum: 'abc' }])).not.toBe(migrationsHash(migrations));
  });

  it('runs after the cluster is up, as a function allowed to use the Data API on it', () => {
    const template = dev.template('data');
    const [resource] = Object.values(template.findResources('Custom::DatabaseMigrations')) as Array<{ DependsOn: string[] }>;
    expect(resource!.DependsOn.some((id) => id.startsWith('DatabaseWriter'))).toBe(true);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Timeout: 900,
      Environment: { Variables: Match.objectLike({ DB_CLUSTER_ARN: Match.anyValue(), DB_SECRET_ARN: Match.anyValue(), DB_READER_SECRET_ARN: { Ref: Match.stringLikeRegexp('^ReaderSecretAttachment') }, DB_NAME: 'painel' }) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['rds-data:ExecuteStatement']) })]) },
    });
  });
});
