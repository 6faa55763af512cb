import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { type AlarmSink, atLeastOnce } from './alarms';

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
  'mnemonist/lru-cache': join(PROJECT_ROOT, 'lib', 'bundling', 'lru-cache.ts'),
};

/**
 * What the functions' bundles leave out because Powertools' Lambda layer brings it at the same
 * version: the Tracer and the X-Ray SDK under it (~125 KB minified, which the largest bundle has no
 * room for under the 350 KB budget). lambda/shared/tracer.ts requires them only when tracing is on,
 * and only then is the layer attached.
 */
export const LAYER_PROVIDED_MODULES = ['@aws-lambda-powertools/tracer', 'aws-xray-sdk-core'] as const;

/** The exact Powertools version this project pins (package.json), which names the layer to attach. */
export const POWERTOOLS_VERSION: string = (() => {
  const pinned = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies['@aws-lambda-powertools/tracer'];
  if (!pinned || !/^\d+\.\d+\.\d+$/.test(pinned)) throw new Error(`package.json must pin @aws-lambda-powertools/tracer to an exact version (got ${pinned})`);
  return pinned;
})();

/**
 * Powertools publishes its layer's ARN per region and version in a public SSM parameter
 * ("Lambda layers" in the Powertools for AWS Lambda (TypeScript) documentation); CloudFormation
 * resolves it at deploy time, so the layer always matches POWERTOOLS_VERSION.
 */
export const powertoolsLayerParameter = (version: string = POWERTOOLS_VERSION): string => `/aws/service/powertools/typescript/generic/all/${version}`;

/** The Lambda runtime of every function (nodejs22.x is deprecated on 2027-04-30). */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** The house bundling options: what every function's bundle looks like (see docs/performance.md, bundle sizes). */
export const HOUSE_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  // The runtime's Node.js: esbuild keeps the syntax it supports as written.
  target: 'node24',
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
  externalModules: [...LAYER_PROVIDED_MODULES],
  esbuildArgs: { '--alias': Object.entries(HOUSE_ALIASES).map(([from, to]) => `${from}=${to}`) },
};

/** A function built with the house defaults. */
export interface AppFunctionProps {
  readonly config: StageConfig;
  /** Where the function's own alarms (throttles) go. */
  readonly alarms: AlarmSink;
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
 * One Lambda function with the house defaults: nodejs24.x on arm64, an ESM bundle (minified, with
 * a source map, the SDK inside), its own log group with the stage's retention, its own role that
 * can write only to that log group (no managed policy) — grants add the rest —, Powertools'
 * tracing and metrics settings, and an alarm on its throttles.
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
      runtime: FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      description: props.description.slice(0, 256),
      role: this.role,
      logGroup: this.logGroup,
      tracing: config.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      layers: config.tracing ? [powertoolsLayer(this)] : [],
      bundling: { ...HOUSE_BUNDLING, ...props.bundling },
      environment: {
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(config),
        POWERTOOLS_TRACE_ENABLED: String(config.tracing),
        // Responses carry tenant data: never copied into traces.
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        LOG_LEVEL: config.logLevel,
        // Stack traces point at the TypeScript sources through the bundled source map.
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
    });
    this.grantPrincipal = this.fn.grantPrincipal;

    // Any throttle means requests or records were refused (account concurrency exhausted).
    props.alarms.add(
      this.fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }).createAlarm(this, 'ThrottlesAlarm', {
        ...atLeastOnce,
        alarmDescription: `${props.description.slice(0, 200)}: Lambda throttled invocations (the account's concurrency is exhausted); callers got 429/5xx or records waited.`,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );

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

/** The stage's namespace for the business metrics (lambda/shared/business-metrics.ts). */
export const metricsNamespace = (config: StageConfig): string => `Painel/${config.stage}`;

/** Powertools' public layer (Tracer and X-Ray SDK), one reference per stack. */
function powertoolsLayer(scope: Construct): lambda.ILayerVersion {
  const stack = Stack.of(scope);
  const id = 'PowertoolsLayer';
  const existing = stack.node.tryFindChild(id) as lambda.ILayerVersion | undefined;
  return existing ?? lambda.LayerVersion.fromLayerVersionArn(stack, id, ssm.StringParameter.valueForStringParameter(stack, powertoolsLayerParameter()));
}
