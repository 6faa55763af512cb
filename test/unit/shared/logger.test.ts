import { NotFoundError } from '@shared/errors';
import { createHandler } from '@shared/http/handler';
import type { RouteDefinition } from '@shared/http/route';
import { isSensitiveKey, logger, REDACTED, withLogKeys } from '@shared/logger';
import { captureOutput } from '../../support/logs';
import { apiEvent, claimsFor, supportClaims, tenantUserClaims, TENANT_A, USER_SUB } from '../../support/events';

const route: RouteDefinition = {
  method: 'GET',
  path: '/tenant/me',
  groups: ['TENANT_ADMIN', 'TENANT_USER', 'INTERNAL_ADMIN', 'INTERNAL_SUPPORT'],
  cacheSeconds: 0,
};

afterEach(() => {
  jest.restoreAllMocks();
  logger.resetKeys();
});

describe('logger', () => {
  it('GIVEN a handled request WHEN the function logs THEN the line is JSON with request_id, tenant_id and user', async () => {
    // Arrange
    const out = captureOutput();
    const handler = createHandler(route, ({ logger: log }) => {
      log.info('loading tenant');
      return { body: {} };
    });
    // Act
    await handler(apiEvent({ claims: tenantUserClaims(), requestId: 'req-log-1' }));
    // Assert
    const line = out.lines().find((entry) => entry.message === 'loading tenant');
    expect(line).toMatchObject({
      level: 'INFO',
      service: 'painel-operacional',
      request_id: 'req-log-1',
      tenant_id: TENANT_A,
      user: USER_SUB,
    });
  });

  it('GIVEN sensitive attributes at any depth WHEN logged THEN their values are redacted', async () => {
    // Arrange
    const out = captureOutput();
    // Act
    await withLogKeys({ request_id: 'req-redact' }, async () => {
      logger.info('calling upstream', {
        password: 'hunter2',
        token: 'tok-plain',
        request: { headers: { Authorization: 'Bearer eyJ.secret.jwt', Accept: 'application/json' } },
        secret: { SecretString: '{"password":"db-pass"}', ARN: 'arn:aws:secretsmanager:x' },
        credentials: { accessKeyId: 'AKIA', secretAccessKey: 'shh' },
        cognito: { id_token: 'id-jwt', refreshToken: 'refresh-jwt', secretValue: 'sv' },
        tokens_used: 1234,
        secretArn: 'arn:aws:secretsmanager:us-east-1:1:secret:db',
      });
    });
    // Assert
    const raw = out.raw();
    for (const leaked of ['hunter2', 'tok-plain', 'eyJ.secret.jwt', 'db-pass', 'AKIA', 'shh', 'id-jwt', 'refresh-jwt', '"sv"']) {
      expect(raw).not.toContain(leaked);
    }
    const [line] = out.lines();
    expect(line).toMatchObject({
      request_id: 'req-redact',
      password: REDACTED,
      token: REDACTED,
      request: { headers: { Authorization: REDACTED, Accept: 'application/json' } },
      secret: REDACTED,
      credentials: REDACTED,
      cognito: { id_token: REDACTED, refreshToken: REDACTED, secretValue: REDACTED },
      tokens_used: 1234,
      secretArn: 'arn:aws:secretsmanager:us-east-1:1:secret:db',
    });
  });

  it('GIVEN a logged event WHEN written THEN the Authorization header is redacted', () => {
    const out = captureOutput();
    logger.info('event', { event: apiEvent({ headers: { authorization: 'raw-id-token' } }) });
    expect(out.raw()).not.toContain('raw-id-token');
    expect(out.raw()).not.toContain('eyJraWQiOi.fake.token');
  });

  it.each(['Authorization', 'x-api-key', 'DB_PASSWORD', 'SecretString', 'accessToken', 'Cookie'])(
    'GIVEN key %s WHEN checked THEN sensitive',
    (key) => expect(isSensitiveKey(key)).toBe(true),
  );

  it.each(['tokens_used', 'secretArn', 'tenant_id', 'message', ''])('GIVEN key %p WHEN checked THEN not sensitive', (key) =>
    expect(isSensitiveKey(key)).toBe(false),
  );

  it('GIVEN two invocations WHEN the second has no tenant THEN no keys carry over', async () => {
    // Arrange
    const out = captureOutput();
    const handler = createHandler(route, ({ logger: log }) => {
      log.info('handled');
      return { body: {} };
    });
    // Act: tenant user first, then a staff user without a tenant claim, then an anonymous call.
    await handler(apiEvent({ claims: tenantUserClaims(), requestId: 'req-first' }));
    await handler(apiEvent({ claims: supportClaims(), requestId: 'req-second' }));
    await handler(apiEvent({ claims: null, requestId: 'req-third' }));
    logger.info('between invocations');
    // Assert
    const lines = out.lines();
    const second = lines.filter((entry) => entry.request_id === 'req-second');
    expect(second.length).toBeGreaterThan(0);
    for (const entry of second) {
      expect(entry.tenant_id).toBeUndefined();
      expect(entry.user).toBe('staff-support-sub');
    }
    const third = lines.filter((entry) => entry.request_id === 'req-third');
    expect(third.length).toBeGreaterThan(0);
    for (const entry of third) {
      expect(entry.tenant_id).toBeUndefined();
      expect(entry.user).toBeUndefined();
    }
    const after = lines.find((entry) => entry.message === 'between invocations');
    expect(after).not.toHaveProperty('request_id');
    expect(after).not.toHaveProperty('user');
  });

  it('GIVEN a 5xx WHEN logged THEN error level with the stack; a 4xx logs a warning/info line without one', async () => {
    // Arrange
    const out = captureOutput();
    const failing = createHandler(route, () => {
      throw new Error('connection reset by peer');
    });
    const missing = createHandler(route, () => {
      throw new NotFoundError('Tenant not found');
    });
    // Act
    await failing(apiEvent({ requestId: 'req-5xx' }));
    await missing(apiEvent({ requestId: 'req-4xx' }));
    await failing(apiEvent({ claims: claimsFor({ groups: [] }), requestId: 'req-403' }));
    // Assert
    const lines = out.lines();
    const fiveXx = lines.find((entry) => entry.request_id === 'req-5xx');
    expect(fiveXx).toMatchObject({ level: 'ERROR', message: 'request failed', error: { message: 'connection reset by peer' } });
    expect((fiveXx?.error as { stack?: string }).stack).toContain('connection reset by peer');
    const fourXx = lines.find((entry) => entry.request_id === 'req-4xx');
    expect(fourXx).toMatchObject({ level: 'INFO', message: 'request rejected', status: 404, code: 'NOT_FOUND' });
    expect(JSON.stringify(fourXx)).not.toContain('stack');
    expect(lines.find((entry) => entry.request_id === 'req-403')).toMatchObject({ level: 'WARN', status: 403 });
  });
});
