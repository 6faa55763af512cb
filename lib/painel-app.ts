import { Aspects, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, type INagLogger } from 'cdk-nag';
import type { StageConfig } from './config';
import { ApiStack } from './stacks/api-stack';
import { AuthStack } from './stacks/auth-stack';
import { DataStack } from './stacks/data-stack';
import { JobsStack } from './stacks/jobs-stack';
import { WebContentStack } from './stacks/web-content-stack';
import { WebStack } from './stacks/web-stack';

/** Every stack of one stage. */
export interface PainelStacks {
  readonly data: DataStack;
  readonly auth: AuthStack;
  readonly web: WebStack;
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
 * The stacks of a stage, in deployment order: stateful data and auth first, the site's hosting
 * (the API must allow its origin), the API, the jobs (they watch the API), and last the site's
 * content (its config.json names the API and the user pool).
 */
export function buildStage(app: App, config: StageConfig, options: BuildOptions = {}): PainelStacks {
  const prefix = `Painel-${config.stage}`;
  const env = config.env.account || config.env.region ? { account: config.env.account, region: config.env.region } : undefined;
  // Stack tags (explicitStackTags): CloudFormation propagates them to every resource.
  const common = { config, env, tags: { project: 'painel-operacional', stage: config.stage } };

  const data = new DataStack(app, `${prefix}-Data`, { ...common, description: 'Painel Operacional: Aurora (Data API), commands table, migrations' });
  const auth = new AuthStack(app, `${prefix}-Auth`, { ...common, description: 'Painel Operacional: Cognito user pool, groups, web client' });
  const web = new WebStack(app, `${prefix}-Web`, { ...common, description: 'Painel Operacional: site bucket and CloudFront distribution' });
  const database = { cluster: data.cluster, databaseName: data.databaseName };
  const api = new ApiStack(app, `${prefix}-Api`, {
    ...common,
    description: 'Painel Operacional: REST API, one function per route',
    database,
    commandsTable: data.commandsTable,
    userPool: auth.userPool,
    siteOrigin: web.siteOrigin,
  });
  const jobs = new JobsStack(app, `${prefix}-Jobs`, {
    ...common,
    description: 'Painel Operacional: commands processor, scheduled jobs, alarms',
    database,
    commandsTable: data.commandsTable,
    api: api.api,
  });
  const webContent = new WebContentStack(app, `${prefix}-WebContent`, {
    ...common,
    description: 'Painel Operacional: static export and config.json',
    siteBucket: web.siteBucket,
    distribution: web.distribution,
    sourceDir: options.siteSourceDir,
    appConfig: {
      apiUrl: api.api.url,
      cognitoRegion: auth.region,
      userPoolId: auth.userPool.userPoolId,
      clientId: auth.webClient.userPoolClientId,
    },
  });

  const stacks = { data, auth, web, api, jobs, webContent };
  if (options.nag ?? true) {
    Aspects.of(app).add(new AwsSolutionsChecks({ additionalLoggers: options.nagLoggers, reports: !options.nagLoggers }));
  }
  return stacks;
}
