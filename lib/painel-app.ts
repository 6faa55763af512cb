import { Aspects, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, type INagLogger } from 'cdk-nag';
import type { StageConfig } from './config';
import { ownFunctionLogs } from './constructs/function-logs';
import { ApiStack } from './stacks/api-stack';
import { AuthStack } from './stacks/auth-stack';
import { DataStack } from './stacks/data-stack';
import { JobsStack } from './stacks/jobs-stack';
import { WebContentStack } from './stacks/web-content-stack';

/** Every stack of one stage. */
export interface PainelStacks {
  readonly data: DataStack;
  readonly auth: AuthStack;
  readonly api: ApiStack;
  readonly jobs: JobsStack;
  readonly webContent: WebContentStack;
}

export interface BuildOptions {
  /** Site content directory (tests pass the placeholder, so a local frontend build does not matter). */
  readonly siteSourceDir?: string;
  /** AwsSolutions checks as an aspect (on by default: `cdk synth` fails on an unsuppressed finding). */
  readonly nag?: boolean;
  /** Extra cdk-nag loggers (the tests collect every finding and suppression with one). */
  readonly nagLoggers?: INagLogger[];
}

/**
 * The stacks of a stage, in deployment order: stateful data (and the alarm topic) and auth first,
 * the API with the site's hosting (they name each other: CORS and the Content-Security-Policy),
 * the jobs and the dashboard, and last the site's content (its config.json names the API and the
 * user pool).
 *
 * Cross-stack references are strong (`Fn::ImportValue`, cdk.json's
 * `@aws-cdk/core:defaultCrossStackReferences`): CloudFormation refuses to delete or change an
 * export another stack still imports, so a consumer never silently points at a resource that is gone.
 */
export function buildStage(app: App, config: StageConfig, options: BuildOptions = {}): PainelStacks {
  const prefix = `Painel-${config.stage}`;
  const env = config.env.account || config.env.region ? { account: config.env.account, region: config.env.region } : undefined;
  // Stack tags (explicitStackTags): CloudFormation propagates them to every resource.
  const common = { config, env, tags: { project: 'painel-operacional', stage: config.stage } };

  const data = new DataStack(app, `${prefix}-Data`, { ...common, description: 'Painel Operacional: Aurora (Data API), commands table, migrations, alarm topic' });
  const auth = new AuthStack(app, `${prefix}-Auth`, { ...common, description: 'Painel Operacional: Cognito user pool, groups, web client' });
  const database = { cluster: data.cluster, databaseName: data.databaseName, readerSecret: data.readerSecret };
  const api = new ApiStack(app, `${prefix}-Api`, {
    ...common,
    description: 'Painel Operacional: REST API (one function per route) and the site hosting (S3, CloudFront)',
    database,
    commandsTable: data.commandsTable,
    rateLimitTable: data.rateLimitTable,
    userPool: auth.userPool,
    alarms: data.alarms,
  });
  const jobs = new JobsStack(app, `${prefix}-Jobs`, {
    ...common,
    description: 'Painel Operacional: commands processor, scheduled jobs, alarms, dashboard',
    database,
    commandsTable: data.commandsTable,
    alarms: data.alarms,
    stackNames: { api: api.stackName, data: data.stackName },
  });
  const webContent = new WebContentStack(app, `${prefix}-WebContent`, {
    ...common,
    description: 'Painel Operacional: static export and config.json',
    siteBucket: api.site.siteBucket,
    distribution: api.site.distribution,
    sourceDir: options.siteSourceDir,
    appConfig: {
      apiUrl: api.api.url,
      cognitoRegion: auth.region,
      userPoolId: auth.userPool.userPoolId,
      clientId: auth.webClient.userPoolClientId,
    },
  });

  const stacks = { data, auth, api, jobs, webContent };
  for (const stack of Object.values(stacks)) ownFunctionLogs(stack, config);
  if (options.nag ?? true) {
    Aspects.of(app).add(new AwsSolutionsChecks({ additionalLoggers: options.nagLoggers, reports: !options.nagLoggers }));
  }
  return stacks;
}
