import { isAbsolute, join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';

export const PROJECT_ROOT = join(__dirname, '..', '..');
export const SERVICE_NAME = 'painel-operacional';

/**
 * ESM bundles have no `require`; a CommonJS dependency that calls it (the AWS SDK's optional
 * loaders, for one) needs one created from the module's URL.
 */
export const ESM_REQUIRE_BANNER = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/**
 * Module substitutions applied when bundling (esbuild `alias`; exported for tools that call esbuild
 * directly). In Lambda the credentials are always in the environment, so the default provider
 * chain is replaced by its environment link (see lib/bundling/lambda-credential-provider.ts), and
 * the event-stream codec, which no operation of the services called here uses, by a stub that
 * throws (see lib/bundling/no-event-streams.ts).
 */
export const HOUSE_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': join(PROJECT_ROOT, 'lib', 'bundling', 'lambda-credential-provider.ts'),
  '@smithy/core/event-streams': join(PROJECT_ROOT, 'lib', 'bundling', 'no-event-streams.ts'),
};

/** The house bundling options: what every function's bundle looks like (see README, bundle sizes). */
export const HOUSE_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node22',
  // ESM builds of dependencies (the SDK's dist-es) tree-shake far better than their CommonJS builds.
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  sourceMap: true,
  // The map names files and lines; the sources themselves stay out of the asset.
  sourcesContent: false,
  // The one alias mechanism (tsconfig "paths"), which esbuild reads natively.
  tsconfig: join(PROJECT_ROOT, 'tsconfig.json'),
  // The SDK is bundled at the version we test with, not whatever the runtime ships.
  bundleAwsSDK: true,
  externalModules: [],
  esbuildArgs: { '--alias': Object.entries(HOUSE_ALIASES).map(([from, to]) => `${from}=${to}`) },
};

/** A function built with the house defaults. */
export interface AppFunctionProps {
  readonly config: StageConfig;
  /** Entry file under `lambda/` (as the manifests name it), or an absolute path. */
  readonly entry: string;
  readonly description: string;
  readonly environment?: Record<string, string>;
  /** @default 30 seconds */
  readonly timeout?: Duration;
  /** @default 512 MB (arm64: CPU scales with memory; the Data API calls are I/O-bound) */
  readonly memorySize?: number;
  /** Merged over HOUSE_BUNDLING. */
  readonly bundling?: BundlingOptions;
}

/**
 * One Lambda function with the house defaults: nodejs22.x on arm64, an ESM bundle (minified, with
 * a source map, the SDK inside), its own log group with the stage's retention, and its own role
 * that can write only to that log group (no managed policy) — grants add the rest.
 */
export class AppFunction extends Construct implements iam.IGrantable {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    const { config } = props;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description.slice(0, 1000),
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: isAbsolute(props.entry) ? props.entry : join(PROJECT_ROOT, 'lambda', props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      description: props.description.slice(0, 256),
      role: this.role,
      logGroup: this.logGroup,
      tracing: config.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      bundling: { ...HOUSE_BUNDLING, ...props.bundling },
      environment: {
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        LOG_LEVEL: config.logLevel,
        // Stack traces point at the TypeScript sources through the bundled source map.
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
    });
    this.grantPrincipal = this.fn.grantPrincipal;

    NagSuppressions.addResourceSuppressions(this.fn, [
      {
        id: 'AwsSolutions-L1',
        reason: 'nodejs22.x is the runtime this project builds and tests for (DESIGN.md); moving to a newer runtime is a deliberate upgrade, not a default.',
      },
    ]);
    if (config.tracing) {
      NagSuppressions.addResourceSuppressions(
        this.role,
        [
          {
            id: 'AwsSolutions-IAM5',
            reason: 'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions.',
            appliesTo: ['Resource::*'],
          },
        ],
        true,
      );
    }
  }
}
