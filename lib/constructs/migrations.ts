import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { CustomResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as rds from 'aws-cdk-lib/aws-rds';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { loadMigrations, type Migration, MIGRATIONS_DIR } from '../../database/migrate';
import type { StageConfig } from '../config';
import { connectDatabase } from './access';
import type { AlarmSink } from './alarms';
import { AppFunction, ESM_REQUIRE_BANNER } from './app-function';

/** sha256 over every migration file's name and checksum: any added, renamed or edited file changes it. */
export function migrationsHash(migrations: readonly Pick<Migration, 'file' | 'checksum'>[]): string {
  return createHash('sha256')
    .update(migrations.map((m) => `${m.file}:${m.checksum}`).join('\n'))
    .digest('hex');
}

/** Applies `database/migrations` through the Data API at deploy time. */
export interface MigrationsProps {
  readonly config: StageConfig;
  readonly cluster: rds.DatabaseCluster;
  readonly databaseName: string;
  /** The read-only role's secret: the runner sets the role's password from it. */
  readonly readerSecret: secretsmanager.ISecret;
  readonly alarms: AlarmSink;
}

/**
 * A custom resource that runs the migration runner (`database/migrate.ts`) against the cluster on
 * every Create and Update. Its properties carry a hash of the migration files, so changing or
 * adding a file changes the resource and the runner runs again; the runner itself skips what is
 * applied and refuses a rewritten history. A failing migration (rolled back in its transaction)
 * fails the deploy, which CloudFormation then rolls back.
 */
export class Migrations extends Construct {
  readonly function: AppFunction;
  readonly resource: CustomResource;
  readonly migrationsHash: string;

  constructor(scope: Construct, id: string, props: MigrationsProps) {
    super(scope, id);
    this.migrationsHash = migrationsHash(loadMigrations());

    this.function = new AppFunction(this, 'Runner', {
      config: props.config,
      alarms: props.alarms,
      entry: join(__dirname, 'migrations-handler.ts'),
      description: 'Applies the database migrations through the Data API (CloudFormation custom resource)',
      // The Data API waits for an auto-paused cluster to resume; a long migration may take minutes.
      timeout: Duration.minutes(15),
      bundling: {
        // The runner reads the SQL files next to itself (`join(__dirname, 'migrations')`): the
        // bundle defines __dirname, and the files are copied beside it, unchanged, so their
        // checksums match what `npm run db:migrate` records locally.
        banner: `${ESM_REQUIRE_BANNER} import { fileURLToPath as __fileURLToPath } from 'node:url'; import { dirname as __pathDirname } from 'node:path'; const __dirname = __pathDirname(__fileURLToPath(import.meta.url));`,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir: string, outputDir: string) => [`cp -R "${MIGRATIONS_DIR}" "${join(outputDir, 'migrations')}"`],
        },
      },
    });
    connectDatabase(this.function, { cluster: props.cluster, databaseName: props.databaseName, readerSecret: props.readerSecret }, 'writer');
    props.readerSecret.grantRead(this.function);
    this.function.fn.addEnvironment('DB_READER_SECRET_ARN', props.readerSecret.secretArn);

    const provider = new Provider(this, 'Provider', {
      onEventHandler: this.function.fn,
      logGroup: new logs.LogGroup(this, 'ProviderLogs', {
        retention: props.config.logRetentionDays as logs.RetentionDays,
        removalPolicy: props.config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      }),
    });
    NagSuppressions.addResourceSuppressions(
      provider,
      [
        { id: 'AwsSolutions-IAM4', reason: 'The custom-resource framework function (aws-cdk-lib Provider) uses AWSLambdaBasicExecutionRole to write its own logs; it is not configurable.', appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'] },
        { id: 'AwsSolutions-IAM5', reason: 'The framework function may invoke any version of the migrations runner (lambda:InvokeFunction on its ARN and ARN:*), granted by aws-cdk-lib Provider.', appliesTo: [{ regex: '/^Resource::<.*Runner.*\\.Arn>:\\*$/' }] },
      ],
      true,
    );

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::DatabaseMigrations',
      // The reader secret's ARN is a property too: a replaced secret re-runs the password step.
      properties: { migrationsHash: this.migrationsHash, database: props.databaseName, readerSecret: props.readerSecret.secretArn },
    });
    // The writer must be up before the first statement.
    this.resource.node.addDependency(props.cluster);
  }
}
