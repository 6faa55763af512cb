import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { LOCAL_CREDENTIALS, REGION } from '@local/config';
import { secretsHandlerEnvironment, startLocalSecretsManager, type LocalSecretsManager } from '@local/secrets-manager';

describe('local Secrets Manager', () => {
  let local: LocalSecretsManager;
  let client: SecretsManagerClient;

  beforeAll(async () => {
    local = await startLocalSecretsManager({ port: 0 });
    client = new SecretsManagerClient({ endpoint: local.endpoint, region: REGION, credentials: LOCAL_CREDENTIALS });
  });

  afterAll(async () => {
    client?.destroy();
    await local?.stop();
  });

  test('create, then get by name, by full ARN and by partial ARN', async () => {
    // WHEN a string secret is created
    const created = await client.send(new CreateSecretCommand({ Name: 'painel/integrations/a', SecretString: 'token-a-1', Description: 'integration a' }));

    // THEN it has a service-shaped ARN and a first version
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:painel\/integrations\/a-[A-Za-z0-9]{6}$/);
    expect(created.Name).toBe('painel/integrations/a');
    expect(created.VersionId).toEqual(expect.any(String));

    // AND each way of naming it reads the current value
    for (const SecretId of ['painel/integrations/a', created.ARN!, created.ARN!.slice(0, -7)]) {
      const value = await client.send(new GetSecretValueCommand({ SecretId }));
      expect(value).toMatchObject({ ARN: created.ARN, Name: 'painel/integrations/a', SecretString: 'token-a-1', VersionId: created.VersionId, VersionStages: ['AWSCURRENT'] });
      expect(value.CreatedDate).toBeInstanceOf(Date);
    }
  });

  test('put moves AWSCURRENT to the new version and AWSPREVIOUS to the old one', async () => {
    // GIVEN a secret with a first value
    const { VersionId: v1 } = await client.send(new CreateSecretCommand({ Name: 'rotating', SecretString: 'one' }));

    // WHEN two new values are put
    const put2 = await client.send(new PutSecretValueCommand({ SecretId: 'rotating', SecretString: 'two' }));
    const put3 = await client.send(new PutSecretValueCommand({ SecretId: 'rotating', SecretString: 'three' }));

    // THEN the newest is current, the one before it previous, and the first is no longer staged
    expect(put3.VersionStages).toEqual(['AWSCURRENT']);
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'rotating' }))).SecretString).toBe('three');
    const previous = await client.send(new GetSecretValueCommand({ SecretId: 'rotating', VersionStage: 'AWSPREVIOUS' }));
    expect(previous).toMatchObject({ SecretString: 'two', VersionId: put2.VersionId, VersionStages: ['AWSPREVIOUS'] });
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'rotating', VersionId: v1 }))).SecretString).toBe('one');

    const described = await client.send(new DescribeSecretCommand({ SecretId: 'rotating' }));
    expect(described.VersionIdsToStages).toEqual({ [put3.VersionId!]: ['AWSCURRENT'], [put2.VersionId!]: ['AWSPREVIOUS'] });
    expect(described).toMatchObject({ Name: 'rotating', RotationEnabled: false });
    expect(described.CreatedDate).toBeInstanceOf(Date);
  });

  test('ClientRequestToken makes a put idempotent, and a token cannot be reused for another value', async () => {
    await client.send(new CreateSecretCommand({ Name: 'idempotent', SecretString: 'first' }));
    const ClientRequestToken = 'a1b2c3d4-0000-4000-8000-000000000001';

    const once = await client.send(new PutSecretValueCommand({ SecretId: 'idempotent', SecretString: 'second', ClientRequestToken }));
    const again = await client.send(new PutSecretValueCommand({ SecretId: 'idempotent', SecretString: 'second', ClientRequestToken }));

    expect(again.VersionId).toBe(once.VersionId);
    expect(again.VersionId).toBe(ClientRequestToken);
    const described = await client.send(new DescribeSecretCommand({ SecretId: 'idempotent' }));
    expect(Object.keys(described.VersionIdsToStages ?? {})).toHaveLength(2);
    await expect(client.send(new PutSecretValueCommand({ SecretId: 'idempotent', SecretString: 'other', ClientRequestToken }))).rejects.toBeInstanceOf(ResourceExistsException);

    // A retried CreateSecret (same token, same value) answers as the first call did
    const createToken = 'a1b2c3d4-0000-4000-8000-000000000002';
    const created = await client.send(new CreateSecretCommand({ Name: 'created-once', SecretString: 'v', ClientRequestToken: createToken }));
    const retried = await client.send(new CreateSecretCommand({ Name: 'created-once', SecretString: 'v', ClientRequestToken: createToken }));
    expect(retried).toMatchObject({ ARN: created.ARN, VersionId: createToken });
  });

  test('ListSecretVersionIds lists the staged versions, the deprecated ones too with IncludeDeprecated, in pages', async () => {
    const { VersionId: v1, ARN } = await client.send(new CreateSecretCommand({ Name: 'listed', SecretString: 'one' }));
    const { VersionId: v2 } = await client.send(new PutSecretValueCommand({ SecretId: 'listed', SecretString: 'two' }));
    const { VersionId: v3 } = await client.send(new PutSecretValueCommand({ SecretId: 'listed', SecretString: 'three' }));

    const staged = await client.send(new ListSecretVersionIdsCommand({ SecretId: 'listed' }));
    expect(staged).toMatchObject({ ARN, Name: 'listed' });
    expect(staged.Versions!.map((v) => [v.VersionId, v.VersionStages])).toEqual([[v2, ['AWSPREVIOUS']], [v3, ['AWSCURRENT']]]);

    const all: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await client.send(new ListSecretVersionIdsCommand({ SecretId: ARN, IncludeDeprecated: true, MaxResults: 2, NextToken }));
      expect(page.Versions!.length).toBeLessThanOrEqual(2);
      all.push(...page.Versions!.map((v) => v.VersionId!));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(all).toEqual([v1, v2, v3]);
    await expect(client.send(new ListSecretVersionIdsCommand({ SecretId: 'listed', MaxResults: 0 }))).rejects.toBeInstanceOf(InvalidParameterException);
  });

  test('binary secrets round-trip', async () => {
    const bytes = new Uint8Array([0, 1, 2, 253, 254, 255]);
    await client.send(new CreateSecretCommand({ Name: 'binary', SecretBinary: bytes }));
    const value = await client.send(new GetSecretValueCommand({ SecretId: 'binary' }));
    expect(value.SecretString).toBeUndefined();
    expect(Buffer.from(value.SecretBinary!)).toEqual(Buffer.from(bytes));
  });

  test('errors surface as the SDK exception classes', async () => {
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'does-not-exist' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new DescribeSecretCommand({ SecretId: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:nope-AbCdEf' }))).rejects.toBeInstanceOf(ResourceNotFoundException);

    await client.send(new CreateSecretCommand({ Name: 'taken', SecretString: 'x' }));
    await expect(client.send(new CreateSecretCommand({ Name: 'taken', SecretString: 'y' }))).rejects.toBeInstanceOf(ResourceExistsException);

    // A secret with no value yet has no AWSCURRENT version
    await client.send(new CreateSecretCommand({ Name: 'empty' }));
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'empty' }))).rejects.toBeInstanceOf(ResourceNotFoundException);

    await expect(client.send(new CreateSecretCommand({ Name: 'both', SecretString: 'x', SecretBinary: new Uint8Array([1]) }))).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'both' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  test('an unknown operation is a 400 UnknownOperationException', async () => {
    const response = await fetch(local.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.DeleteEverything' },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ __type: 'UnknownOperationException', message: expect.any(String) });
  });

  test('no secret value is ever written to the console', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => jest.spyOn(console, method).mockImplementation(() => undefined));
    try {
      await client.send(new CreateSecretCommand({ Name: 'quiet', SecretString: 'never-print-me' }));
      await client.send(new GetSecretValueCommand({ SecretId: 'quiet' }));
      await expect(client.send(new PutSecretValueCommand({ SecretId: 'quiet', SecretString: 'never-print-me-either', SecretBinary: new Uint8Array([1]) }))).rejects.toThrow();
      const printed = spies.flatMap((spy) => spy.mock.calls.flat().map(String)).join('\n');
      expect(printed).not.toContain('never-print-me');
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
  });

  test('the SDK honours AWS_ENDPOINT_URL_SECRETS_MANAGER from secretsHandlerEnvironment', async () => {
    // GIVEN the handler environment, and a client configured as the handlers configure theirs
    const env = secretsHandlerEnvironment(local);
    expect(env).toEqual({ AWS_ENDPOINT_URL_SECRETS_MANAGER: local.endpoint });
    await client.send(new CreateSecretCommand({ Name: 'via-env', SecretString: 'from-env' }));
    const saved = process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
    const plain = new SecretsManagerClient({ region: REGION, credentials: LOCAL_CREDENTIALS });
    try {
      // WHEN it reads without being given an endpoint
      const value = await plain.send(new GetSecretValueCommand({ SecretId: 'via-env' }));

      // THEN it reached the local endpoint
      expect(value.SecretString).toBe('from-env');
    } finally {
      plain.destroy();
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
      else process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = saved;
    }
  });
});
