import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { contentSecurityPolicy, type ContentSecurityPolicySources, HSTS_MAX_AGE_SECONDS } from '../web/security-headers';

export interface SiteHostingProps {
  readonly config: StageConfig;
  /** What the site's Content-Security-Policy lets it connect to (the stage's API, Cognito). */
  readonly csp: ContentSecurityPolicySources;
}

/**
 * Next.js exports every page as `<path>/index.html` (trailingSlash): CloudFront asks S3 for an
 * exact key, so `/tenants/` and `/tenants` must become `/tenants/index.html`.
 */
const DIRECTORY_INDEX = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith('/')) request.uri = uri + 'index.html';
  else if (uri.split('/').pop().indexOf('.') === -1) request.uri = uri + '/index.html';
  return request;
}`;

/**
 * The site's hosting: a private bucket behind CloudFront (origin access control), with access
 * logs and the security headers of lib/web/security-headers.ts. Its content (the static export and
 * config.json) is deployed by WebContentStack, after the API (config.json names it).
 */
export class SiteHosting extends Construct {
  readonly siteBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** https://<id>.cloudfront.net, the origin the API allows. */
  readonly siteOrigin: string;
  readonly responseHeaders: cloudfront.ResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: SiteHostingProps) {
    super(scope, id);
    const { config } = props;
    const destroy = config.removalPolicy === 'destroy';

    const logs = new s3.Bucket(this, 'AccessLogs', {
      // CloudFront standard logs are delivered with an ACL grant, so ACLs must be enabled here.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(config.logRetentionDays) }],
      removalPolicy: destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      autoDeleteObjects: destroy,
    });

    this.siteBucket = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 's3/',
      // The content is a build output, re-deployable at any time.
      removalPolicy: destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      autoDeleteObjects: destroy,
    });

    this.responseHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `Painel Operacional (${config.stage}): CSP and security headers`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(props.csp), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.seconds(HSTS_MAX_AGE_SECONDS), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `Painel Operacional (${config.stage})`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.siteBucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeaders,
        compress: true,
        functionAssociations: [
          {
            eventType: cloudfront.FunctionEventType.VIEWER_REQUEST,
            function: new cloudfront.Function(this, 'DirectoryIndex', {
              code: cloudfront.FunctionCode.fromInline(DIRECTORY_INDEX),
              runtime: cloudfront.FunctionRuntime.JS_2_0,
              comment: 'Serves <path>/index.html for directory URLs',
            }),
          },
        ],
      },
      // Without s3:ListBucket a missing key is a 403: both are "no such page".
      errorResponses: [403, 404].map((httpStatus) => ({ httpStatus, responseHttpStatus: 404, responsePagePath: '/404.html', ttl: Duration.minutes(1) })),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // Tenants and staff are in Brazil: South American edges are only in the "All" price class.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });
    NagSuppressions.addResourceSuppressions(this.distribution, [
      { id: 'AwsSolutions-CFR1', reason: 'No geo restriction: users sign in from wherever they work; the site is static and every API call needs a Cognito token.' },
      { id: 'AwsSolutions-CFR2', reason: 'No WAF web ACL: the distribution serves only the static export and config.json (public ids, no secrets); the data is behind the API and Cognito.' },
      {
        id: 'AwsSolutions-CFR4',
        reason: 'The distribution uses the default *.cloudfront.net certificate, for which CloudFront fixes the minimum protocol; a custom domain with its own certificate (TLSv1.2_2021) is a later, per-deployment choice.',
      },
    ]);

    this.siteOrigin = `https://${this.distribution.distributionDomainName}`;
  }
}
