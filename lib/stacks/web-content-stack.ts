import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { PROJECT_ROOT } from '../constructs/app-function';

/** The frontend's static export when it has been built, else a placeholder page. */
export const FRONTEND_EXPORT_DIR = join(PROJECT_ROOT, 'frontend', 'out');
export const PLACEHOLDER_DIR = join(__dirname, 'web-placeholder');

export const siteSourceDir = (): string => (existsSync(join(FRONTEND_EXPORT_DIR, 'index.html')) ? FRONTEND_EXPORT_DIR : PLACEHOLDER_DIR);

/** What the web app reads from /config.json (frontend/src/lib/config.ts). */
export interface WebAppConfig {
  readonly apiUrl: string;
  readonly cognitoRegion: string;
  readonly userPoolId: string;
  readonly clientId: string;
}

export interface WebContentStackProps extends StackProps {
  readonly config: StageConfig;
  readonly siteBucket: s3.IBucket;
  readonly distribution: cloudfront.IDistribution;
  readonly appConfig: WebAppConfig;
  /** @default frontend/out if built, else the placeholder */
  readonly sourceDir?: string;
}

/**
 * The site's content: the static export and the stage's config.json, deployed into the SiteHosting
 * bucket. Hashed build assets (`_next/static`) are immutable and never pruned, so a browser still
 * holding the previous pages finds their chunks; everything else revalidates on every load and is
 * replaced, with an invalidation, on each deploy.
 */
export class WebContentStack extends Stack {
  constructor(scope: Construct, id: string, props: WebContentStackProps) {
    super(scope, id, props);
    const sourceDir = props.sourceDir ?? siteSourceDir();
    const logGroup = new logs.LogGroup(this, 'DeploymentLogs', {
      retention: props.config.logRetentionDays as logs.RetentionDays,
      removalPolicy: props.config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    const assets = new s3deploy.BucketDeployment(this, 'Assets', {
      sources: [s3deploy.Source.asset(sourceDir)],
      destinationBucket: props.siteBucket,
      exclude: ['*'],
      include: ['_next/static/*'],
      prune: false,
      cacheControl: [s3deploy.CacheControl.setPublic(), s3deploy.CacheControl.maxAge(Duration.days(365)), s3deploy.CacheControl.immutable()],
      memoryLimit: 512,
      logGroup,
    });
    const site = new s3deploy.BucketDeployment(this, 'Site', {
      sources: [s3deploy.Source.asset(sourceDir), s3deploy.Source.jsonData('config.json', props.appConfig)],
      destinationBucket: props.siteBucket,
      exclude: ['_next/static/*'],
      prune: true,
      cacheControl: [s3deploy.CacheControl.noCache()],
      distribution: props.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
      logGroup,
    });
    // Pages go live only once the chunks they reference are there.
    site.node.addDependency(assets);

    suppressBucketDeploymentFindings(this, props.siteBucket);
  }
}

/** The BucketDeployment handler (one per stack) is aws-cdk-lib's; its role and runtime are not ours to choose. */
function suppressBucketDeploymentFindings(stack: Stack, bucket: s3.IBucket): void {
  const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!(handler instanceof Construct)) throw new Error('BucketDeployment handler not found');
  NagSuppressions.addResourceSuppressions(
    handler,
    [
      { id: 'AwsSolutions-L1', reason: "The BucketDeployment handler's runtime is chosen by aws-cdk-lib, not by this project." },
      {
        id: 'AwsSolutions-IAM4',
        reason: 'The BucketDeployment handler role (aws-cdk-lib) uses AWSLambdaBasicExecutionRole for its logs.',
        appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'The BucketDeployment handler (aws-cdk-lib) copies every object of the CDK asset into the site bucket and prunes old ones (object-level wildcards on those two buckets only) and invalidates the distribution (CloudFront invalidation actions have no resource-level scoping here).',
        appliesTo: [
          'Action::s3:GetObject*',
          'Action::s3:GetBucket*',
          'Action::s3:List*',
          'Action::s3:DeleteObject*',
          'Action::s3:Abort*',
          // The CDK asset bucket: partition and region are tokens or literals depending on the environment.
          { regex: '/^Resource::arn:.+:s3:::cdk-[a-z0-9]+-assets-.+\\/\\*$/' },
          `Resource::<${Stack.of(bucket).getLogicalId(bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*`,
          'Resource::*',
        ],
      },
    ],
    true,
  );
}
