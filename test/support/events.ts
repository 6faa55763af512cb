import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Group } from '@shared/auth';

/** Stable ids so assertions can name them. */
export const TENANT_A = '0b6f3c1e-4a5d-4e2f-9a7b-1c2d3e4f5a6b';
export const TENANT_B = '7e8f9a0b-1c2d-4e3f-8a9b-0c1d2e3f4a5b';
export const USER_SUB = '11111111-2222-4333-8444-555555555555';

/** Claims exactly as the REST API Cognito authorizer passes them: every value is a string. */
export type Claims = Record<string, string>;

export interface ClaimsOptions {
  sub?: string;
  email?: string;
  groups?: readonly Group[] | string;
  tenantId?: string;
}

/** ID-token claims; groups default to the comma form API Gateway uses for a REST authorizer. */
export function claimsFor({ sub = USER_SUB, email = 'ana@example.com', groups = [], tenantId }: ClaimsOptions = {}): Claims {
  return {
    sub,
    email,
    'cognito:username': sub,
    'cognito:groups': typeof groups === 'string' ? groups : groups.join(','),
    token_use: 'id',
    ...(tenantId !== undefined && { 'custom:tenant_id': tenantId }),
  };
}

export const tenantUserClaims = (tenantId = TENANT_A): Claims => claimsFor({ groups: ['TENANT_USER'], tenantId });
export const tenantAdminClaims = (tenantId = TENANT_A): Claims => claimsFor({ groups: ['TENANT_ADMIN'], tenantId });
export const supportClaims = (): Claims => claimsFor({ sub: 'staff-support-sub', groups: ['INTERNAL_SUPPORT'] });
export const adminClaims = (): Claims => claimsFor({ sub: 'staff-admin-sub', groups: ['INTERNAL_ADMIN'] });

export interface ApiEventOptions {
  method?: string;
  /** Concrete request path, e.g. `/internal/tenants/abc`. */
  path?: string;
  /** Route template; defaults to `path`. */
  resource?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  /** Objects are JSON-encoded; strings are sent verbatim (to test malformed bodies). */
  body?: unknown;
  isBase64Encoded?: boolean;
  headers?: Record<string, string>;
  /** `null` builds an event with no authorizer at all. */
  claims?: Claims | null;
  requestId?: string;
}

/** A realistic API Gateway REST (v1) proxy event, as the Cognito-authorized API delivers it. */
export function apiEvent(options: ApiEventOptions = {}): APIGatewayProxyEvent {
  const {
    method = 'GET',
    path = '/',
    resource = path,
    pathParameters,
    query,
    body,
    isBase64Encoded = false,
    headers = {},
    claims = tenantUserClaims(),
    requestId = 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  } = options;

  const allHeaders = { Accept: 'application/json', Authorization: 'eyJraWQiOi.fake.token', ...headers };
  const encodedBody = body === undefined || body === null ? null : typeof body === 'string' ? body : JSON.stringify(body);

  return {
    resource,
    path,
    httpMethod: method,
    headers: allHeaders,
    multiValueHeaders: Object.fromEntries(Object.entries(allHeaders).map(([key, value]) => [key, [value]])),
    queryStringParameters: query ?? null,
    multiValueQueryStringParameters: query
      ? Object.fromEntries(Object.entries(query).map(([key, value]) => [key, [value]]))
      : null,
    pathParameters: pathParameters ?? null,
    stageVariables: null,
    body: encodedBody,
    isBase64Encoded,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123defg',
      authorizer: claims === null ? undefined : { claims },
      protocol: 'HTTP/1.1',
      httpMethod: method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '203.0.113.10',
        user: null,
        userAgent: 'jest',
        userArn: null,
      },
      path: `/dev${path}`,
      stage: 'dev',
      requestId,
      requestTimeEpoch: 1_700_000_000_000,
      resourceId: 'res123',
      resourcePath: resource,
    },
  };
}
