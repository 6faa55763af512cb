import { generateKeyPairSync, sign } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { CognitoIdentityProviderClient, GetUserCommand, GlobalSignOutCommand, InitiateAuthCommand, NotAuthorizedException, RevokeTokenCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startLocalGateway, type LocalGateway } from '@local/gateway';
import { startLocalIdp, type LocalIdp } from '@local/idp';
import { invoke, prepareRuntime } from '@local/lambda-runtime';
import type { ApiHandler } from '@shared/http/handler';
import { LOCAL_CREDENTIALS } from '@local/config';
import { createHandler } from '@shared/http/handler';
import { captureOutput } from '../../support/logs';

const WEB = 'http://localhost:3000';
const USER = { sub: '5a0f3d1e-7c42-4b8e-9d61-0c2b7e4f1a03', email: 'admin@cliente1.example', password: 'Segredo@123', groups: ['TENANT_ADMIN', 'TENANT_USER'], tenantId: '87aaf650-7643-5bc0-98e4-8d727c9c5c08' };

describe('local IdP and gateway', () => {
  let idp: LocalIdp;
  let gateway: LocalGateway;
  let cognito: CognitoIdentityProviderClient;
  const seen: APIGatewayProxyEvent[] = [];

  beforeAll(async () => {
    await prepareRuntime(); // as npm run dev does, before any handler runs
    idp = await startLocalIdp({ port: 0, users: [USER] });
    // A stand-in handler that echoes what it was given: this suite is about the gateway, not the routes.
    gateway = await startLocalGateway({
      port: 0,
      issuer: idp.issuer,
      jwksUri: idp.jwksUri,
      clientId: idp.clientId,
      allowedOrigins: [WEB],
      // In this process, each invocation in its own context (as Lambda's concurrent runtime would).
      invokeRoute: (route, event, requestId) => invoke(() => handlerFor(route.handler)(event), requestId),
    });
    cognito = new CognitoIdentityProviderClient({ endpoint: idp.endpoint, region: idp.region, credentials: LOCAL_CREDENTIALS });
  });

  const handlerFor = (file: string): ApiHandler =>
        file === 'tenant/get-usage.ts'
          ? // The real handler kit, logging after a wait: concurrent requests must keep their own log keys.
            createHandler({ method: 'GET', path: '/tenant/usage', groups: ['TENANT_ADMIN'], cacheSeconds: 0 }, async ({ auth, logger }) => {
              await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 30));
              logger.info('answered', { expected_tenant: auth.tenantId });
              return { body: {} };
            })
          : async (event) => {
              seen.push(event);
              return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ok: true }) };
            };
  afterAll(async () => {
    cognito?.destroy();
    await gateway?.stop();
    await idp?.stop();
  });

  const signIn = async () =>
    (await cognito.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: idp.clientId, AuthParameters: { USERNAME: USER.email, PASSWORD: USER.password } }))).AuthenticationResult!;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${gateway.url}${path}`, { headers });
  const idClaims = (overrides: Record<string, unknown>) => {
    const now = Math.floor(Date.now() / 1000);
    return { sub: USER.sub, iss: idp.issuer, aud: idp.clientId, token_use: 'id', iat: now, exp: now + 600, 'cognito:groups': USER.groups, ...overrides };
  };

  test('a valid ID token reaches the handler with claims as API Gateway REST passes them', async () => {
    const { IdToken } = await signIn();
    const res = await get(`/internal/tenants/${USER.tenantId}?x=1&x=2`, { Authorization: `Bearer ${IdToken}` });

    expect(res.status).toBe(200);
    const event = seen.at(-1)!;
    expect(event.resource).toBe('/internal/tenants/{id}');
    expect(event.pathParameters).toEqual({ id: USER.tenantId });
    expect(event.queryStringParameters).toEqual({ x: '2' });
    expect(event.multiValueQueryStringParameters).toEqual({ x: ['1', '2'] });
    const claims = event.requestContext.authorizer!.claims as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: USER.sub, 'cognito:groups': 'TENANT_ADMIN,TENANT_USER', 'custom:tenant_id': USER.tenantId, token_use: 'id' });
    for (const value of Object.values(claims)) expect(typeof value).toBe('string');
  });

  test.each([
    ['expired', () => idp.signToken(idClaims({ exp: Math.floor(Date.now() / 1000) - 60 }))],
    ['for another client', () => idp.signToken(idClaims({ aud: 'someone-else' }))],
    ['from another issuer', () => idp.signToken(idClaims({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other' }))],
    ['an access token', () => idp.signToken(idClaims({ token_use: 'access', aud: undefined, client_id: idp.clientId }))],
    ['signed by a foreign key', () => foreignToken(idClaims({}))],
    ['malformed', () => 'abc.def'],
  ])('a token %s → 401 in the error shape, with CORS for the web app', async (_name, make) => {
    const res = await get('/tenant/me', { Authorization: make(), Origin: WEB });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) }, request_id: expect.any(String) });
    expect(res.headers.get('access-control-allow-origin')).toBe(WEB);
  });

  test('preflight is answered for the web origin without a token, and not for another origin', async () => {
    const ok = await fetch(`${gateway.url}/internal/operations/commands`, { method: 'OPTIONS', headers: { Origin: WEB, 'Access-Control-Request-Method': 'POST' } });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(WEB);
    expect(ok.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
    const foreign = await fetch(`${gateway.url}/tenant/me`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('an unknown route or method → 404 in the error shape, before any token check', async () => {
    for (const res of [await get('/tenant/nothing'), await fetch(`${gateway.url}/tenant/me`, { method: 'DELETE' })]) {
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }
  });

  test('GetUser needs a valid access token; after GlobalSignOut it and the refresh token stop working', async () => {
    const tokens = await signIn();
    const me = await cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
    expect(me.UserAttributes).toContainEqual({ Name: 'custom:tenant_id', Value: USER.tenantId });
    await expect(cognito.send(new GetUserCommand({ AccessToken: tokens.IdToken }))).rejects.toBeInstanceOf(NotAuthorizedException);

    await cognito.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));

    await expect(cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).rejects.toBeInstanceOf(NotAuthorizedException);
    await expect(
      cognito.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: idp.clientId, AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! } })),
    ).rejects.toBeInstanceOf(NotAuthorizedException);
  });

  test('GlobalSignOut ends every session of the user: the other sign-in’s access and refresh tokens too', async () => {
    const first = await signIn();
    const second = await signIn();
    await cognito.send(new GlobalSignOutCommand({ AccessToken: first.AccessToken }));
    await expect(cognito.send(new GetUserCommand({ AccessToken: second.AccessToken }))).rejects.toBeInstanceOf(NotAuthorizedException);
    await expect(
      cognito.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: idp.clientId, AuthParameters: { REFRESH_TOKEN: second.RefreshToken! } })),
    ).rejects.toBeInstanceOf(NotAuthorizedException);
    // A new sign-in afterwards works.
    const third = await signIn();
    await expect(cognito.send(new GetUserCommand({ AccessToken: third.AccessToken }))).resolves.toBeDefined();
  });

  test('RevokeToken ends this session only: its refresh and access tokens stop working, another sign-in goes on', async () => {
    const refresh = (token: string) => cognito.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: idp.clientId, AuthParameters: { REFRESH_TOKEN: token } }));
    const here = await signIn();
    const elsewhere = await signIn();
    const refreshed = (await refresh(here.RefreshToken!)).AuthenticationResult!;

    await cognito.send(new RevokeTokenCommand({ ClientId: idp.clientId, Token: here.RefreshToken! }));

    await expect(refresh(here.RefreshToken!)).rejects.toBeInstanceOf(NotAuthorizedException);
    for (const token of [here.AccessToken!, refreshed.AccessToken!]) {
      await expect(cognito.send(new GetUserCommand({ AccessToken: token }))).rejects.toBeInstanceOf(NotAuthorizedException);
    }
    await expect(cognito.send(new GetUserCommand({ AccessToken: elsewhere.AccessToken }))).resolves.toBeDefined();
    await expect(refresh(elsewhere.RefreshToken!)).resolves.toBeDefined();
    // Revoking again is not an error (RFC 7009); another client may not revoke.
    await expect(cognito.send(new RevokeTokenCommand({ ClientId: idp.clientId, Token: here.RefreshToken! }))).resolves.toBeDefined();
    await expect(cognito.send(new RevokeTokenCommand({ ClientId: 'someotherclient', Token: elsewhere.RefreshToken! }))).rejects.toMatchObject({ name: 'UnauthorizedException' });
  });

  test('a refresh token expires its validity after its sign-in, however often it was used', async () => {
    let clock = Date.parse('2026-11-30T08:00:00Z');
    const short = await startLocalIdp({ port: 0, users: [USER], refreshTokenSeconds: 8 * 3600, now: () => clock });
    const client = new CognitoIdentityProviderClient({ endpoint: short.endpoint, region: short.region, credentials: LOCAL_CREDENTIALS });
    try {
      const refresh = (token: string) => client.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: short.clientId, AuthParameters: { REFRESH_TOKEN: token } }));
      const { AuthenticationResult: tokens } = await client.send(
        new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: short.clientId, AuthParameters: { USERNAME: USER.email, PASSWORD: USER.password } }),
      );
      for (const hours of [1, 4, 7.9]) {
        clock = Date.parse('2026-11-30T08:00:00Z') + hours * 3_600_000;
        await expect(refresh(tokens!.RefreshToken!)).resolves.toBeDefined();
      }
      clock = Date.parse('2026-11-30T16:00:00Z');
      await expect(refresh(tokens!.RefreshToken!)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has expired' });
    } finally {
      client.destroy();
      await short.stop();
    }
  });

  test('tokens carry Cognito’s claims: a jti each, event_id, version on access tokens; a refresh keeps auth_time and origin_jti', async () => {
    const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const signedIn = await signIn();
    const [id, access] = [claims(signedIn.IdToken!), claims(signedIn.AccessToken!)];
    expect(id.jti).not.toBe(access.jti);
    expect(id.origin_jti).toBe(access.origin_jti);
    expect(id.event_id).toEqual(expect.any(String));
    expect(access).toMatchObject({ version: 2, token_use: 'access', event_id: id.event_id });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const refreshed = (await cognito.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: idp.clientId, AuthParameters: { REFRESH_TOKEN: signedIn.RefreshToken! } }))).AuthenticationResult!;
    const [newId, newAccess] = [claims(refreshed.IdToken!), claims(refreshed.AccessToken!)];
    expect(newId).toMatchObject({ auth_time: id.auth_time, origin_jti: id.origin_jti });
    expect(newAccess).toMatchObject({ auth_time: access.auth_time, origin_jti: access.origin_jti, version: 2 });
    expect(newId.jti).not.toBe(id.jti);
    expect(newId.iat).toBeGreaterThan(id.iat as number);
  });

  test.each([
    ['a truncated escape in the query', '/tenant/me?tenant_id=%E0%A4%A', 'tenant_id'],
    ['a bare % in the query', '/tenant/me?tenant_id=50%', 'tenant_id'],
    ['a bare % in a query name', '/tenant/me?ten%ant=1', 'ten%ant'],
    ['a malformed path parameter', '/internal/tenants/%E0%A4%A/agents', 'id'],
  ])('%s → 400 naming the parameter, the handler never called', async (_, path, name) => {
    const { IdToken } = await signIn();
    const before = seen.length;
    const res = await get(path, { Authorization: IdToken! });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('BAD_REQUEST');
    expect(body.error.message).toContain(`"${name}"`);
    expect(seen.length).toBe(before);
  });

  test('concurrent requests keep their own log keys (tenant, user, request id)', async () => {
    const logs = captureOutput();
    try {
      const tenants = Array.from({ length: 20 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
      const responses = await Promise.all(
        tenants.map((tenant) => get('/tenant/usage', { Authorization: idp.signToken(idClaims({ 'custom:tenant_id': tenant, 'cognito:groups': ['TENANT_ADMIN'] })) })),
      );
      expect(responses.map((r) => r.status)).toEqual(tenants.map(() => 200));
      const lines = logs.lines().filter((line) => line.message === 'answered');
      expect(lines).toHaveLength(20);
      for (const line of lines) expect([line.tenant_id, line.request_id]).toEqual([line.expected_tenant, expect.any(String)]);
    } finally {
      jest.restoreAllMocks();
    }
  });

  test('a body over API Gateway’s 10 MB limit → 413 PAYLOAD_TOO_LARGE in the error shape, the handler never called', async () => {
    const { IdToken } = await signIn();
    const before = seen.length;
    const res = await fetch(`${gateway.url}/internal/operations/commands`, {
      method: 'POST',
      headers: { Authorization: IdToken!, 'Content-Type': 'application/json', Origin: WEB },
      body: JSON.stringify({ command_type: 'HEALTH_CHECK', parameters: { padding: 'x'.repeat(10 * 1024 * 1024) } }),
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { error: { code: string; message: string }; request_id: string };
    expect(body).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/10 MB/) }, request_id: expect.any(String) });
    expect(res.headers.get('access-control-allow-origin')).toBe(WEB);
    expect(seen.length).toBe(before);
  });

  test('a request line and headers over API Gateway’s 10,240 bytes → its default 4xx in the error shape, past Node’s 16 KB parser limit too', async () => {
    const { IdToken } = await signIn();
    const before = seen.length;
    for (const length of [10_300, 20_000]) {
      const res = await get(`/internal/tenants?search=${'a'.repeat(length)}`, { Authorization: IdToken!, Origin: WEB });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { code: 'BAD_REQUEST', message: 'The request was rejected by the API gateway.' }, request_id: expect.any(String) });
    }
    expect(seen.length).toBe(before);
    // Just under the quota, the request goes through.
    expect((await get(`/internal/tenants?search=${'a'.repeat(8_000)}`, { Authorization: IdToken! })).status).not.toBe(400);
  });

  test('a wrong password and an unknown user get the same NotAuthorizedException', async () => {
    for (const username of [USER.email, 'nobody@example.com']) {
      const attempt = cognito.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: idp.clientId, AuthParameters: { USERNAME: username, PASSWORD: 'wrong' } }));
      await expect(attempt).rejects.toThrow('Incorrect username or password.');
    }
  });
});

/** A well-formed RS256 token signed by a key the pool never published (same header shape). */
function foreignToken(claims: Record<string, unknown>): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part({ alg: 'RS256', kid: 'unknown', typ: 'JWT' })}.${part(claims)}`;
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), privateKey).toString('base64url')}`;
}
