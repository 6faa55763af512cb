import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Issue 18: under `npm run dev`, functions run as Lambda runs them. Before, the processor ran in the
 * process of the API handlers and resumed in another function's context: four waves of five
 * concurrent HEALTH_CHECKs left 12 of 20 commands PENDING for good, and log keys of the API and
 * the processor mixed. Here 200 commands are issued in waves of 20 while 20 connections load the
 * API's reads; every one must end, and every log line carry only its own invocation's keys.
 */
interface Endpoints {
  apiUrl: string;
  cognito: { endpoint: string; clientId: string };
  demoUsers: Array<{ email: string; password: string; groups: string[]; tenantId: string | null }>;
}

const ROOT = join(__dirname, '..', '..');
const COMMANDS = 200;
const WAVE = 20;
const CONNECTIONS = 20;

describe('the local runtime under load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'painel-load-'));
  let child: ChildProcess;
  let stdout = '';
  let endpoints: Endpoints;

  beforeAll(async () => {
    child = spawn(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'local', 'dev.ts'), '--no-web'], {
      cwd: ROOT,
      env: { ...process.env, API_PORT: '0', IDP_PORT: '0', DATA_API_PORT: '0', DYNAMODB_PORT: '0', SECRETS_MANAGER_PORT: '0', PAINEL_LOCAL_DIR: dir, DATABASE_URL: '', NODE_OPTIONS: '', LOG_LEVEL: 'INFO', PAINEL_RATE_LIMITS: JSON.stringify({ user: 1e9, tenant: 1e9, commandsPerUser: 1e9 }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const file = join(dir, 'endpoints.json');
    for (let i = 0; !existsSync(file); i++) {
      if (child.exitCode !== null || i > 1200) throw new Error(`npm run dev was not ready:\n${stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    endpoints = JSON.parse(readFileSync(file, 'utf8')) as Endpoints;
  }, 180_000);
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const signIn = async (group: string) => {
    const user = endpoints.demoUsers.find((u) => u.groups.includes(group))!;
    const res = await fetch(endpoints.cognito.endpoint, {
      method: 'POST',
      headers: { 'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth', 'Content-Type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: endpoints.cognito.clientId, AuthParameters: { USERNAME: user.email, PASSWORD: user.password } }),
    });
    return { token: ((await res.json()) as { AuthenticationResult: { IdToken: string } }).AuthenticationResult.IdToken, user };
  };

  test(`${COMMANDS} HEALTH_CHECKs issued while ${CONNECTIONS} connections read: none dropped, no log key crosses invocations`, async () => {
    const { token } = await signIn('INTERNAL_SUPPORT');
    const tenant = endpoints.demoUsers.find((u) => u.tenantId)!.tenantId!;
    const api = (path: string, init: RequestInit = {}) => fetch(`${endpoints.apiUrl}${path}`, { ...init, headers: { Authorization: token, 'Content-Type': 'application/json', ...init.headers } });

    // The reads' load, until the commands are all issued.
    let loading = true;
    let reads = 0;
    const readers = Array.from({ length: CONNECTIONS }, async (_, i) => {
      const paths = ['/internal/tenants?limit=20', `/tenant/me?tenant_id=${tenant}`, `/internal/tenants/${tenant}`, '/internal/operations/commands?limit=20'];
      while (loading) {
        const res = await api(paths[i % paths.length]!);
        expect(res.status).toBe(200);
        await res.arrayBuffer();
        reads++;
      }
    });

    const issued: Array<{ id: string; tenant: string | null }> = [];
    for (let wave = 0; wave < COMMANDS / WAVE; wave++) {
      const created = await Promise.all(
        Array.from({ length: WAVE }, async (_, i) => {
          const withTenant = (wave + i) % 2 === 0;
          const res = await api('/internal/operations/commands', { method: 'POST', body: JSON.stringify({ command_type: 'HEALTH_CHECK', ...(withTenant && { tenant_id: tenant }), parameters: {} }) });
          expect(res.status).toBe(202);
          return { id: ((await res.json()) as { command_id: string }).command_id, tenant: withTenant ? tenant : null };
        }),
      );
      issued.push(...created);
    }
    loading = false;
    await Promise.all(readers);
    expect(reads).toBeGreaterThan(CONNECTIONS);

    // Every command ends (the processor is on the table's stream; nothing may stay PENDING or RUNNING).
    const ids = new Set(issued.map((c) => c.id));
    let open = [...ids];
    for (let i = 0; i < 600 && open.length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const still = new Set<string>();
      for (const status of ['PENDING', 'RUNNING']) {
        const res = await api(`/internal/operations/commands?status=${status}&limit=100`);
        for (const row of ((await res.json()) as { commands: Array<{ command_id: string }> }).commands) if (ids.has(row.command_id)) still.add(row.command_id);
      }
      open = [...still];
    }
    expect({ dropped: open.length }).toEqual({ dropped: 0 });
    const done = await api('/internal/operations/commands?status=SUCCESS&limit=100');
    expect(((await done.json()) as { total: number }).total).toBeGreaterThanOrEqual(Math.min(COMMANDS, 100));

    // Log lines: the API's carry their request and route, never a command's processing keys; the
    // processor's carry their command (and its tenant), never a request's.
    const lines = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const created = lines.filter((line) => line.message === 'command created');
    const succeeded = lines.filter((line) => line.message === 'command succeeded');
    expect(created.length).toBe(COMMANDS);
    expect(succeeded.length).toBe(COMMANDS);
    for (const line of created) {
      expect({ route: line.route, method: line.method, command_type_key: 'created_by' in line }).toEqual({ route: '/internal/operations/commands', method: 'POST', command_type_key: false });
      expect(ids.has(String(line.command_id))).toBe(true);
    }
    const tenantOf = new Map(issued.map((c) => [c.id, c.tenant]));
    for (const line of succeeded) {
      expect({ request_id: line.request_id, route: line.route, method: line.method }).toEqual({ request_id: undefined, route: undefined, method: undefined });
      expect(line.tenant_id ?? null).toBe(tenantOf.get(String(line.command_id)));
    }
  }, 300_000);
});
