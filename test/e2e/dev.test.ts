import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CognitoIdentityProviderClient, GetUserCommand, InitiateAuthCommand, NotAuthorizedException } from '@aws-sdk/client-cognito-identity-provider';
import { loadStageConfig } from '../../lib/config';
import { ROUTES } from '@lambda/routes';
import { API_CONTRACT } from '@lambda/api-contract';
import { LOCAL_CREDENTIALS } from '@local/config';

/**
 * `npm run dev -- --no-web` as a new engineer runs it, on free ports and in a scratch data
 * directory: sign in as every demo user through the real Cognito client, call every route with
 * the ID token, run a HEALTH_CHECK to SUCCESS, then Ctrl-C and check that nothing is left behind.
 */
interface Endpoints {
  apiUrl: string;
  cognito: { endpoint: string; region: string; userPoolId: string; clientId: string };
  dataApi: { endpoint: string };
  dynamodb: { endpoint: string; commandsTable: string };
  demoUsers: Array<{ email: string; password: string; groups: string[]; tenantId: string | null }>;
}

const ROOT = join(__dirname, '..', '..');
const FREE_PORTS = { API_PORT: '0', IDP_PORT: '0', DATA_API_PORT: '0', DYNAMODB_PORT: '0', SECRETS_MANAGER_PORT: '0', WEB_PORT: '0' };

function startDev(dir: string): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'local', 'dev.ts'), '--no-web'], {
    cwd: ROOT,
    env: { ...process.env, ...FREE_PORTS, PAINEL_LOCAL_DIR: dir, DATABASE_URL: '', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function waitForEndpoints(dir: string, dev: ReturnType<typeof startDev>): Promise<Endpoints> {
  const file = join(dir, 'endpoints.json');
  for (let i = 0; i < 600; i++) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Endpoints;
    if (dev.child.exitCode !== null) throw new Error(`npm run dev exited early:\n${dev.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`npm run dev was not ready:\n${dev.output()}`);
}

async function stopDev(dev: ReturnType<typeof startDev>): Promise<number | null> {
  if (dev.child.exitCode !== null) return dev.child.exitCode;
  const exited = new Promise<number | null>((resolve) => dev.child.once('exit', (code) => resolve(code)));
  dev.child.kill('SIGINT');
  return exited;
}

const portIsFree = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });

describe('npm run dev -- --no-web', () => {
  const dir = mkdtempSync(join(tmpdir(), 'painel-dev-'));
  let dev: ReturnType<typeof startDev>;
  let endpoints: Endpoints;
  let cognito: CognitoIdentityProviderClient;

  beforeAll(async () => {
    dev = startDev(dir);
    endpoints = await waitForEndpoints(dir, dev);
    cognito = new CognitoIdentityProviderClient({ endpoint: endpoints.cognito.endpoint, region: endpoints.cognito.region, credentials: LOCAL_CREDENTIALS });
  }, 120_000);
  afterAll(async () => {
    cognito?.destroy();
    if (dev) await stopDev(dev);
    rmSync(dir, { recursive: true, force: true });
  });

  const signIn = async (email: string, password: string) =>
    (await cognito.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: endpoints.cognito.clientId, AuthParameters: { USERNAME: email, PASSWORD: password } }))).AuthenticationResult!;

  const call = async (method: string, path: string, token: string | undefined, body?: unknown) => {
    const res = await fetch(`${endpoints.apiUrl}${path}`, {
      method,
      headers: { ...(token && { Authorization: token }), ...(body !== undefined && { 'Content-Type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as any, headers: res.headers };
  };

  test('endpoints.json follows the local contract, with demo users of every role across two tenants', () => {
    expect(endpoints).toMatchObject({ apiUrl: expect.any(String), cognito: { userPoolId: expect.any(String), clientId: expect.any(String) }, dataApi: { endpoint: expect.any(String) }, dynamodb: { commandsTable: expect.any(String) } });
    const groups = new Set(endpoints.demoUsers.flatMap((u) => u.groups));
    expect(groups).toEqual(new Set(['INTERNAL_ADMIN', 'INTERNAL_SUPPORT', 'TENANT_ADMIN', 'TENANT_USER']));
    expect(new Set(endpoints.demoUsers.map((u) => u.tenantId).filter(Boolean)).size).toBe(2);
  });

  test('every demo user signs in through the Cognito client; the ID token carries the claims; refresh works; a wrong password is NotAuthorizedException', async () => {
    for (const user of endpoints.demoUsers) {
      const tokens = await signIn(user.email, user.password);
      const claims = JSON.parse(Buffer.from(tokens.IdToken!.split('.')[1]!, 'base64url').toString());
      expect(claims).toMatchObject({ email: user.email, 'cognito:groups': user.groups, token_use: 'id', aud: endpoints.cognito.clientId, iss: expect.stringContaining(endpoints.cognito.userPoolId) });
      if (user.tenantId) expect(claims['custom:tenant_id']).toBe(user.tenantId);
      const me = await cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
      expect(me.UserAttributes).toContainEqual({ Name: 'email', Value: user.email });
      const refreshed = await cognito.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: endpoints.cognito.clientId, AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! } }));
      expect(refreshed.AuthenticationResult?.IdToken).toEqual(expect.any(String));
    }
    await expect(signIn(endpoints.demoUsers[0]!.email, 'wrong-password')).rejects.toBeInstanceOf(NotAuthorizedException);
  });

  test('every route answers every demo user through the gateway with the ID token (raw or Bearer)', async () => {
    const staffTenant = endpoints.demoUsers.find((u) => u.tenantId)!.tenantId!;
    for (const user of endpoints.demoUsers) {
      const token = (await signIn(user.email, user.password)).IdToken!;
      const staff = user.groups.some((g) => g.startsWith('INTERNAL_'));
      for (const route of ROUTES) {
        const allowed = (route.groups as readonly string[]).includes(user.groups[0]!);
        const path = route.path.replace('{id}', staffTenant) + (staff && route.path.startsWith('/tenant/') ? `?tenant_id=${staffTenant}` : '');
        const body = route.method === 'POST' ? { command_type: 'HEALTH_CHECK', parameters: {} } : undefined;
        const res = await call(route.method, path, route.id === 'getTenantMe' ? `Bearer ${token}` : token, body);
        expect([route.id, user.email, res.status]).toEqual([route.id, user.email, allowed ? (API_CONTRACT[route.id].status ?? 200) : 403]);
      }
    }
  }, 60_000);

  test('the gateway answers 401 for a missing, malformed or foreign token and 404 for an unknown route, in the error shape', async () => {
    const foreign = 'eyJhbGciOiJSUzI1NiIsImtpZCI6Im5vcGUifQ.eyJzdWIiOiJ4IiwidG9rZW5fdXNlIjoiaWQifQ.c2lnbmF0dXJl';
    for (const token of [undefined, 'not-a-jwt', foreign]) {
      const res = await call('GET', '/tenant/me', token);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) }, request_id: expect.any(String) });
    }
    const tokens = await signIn(endpoints.demoUsers[0]!.email, endpoints.demoUsers[0]!.password);
    const access = await call('GET', '/internal/tenants', tokens.AccessToken!); // an access token is not an ID token
    expect(access.status).toBe(401);
    const unknown = await call('GET', '/internal/nothing-here', tokens.IdToken!);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
  });

  test('a HEALTH_CHECK issued by support reaches SUCCESS through the stream and the processor', async () => {
    const support = endpoints.demoUsers.find((u) => u.groups.includes('INTERNAL_SUPPORT'))!;
    const token = (await signIn(support.email, support.password)).IdToken!;
    const created = await call('POST', '/internal/operations/commands', token, { command_type: 'HEALTH_CHECK', parameters: {} });
    expect(created.status).toBe(202);

    let status = 'PENDING';
    for (let i = 0; i < 300 && !['SUCCESS', 'ERROR'].includes(status); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const listed = await call('GET', '/internal/operations/commands?command_type=HEALTH_CHECK&limit=100', token);
      status = listed.body.commands.find((c: { command_id: string }) => c.command_id === created.body.command_id)?.status ?? status;
    }
    // On failure, what the stack logged (the processor's errors) says why.
    if (status !== 'SUCCESS') throw new Error(`HEALTH_CHECK ended ${status}; npm run dev logged:\n${dev.output().slice(-4000)}`);
  }, 90_000);

  test('rate limits apply through the local gateway as deployed: support’s commands past the dev stage’s budget get 429 with Retry-After', async () => {
    const support = endpoints.demoUsers.find((u) => u.groups.includes('INTERNAL_SUPPORT'))!;
    const token = (await signIn(support.email, support.password)).IdToken!;
    const budget = loadStageConfig({ stage: 'dev' }).rateLimits.commandsPerUser;
    // At most two windows' worth: a window may end during the loop.
    let refused: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 2 * budget + 1 && !refused; i++) {
      const res = await call('POST', '/internal/operations/commands', token, { command_type: 'HEALTH_CHECK', parameters: {} });
      if (res.status === 429) refused = res;
      else expect(res.status).toBe(202);
    }
    expect(refused?.body.error).toMatchObject({ code: 'TOO_MANY_REQUESTS', message: expect.stringContaining(`at most ${budget} per`) });
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Reads are another budget.
    expect((await call('GET', '/internal/operations/commands?limit=1', token)).status).toBe(200);
  }, 90_000);

  test('Ctrl-C stops everything: exit code 0, every port free, endpoints.json removed; a second start reuses the data', async () => {
    const ports = [endpoints.apiUrl, endpoints.cognito.endpoint, endpoints.dataApi.endpoint, endpoints.dynamodb.endpoint];
    expect(await stopDev(dev)).toBe(0);
    for (const url of ports) expect(await portIsFree(url)).toBe(true);
    expect(existsSync(join(dir, 'endpoints.json'))).toBe(false);

    dev = startDev(dir);
    endpoints = await waitForEndpoints(dir, dev);
    expect(dev.output()).toContain('reusing existing data');
    expect(dev.output()).not.toContain('seeding demo data');

    // The commands table is on disk too: the HEALTH_CHECK of before is still listed, as its audit rows are.
    cognito.destroy();
    cognito = new CognitoIdentityProviderClient({ endpoint: endpoints.cognito.endpoint, region: endpoints.cognito.region, credentials: LOCAL_CREDENTIALS });
    const support = endpoints.demoUsers.find((u) => u.groups.includes('INTERNAL_SUPPORT'))!;
    const token = (await signIn(support.email, support.password)).IdToken!;
    const listed = await call('GET', '/internal/operations/commands?command_type=HEALTH_CHECK', token);
    expect(listed.status).toBe(200);
    expect(listed.body.commands.map((c: { status: string }) => c.status)).toContain('SUCCESS');
  }, 60_000);
});
