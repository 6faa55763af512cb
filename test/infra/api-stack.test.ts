import { Match } from 'aws-cdk-lib/assertions';
import { COMMAND_TYPES } from '../../lambda/commands/schemas';
import { ROUTES } from '../../lambda/routes';
import { CORS_ALLOW_HEADERS } from '../../lambda/shared/http/cors';
import { GATEWAY_RESPONSES } from '../../lambda/shared/http/gateway-responses';
import { logicalId, resourcesOf, statementsOfRole, SYNTH_TIMEOUT_MS, synthStage, type SynthesizedStage } from './support';

let dev: SynthesizedStage;

beforeAll(() => {
  dev = synthStage('dev');
  dev.template('api');
}, SYNTH_TIMEOUT_MS);

const methods = () => Object.values(resourcesOf(dev.template('api'), 'AWS::ApiGateway::Method'));

describe('API stack: authorization', () => {
  it('puts the Cognito user-pool authorizer on every method except the CORS preflights', () => {
    // GIVEN the synthesized API
    const template = dev.template('api');
    const authorizerId = logicalId(dev.stacks.api, dev.stacks.api.node.findChild('Authorizer') as never);

    // THEN there is one user-pool authorizer, on the stage's user pool
    template.resourceCountIs('AWS::ApiGateway::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'COGNITO_USER_POOLS', IdentitySource: 'method.request.header.Authorization', ProviderARNs: [Match.anyValue()] });

    // AND every non-OPTIONS method uses it; there is one per route
    const routeMethods = methods().filter((method) => method.Properties.HttpMethod !== 'OPTIONS');
    expect(routeMethods).toHaveLength(ROUTES.length);
    for (const method of routeMethods) {
      expect(method.Properties).toMatchObject({ AuthorizationType: 'COGNITO_USER_POOLS', AuthorizerId: { Ref: authorizerId } });
    }
  });

  it('answers CORS preflights without authorization, with a mock integration only', () => {
    const preflights = methods().filter((method) => method.Properties.HttpMethod === 'OPTIONS');
    expect(preflights).toHaveLength(new Set(ROUTES.map((route) => route.path)).size);
    for (const preflight of preflights) {
      expect(preflight.Properties).toMatchObject({ AuthorizationType: 'NONE', Integration: { Type: 'MOCK' } });
    }
  });
});

describe('API stack: one function per route', () => {
  it('gives each route of the manifest its own function, wired to its method', () => {
    const template = dev.template('api');
    const functionIds = ROUTES.map((route) => logicalId(dev.stacks.api, dev.stacks.api.routes.functions[route.id].fn));

    // THEN every route has a distinct function, and the stack has no other
    expect(new Set(functionIds).size).toBe(ROUTES.length);
    // (besides aws-cdk-lib's own custom-resource providers, such as the dev site bucket's auto-delete)
    const appFunctions = Object.keys(resourcesOf(template, 'AWS::Lambda::Function')).filter((id) => !id.startsWith('Custom'));
    expect(appFunctions.sort()).toEqual([...functionIds].sort());

    // AND the method named after the route (same HTTP method) integrates with that function only
    ROUTES.forEach((route, i) => {
      const matching = methods().filter((method) => method.Properties.OperationName === route.id);
      expect(matching).toHaveLength(1);
      expect(matching[0]!.Properties.HttpMethod).toBe(route.method);
      expect(JSON.stringify(matching[0]!.Properties.Integration)).toContain(`"${functionIds[i]}"`);
      expect(matching[0]!.Properties.Integration).toMatchObject({ Type: 'AWS_PROXY' });
    });
  });

  it('builds every function with the house defaults and the environment its handler reads', () => {
    const template = dev.template('api');
    for (const route of ROUTES) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp(`^${route.method} ${route.path.replace(/[{}]/g, '.')}`),
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Timeout: 29,
        LoggingConfig: { LogGroup: Match.anyValue() },
        Environment: {
          Variables: Match.objectLike({
            DB_CLUSTER_ARN: Match.anyValue(),
            DB_SECRET_ARN: Match.anyValue(),
            DB_NAME: 'painel',
            POWERTOOLS_SERVICE_NAME: 'painel-operacional',
            LOG_LEVEL: 'DEBUG',
            ALLOWED_ORIGINS: Match.anyValue(),
            NODE_OPTIONS: '--enable-source-maps',
            POWERTOOLS_METRICS_NAMESPACE: 'Painel/dev',
            POWERTOOLS_TRACE_ENABLED: 'false',
          }),
        },
      });
    }
    // Every function logs to its own group with the stage's retention (7 days in dev).
    for (const group of Object.values(resourcesOf(template, 'AWS::Logs::LogGroup'))) expect(group.Properties.RetentionInDays).toBe(7);
  });
});

describe('API stack: least privilege', () => {
  const statementsOf = (routeId: (typeof ROUTES)[number]['id']) => {
    const fn = dev.stacks.api.routes.functions[routeId];
    return statementsOfRole(dev.template('api'), logicalId(dev.stacks.api, fn.role));
  };

  it('lets every route use the Data API on the cluster and read its secret, nothing wider', () => {
    for (const route of ROUTES) {
      const actions = statementsOf(route.id).flatMap((statement) => statement.actions);
      expect(actions).toEqual(expect.arrayContaining(['rds-data:ExecuteStatement', 'secretsmanager:GetSecretValue', 'logs:PutLogEvents']));
      expect(actions.some((action) => action.endsWith('*'))).toBe(false);
    }
  });

  it('charges every route to the rate limits: the stage’s numbers in its environment, UpdateItem on the counters table only', () => {
    const functions = resourcesOf(dev.template('api'), 'AWS::Lambda::Function');
    for (const route of ROUTES) {
      const variables = (functions[logicalId(dev.stacks.api, dev.stacks.api.routes.functions[route.id].fn)]!.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect({ route: route.id, limits: JSON.parse(String(variables.RATE_LIMITS)) }).toEqual({ route: route.id, limits: dev.config.rateLimits });
      expect(JSON.stringify(variables.RATE_LIMIT_TABLE)).toContain('RateLimitTable');
      const counters = statementsOf(route.id).filter((statement) => JSON.stringify(statement.resource).includes('RateLimitTable'));
      expect({ route: route.id, actions: counters.flatMap((statement) => statement.actions) }).toEqual({ route: route.id, actions: ['dynamodb:UpdateItem'] });
    }
    // The table: on demand, expired by TTL.
    dev.template('data').hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
    });
  });

  it("connects read routes as the read-only role: its secret only, and no transaction or batch", () => {
    const functions = resourcesOf(dev.template('api'), 'AWS::Lambda::Function');
    const secretOf = (routeId: (typeof ROUTES)[number]['id']) =>
      JSON.stringify((functions[logicalId(dev.stacks.api, dev.stacks.api.routes.functions[routeId].fn)]!.Properties.Environment as { Variables: Record<string, unknown> }).Variables.DB_SECRET_ARN);
    const writerSecret = secretOf('createOperationalCommand');
    for (const route of ROUTES) {
      const actions = statementsOf(route.id).flatMap((statement) => statement.actions).filter((action) => action.startsWith('rds-data:'));
      const secretResources = statementsOf(route.id).filter((statement) => statement.actions.includes('secretsmanager:GetSecretValue')).map((statement) => statement.resource);
      if (route.access.database === 'reader') {
        expect({ route: route.id, actions }).toEqual({ route: route.id, actions: ['rds-data:ExecuteStatement'] });
        expect(secretOf(route.id)).not.toBe(writerSecret);
        expect(secretResources.join(' ')).toContain('ReaderSecret');
        expect(secretResources.join(' ')).not.toMatch(/DatabaseSecret(?!.*Reader)/);
      } else {
        expect(actions.sort()).toEqual(['rds-data:BatchExecuteStatement', 'rds-data:BeginTransaction', 'rds-data:CommitTransaction', 'rds-data:ExecuteStatement', 'rds-data:RollbackTransaction']);
      }
    }
    // Every GET route reads; the one write route is the command creation.
    expect(ROUTES.filter((route) => route.access.database === 'writer').map((route) => route.id)).toEqual(['createOperationalCommand']);
  });

  it('gives the commands table only to the command routes: read to the list, write to the create', () => {
    const tableActions = (routeId: (typeof ROUTES)[number]['id']) =>
      statementsOf(routeId)
        // (the rate limits' counters are every route's: tested above)
        .filter((statement) => !JSON.stringify(statement.resource).includes('RateLimitTable'))
        .flatMap((statement) => statement.actions)
        .filter((action) => action.startsWith('dynamodb:'))
        .sort();
    expect(tableActions('createOperationalCommand')).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    expect(tableActions('listOperationalCommands')).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    for (const route of ROUTES.filter((r) => !['createOperationalCommand', 'listOperationalCommands'].includes(r.id))) expect(tableActions(route.id)).toEqual([]);
    // Indexes are named, never `index/*`.
    const resources = statementsOf('listOperationalCommands').map((statement) => statement.resource).join(' ');
    expect(resources).toContain('/index/status-created_at-index');
    expect(resources).not.toContain('/index/*');
  });
});

describe('API stack: gateway behaviour', () => {
  it("answers API Gateway's own errors in the project's error shape, with CORS headers", () => {
    const template = dev.template('api');
    for (const response of Object.values(GATEWAY_RESPONSES)) {
      const isDefault = response.type.startsWith('DEFAULT_');
      const [found] = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse', { Properties: { ResponseType: response.type } }));
      expect(found).toBeDefined();
      const properties = (found as { Properties: { StatusCode?: string; ResponseParameters: Record<string, string>; ResponseTemplates: Record<string, string> } }).Properties;

      // THEN the body is { error: { code, message }, request_id } with API Gateway's request id
      expect(JSON.parse(properties.ResponseTemplates['application/json']!)).toEqual({
        error: { code: response.code, message: response.message },
        request_id: '$context.requestId',
      });
      // AND the browser may read it (so the app can see a 401 and send the user to sign in)
      expect(properties.ResponseParameters).toMatchObject({
        'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
        'gatewayresponse.header.Access-Control-Allow-Headers': `'${CORS_ALLOW_HEADERS.join(',')}'`,
      });
      // AND a specific response has its status; a default one keeps the original (429, 504…)
      expect(properties.StatusCode).toBe(isDefault ? undefined : String(response.status));
    }
    expect(GATEWAY_RESPONSES.unauthorized.status).toBe(401);
    expect(GATEWAY_RESPONSES.accessDenied.status).toBe(403);
  });

  it('throttles the stage, writes access logs and logs errors without request data', () => {
    dev.template('api').hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('"request_id":"\\$context.requestId"') },
      MethodSettings: [
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: dev.config.apiThrottling.rateLimit,
          ThrottlingBurstLimit: dev.config.apiThrottling.burstLimit,
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          MetricsEnabled: true,
        }),
      ],
    });
  });

  it('validates what the gateway can: the command body and required path parameters', () => {
    const template = dev.template('api');
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true, ValidateRequestParameters: true });
    const [model] = Object.values(resourcesOf(template, 'AWS::ApiGateway::Model'));
    const schema = model!.Properties.Schema as { type: string; required: string[]; properties: { command_type: { enum: string[] } } };
    expect(schema).toMatchObject({ type: 'object', required: ['command_type'] });
    expect([...schema.properties.command_type.enum].sort()).toEqual([...COMMAND_TYPES].sort());
    const [detail] = methods().filter((method) => method.Properties.OperationName === 'getTenantDetail');
    expect(detail!.Properties.RequestParameters).toEqual({ 'method.request.path.id': true });
    const [create] = methods().filter((method) => method.Properties.OperationName === 'createOperationalCommand');
    expect(create!.Properties).toMatchObject({ RequestModels: { 'application/json': { Ref: expect.any(String) } }, RequestValidatorId: { Ref: expect.any(String) } });
  });

  it("allows the stage's site and the configured origins, and tells the handlers the same list", () => {
    // The preflight's VTL lists every allowed origin; the handlers get them in ALLOWED_ORIGINS.
    const preflight = methods().find((method) => method.Properties.HttpMethod === 'OPTIONS')!;
    const integration = JSON.stringify(preflight.Properties.Integration);
    for (const origin of dev.config.webOrigins) expect(integration).toContain(origin);
    expect(integration).toContain('https://');
    const fnId = logicalId(dev.stacks.api, dev.stacks.api.routes.functions.getTenantMe.fn);
    const fn = resourcesOf(dev.template('api'), 'AWS::Lambda::Function')[fnId]!;
    const allowed = JSON.stringify((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.ALLOWED_ORIGINS);
    expect(allowed).toContain('http://localhost:3000');
    expect(allowed).toContain('Distribution');
  });

  it('outputs the API URL', () => {
    dev.template('api').hasOutput('ApiUrl', { Value: Match.anyValue() });
  });

  it('answers throttling with 429 THROTTLED (Retry-After) and an oversized body with 413 PAYLOAD_TOO_LARGE', () => {
    const template = dev.template('api');
    const response = (type: string) =>
      (Object.values(template.findResources('AWS::ApiGateway::GatewayResponse', { Properties: { ResponseType: type } }))[0] as { Properties: { StatusCode: string; ResponseTemplates: Record<string, string>; ResponseParameters: Record<string, string> } }).Properties;
    const throttled = response('THROTTLED');
    expect(throttled.StatusCode).toBe('429');
    expect(JSON.parse(throttled.ResponseTemplates['application/json']!).error.code).toBe('THROTTLED');
    expect(throttled.ResponseParameters['gatewayresponse.header.Retry-After']).toBe("'1'");
    expect(throttled.ResponseParameters['gatewayresponse.header.Access-Control-Allow-Origin']).toBe("'*'");
    const tooLarge = response('REQUEST_TOO_LARGE');
    expect(tooLarge.StatusCode).toBe('413');
    expect(JSON.parse(tooLarge.ResponseTemplates['application/json']!).error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
