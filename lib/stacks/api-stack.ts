import { CfnOutput, Duration, RemovalPolicy, Size, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { CORS_ALLOW_HEADERS } from '../../lambda/shared/http/cors';
import { GATEWAY_RESPONSES, gatewayResponseBody } from '../../lambda/shared/http/gateway-responses';
import type { StageConfig } from '../config';
import type { DatabaseRef } from '../constructs/access';
import type { AlarmSink } from '../constructs/alarms';
import { ApiRoutes } from '../constructs/api-routes';
import { SiteHosting } from '../constructs/site-hosting';

export interface ApiStackProps extends StackProps {
  readonly config: StageConfig;
  readonly database: DatabaseRef;
  readonly commandsTable: dynamodb.ITable;
  readonly rateLimitTable: dynamodb.ITable;
  readonly userPool: cognito.IUserPool;
  readonly alarms: AlarmSink;
}

/** Minimum requests in a 5-minute window before the API's 5xx rate means anything. */
const API_5XX_MIN_REQUESTS = 10;
const API_5XX_RATE_PERCENT = 5;

/**
 * The REST API — the Cognito user-pool authorizer on every method, one function per route of the
 * manifest, the project's error shape on API Gateway's own answers, stage throttling, access logs,
 * its 5xx alarm — and the site's hosting (S3 + CloudFront).
 *
 * One stack for both because each names the other: the site's Content-Security-Policy allows
 * connections to this API only, and the API's CORS allows the site's origin only. In one stack
 * CloudFormation orders the resources (API, then the distribution with its policy, then the
 * methods and functions that name the distribution); across two stacks the references would form a cycle.
 */
export class ApiStack extends Stack {
  readonly api: apigw.RestApi;
  readonly routes: ApiRoutes;
  readonly site: SiteHosting;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config } = props;

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.api = new apigw.RestApi(this, 'Api', {
      // Unique per stage: the ApiName dimension of the API's metrics (the 5xx alarm) is this name.
      restApiName: this.stackName,
      description: `Painel Operacional API (${config.stage})`,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // Usage and overview answers are large JSON documents that compress well.
      minCompressionSize: Size.kibibytes(1),
      // Access and execution logs need the account-level CloudWatch role; kept on removal because
      // it is one per account and region, shared with any other API there.
      cloudWatchRole: true,
      // Retained where the stage keeps its resources (it may serve other APIs of the account); a
      // destroyed dev stage leaves nothing behind.
      cloudWatchRoleRemovalPolicy: config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      deployOptions: {
        stageName: 'v1',
        throttlingRateLimit: config.apiThrottling.rateLimit,
        throttlingBurstLimit: config.apiThrottling.burstLimit,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.custom(
          JSON.stringify({
            request_id: '$context.requestId',
            ip: '$context.identity.sourceIp',
            method: '$context.httpMethod',
            path: '$context.path',
            route: '$context.resourcePath',
            status: '$context.status',
            latency_ms: '$context.responseLatency',
            integration_latency_ms: '$context.integrationLatency',
            user: '$context.authorizer.claims.sub',
            error: '$context.error.message',
            response_type: '$context.error.responseType',
            user_agent: '$context.identity.userAgent',
          }),
        ),
        // Errors only, and never request or response bodies (they carry tokens and tenant data).
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: config.tracing,
      },
    });
    NagSuppressions.addResourceSuppressions(
      this.api,
      [
        {
          id: 'AwsSolutions-IAM4',
          reason: "API Gateway's account-level CloudWatch role (required for access and execution logs) uses the AWS managed AmazonAPIGatewayPushToCloudWatchLogs policy, which is what the service documents.",
          appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs'],
        },
      ],
      true,
    );
    NagSuppressions.addResourceSuppressions(this.api.deploymentStage, [
      {
        id: 'AwsSolutions-APIG3',
        reason: 'No WAF web ACL: every method requires a Cognito token, the stage is throttled, and request volume is that of an internal panel; a web ACL can be attached later without changing the API.',
      },
    ]);

    // API Gateway's own answers (no token, denied, unknown route, throttled, its 5xx) in the
    // project's error shape, with CORS headers so the browser lets the app read a 401 and send
    // the user back to sign-in. The origin is '*': these bodies carry no data, only the error.
    for (const [name, response] of Object.entries(GATEWAY_RESPONSES)) {
      const isDefault = response.type === 'DEFAULT_4XX' || response.type === 'DEFAULT_5XX';
      this.api.addGatewayResponse(`GatewayResponse${name[0]!.toUpperCase()}${name.slice(1)}`, {
        type: apigw.ResponseType.of(response.type),
        // A default response keeps the original status (a 429 stays a 429, a 504 a 504).
        ...(isDefault ? {} : { statusCode: String(response.status) }),
        responseHeaders: {
          'Access-Control-Allow-Origin': "'*'",
          'Access-Control-Allow-Headers': `'${CORS_ALLOW_HEADERS.join(',')}'`,
          'Content-Type': "'application/json'",
          ...Object.fromEntries(Object.entries((response as { headers?: Record<string, string> }).headers ?? {}).map(([name, value]) => [name, `'${value}'`])),
        },
        templates: { 'application/json': gatewayResponseBody(response, '$context.requestId') },
      });
    }

    const { region, urlSuffix } = Stack.of(this);
    this.site = new SiteHosting(this, 'Site', {
      config,
      csp: {
        apiOrigin: `https://${this.api.restApiId}.execute-api.${region}.${urlSuffix}`,
        cognitoOrigin: `https://cognito-idp.${region}.${urlSuffix}`,
      },
    });

    const authorizer = new apigw.CognitoUserPoolsAuthorizer(this, 'Authorizer', { cognitoUserPools: [props.userPool] });

    this.routes = new ApiRoutes(this, 'Routes', {
      config,
      api: this.api,
      authorizer,
      database: props.database,
      commandsTable: props.commandsTable,
      rateLimitTable: props.rateLimitTable,
      allowedOrigins: [this.site.siteOrigin, ...config.webOrigins],
      alarms: props.alarms,
    });

    const fiveMinutes = Duration.minutes(5);
    const stage = this.api.deploymentStage;
    props.alarms.add(
      new cloudwatch.MathExpression({
        expression: `IF(requests >= ${API_5XX_MIN_REQUESTS}, 100 * errors / requests, 0)`,
        usingMetrics: {
          errors: stage.metricServerError({ period: fiveMinutes, statistic: 'Sum' }),
          requests: stage.metricCount({ period: fiveMinutes, statistic: 'Sum' }),
        },
        period: fiveMinutes,
        label: 'API 5xx rate (%)',
      }).createAlarm(this, 'Api5xxRateAlarm', {
        threshold: API_5XX_RATE_PERCENT,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription: `More than ${API_5XX_RATE_PERCENT}% of API requests answered 5xx in 2 of the last 3 five-minute periods (with at least ${API_5XX_MIN_REQUESTS} requests).`,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the REST API (config.json apiUrl)' });
    new CfnOutput(this, 'WebUrl', { value: this.site.siteOrigin, description: 'The web app' });
  }
}
