import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { API_CONTRACT } from '../../lambda/api-contract';
import { ROUTES, type RouteId } from '../../lambda/routes';
import { CORS_ALLOW_HEADERS, CORS_ALLOW_METHODS, CORS_MAX_AGE_SECONDS } from '../../lambda/shared/http/cors';
import type { StageConfig } from '../config';
import { connectFunction, connectRateLimits, type DatabaseRef } from './access';
import type { AlarmSink } from './alarms';
import { AppFunction } from './app-function';
import { gatewayValidation } from './request-validation';

/** Wires the route manifest onto a REST API: one function and one method per route. */
export interface ApiRoutesProps {
  readonly config: StageConfig;
  readonly api: apigw.RestApi;
  readonly authorizer: apigw.IAuthorizer;
  readonly database: DatabaseRef;
  readonly commandsTable: dynamodb.ITable;
  /** The rate limits' counters: every route charges its caller there (lambda/shared/http/rate-limit.ts). */
  readonly rateLimitTable: dynamodb.ITable;
  /** Every origin the browser may call from (CORS), the stage's site included. */
  readonly allowedOrigins: string[];
  readonly alarms: AlarmSink;
}

export class ApiRoutes extends Construct {
  /** The function of each route, by route id. */
  readonly functions: Record<RouteId, AppFunction>;

  constructor(scope: Construct, id: string, props: ApiRoutesProps) {
    super(scope, id);
    const { api, config } = props;
    const validator = api.addRequestValidator('Validator', { validateRequestBody: true, validateRequestParameters: true });
    const functions: Partial<Record<RouteId, AppFunction>> = {};

    for (const route of ROUTES) {
      const fn = new AppFunction(this, route.id, {
        config,
        alarms: props.alarms,
        entry: route.handler,
        description: `${route.method} ${route.path}: ${route.summary}`,
        // API Gateway gives up on an integration after 29 s; the function need not outlive it.
        timeout: Duration.seconds(29),
        environment: { ALLOWED_ORIGINS: props.allowedOrigins.join(',') },
      });
      // Exactly what the route declares it may touch (its `access` in the manifest).
      connectFunction(fn, route.access, { database: props.database, commandsTable: props.commandsTable }, config);
      connectRateLimits(fn, props.rateLimitTable, config);
      functions[route.id] = fn;

      const validation = gatewayValidation(API_CONTRACT[route.id]);
      const model = validation.bodySchema
        ? api.addModel(`${route.id}Body`, { contentType: 'application/json', schema: validation.bodySchema })
        : undefined;
      api.root.resourceForPath(route.path).addMethod(route.method, new apigw.LambdaIntegration(fn.fn, { allowTestInvoke: false }), {
        operationName: route.id,
        authorizer: props.authorizer,
        authorizationType: apigw.AuthorizationType.COGNITO,
        requestValidator: validator,
        requestParameters: validation.requestParameters,
        ...(model ? { requestModels: { 'application/json': model } } : {}),
      });
    }
    this.functions = functions as Record<RouteId, AppFunction>;

    // One preflight per path: browsers send it without credentials, so it has no authorizer (a mock
    // integration that answers only CORS headers).
    for (const path of new Set(ROUTES.map((route) => route.path))) {
      api.root.resourceForPath(path).addCorsPreflight({
        allowOrigins: props.allowedOrigins,
        allowHeaders: [...CORS_ALLOW_HEADERS],
        allowMethods: [...CORS_ALLOW_METHODS],
        maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
      });
    }
  }
}
