import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEMO_PASSWORD } from '@database/seed';
import { ROUTES } from '@lambda/routes';
import { p } from '@shared/db';
import { LOCAL_CREDENTIALS, LOCAL_DATA_API, REGION } from '@local/config';
import { startSeededApi, type SeededApi } from '../../support/api';
import { captureOutput } from '../../support/logs';

const S = 'alquimista_platform';
/** What a client sends in Authorization; it must never be echoed or logged. */
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0b2tlbi1tYXJrZXIifQ.c2lnbmF0dXJlLW1hcmtlci1kby1ub3QtbG9n';

/**
 * Every route called by every role (with the token in Authorization, as clients send it), and a
 * RESET_TOKEN run through the stream: no response body and no log line — at DEBUG — contains a
 * secret value, a secret ARN, a password or a token.
 */
describe('no secret in any response or log line (PGlite)', () => {
  let api: SeededApi;
  let logs: ReturnType<typeof captureOutput>;
  const bodies: string[] = [];

  beforeAll(async () => {
    process.env.LOG_LEVEL = 'DEBUG';
    api = await startSeededApi('pglite');
    logs = captureOutput();
  }, 120_000);
  afterAll(async () => {
    jest.restoreAllMocks();
    delete process.env.LOG_LEVEL;
    await api?.stop();
  });

  test('every route × every role, then a RESET_TOKEN, leave no secret behind', async () => {
    const roles = ['tenantAdminA', 'tenantUserA', 'support', 'admin'] as const;
    for (const route of ROUTES) {
      for (const role of roles) {
        const staff = role === 'support' || role === 'admin';
        const res = await api.invoke(route.id, {
          claims: api.claims[role],
          headers: { Authorization: TOKEN },
          query: staff && route.path.startsWith('/tenant/') ? { tenant_id: api.tenantA } : undefined,
          pathParameters: route.path.includes('{id}') ? { id: api.tenantA } : undefined,
          body: route.method === 'POST' ? { command_type: 'HEALTH_CHECK', parameters: {} } : undefined,
        });
        bodies.push(JSON.stringify(res.body));
      }
    }

    // A credential rotation, end to end, with the processor logging at DEBUG.
    const integration = (await api.local.db.one<{ id: string }>(`SELECT id FROM ${S}.tenant_integrations WHERE tenant_id = :t ORDER BY id LIMIT 1`, { t: p.uuid(api.tenantA) }))!.id;
    const mapping = api.startProcessor({ LOG_LEVEL: 'DEBUG' }, { startingPosition: 'LATEST' });
    const created = await api.invoke('createOperationalCommand', {
      claims: api.claims.support,
      headers: { Authorization: TOKEN },
      body: { command_type: 'RESET_TOKEN', tenant_id: api.tenantA, parameters: { integration_id: integration } },
    });
    bodies.push(JSON.stringify(created.body));
    const doc = DynamoDBDocumentClient.from(api.dynamo.client);
    let status = 'PENDING';
    for (let i = 0; i < 100 && !['SUCCESS', 'ERROR'].includes(status); i++) {
      await mapping.idle();
      status = (await doc.send(new GetCommand({ TableName: api.env.COMMANDS_TABLE!, Key: { command_id: created.body.command_id } }))).Item?.status ?? status;
      if (!['SUCCESS', 'ERROR'].includes(status)) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe('SUCCESS');
    bodies.push(JSON.stringify((await api.invoke('listOperationalCommands', { claims: api.claims.admin })).body));
    await mapping.stop();

    // What must never show: the rotated token, every secret ARN the system knows, the DB secret, passwords, tokens.
    const arns = (await api.local.db.query<{ arn: string }>(`SELECT credentials_secret_arn AS arn FROM ${S}.tenant_integrations WHERE credentials_secret_arn IS NOT NULL`)).map((r) => r.arn);
    const secrets = new SecretsManagerClient({ endpoint: api.secretsEndpoint, region: REGION, credentials: LOCAL_CREDENTIALS });
    const rotatedArn = (await api.local.db.one<{ arn: string }>(`SELECT credentials_secret_arn AS arn FROM ${S}.tenant_integrations WHERE id = :id`, { id: p.uuid(integration) }))!.arn;
    const token = JSON.parse((await secrets.send(new GetSecretValueCommand({ SecretId: rotatedArn }))).SecretString!).token as string;
    secrets.destroy();
    const forbidden = [token, LOCAL_DATA_API.secretArn, ...arns, DEMO_PASSWORD, TOKEN, TOKEN.split('.')[2]!];

    const written = logs.raw();
    expect(written.length).toBeGreaterThan(1000); // DEBUG was on: there is plenty to search
    expect(arns.length).toBeGreaterThan(10);
    for (const secret of forbidden) {
      expect([secret, bodies.some((b) => b.includes(secret))]).toEqual([secret, false]);
      expect([secret, written.includes(secret)]).toEqual([secret, false]);
    }
    // Nor anything that looks like a secret ARN or a bearer token.
    expect(bodies.join('\n')).not.toMatch(/arn:aws:secretsmanager:/);
    expect(written).not.toMatch(/arn:aws:secretsmanager:/);
    expect(written).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./);
  }, 120_000);
});
