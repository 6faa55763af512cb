import { createHandler } from '@shared/http/handler';
import { UnauthorizedError } from '@shared/errors';
import { corsHeaders } from '@shared/http/cors';
import { apiEvent, tenantUserClaims } from '../../support/events';

const route = { method: 'GET', path: '/tenant/me', groups: ['TENANT_USER'], cacheSeconds: 0 } as const;
const WEB = 'https://painel.example';

describe('CORS on every handler response', () => {
  beforeAll(() => {
    process.env.ALLOWED_ORIGINS = `${WEB}, http://localhost:3000`;
  });
  afterAll(() => {
    delete process.env.ALLOWED_ORIGINS;
  });

  test('an allowed origin gets Access-Control-Allow-Origin on success and on errors (so the app can read a 401)', async () => {
    const ok = createHandler(route, () => ({ body: { ok: true } }));
    const failing = createHandler(route, () => {
      throw new UnauthorizedError('no');
    });
    for (const handler of [ok, failing]) {
      const res = await handler(apiEvent({ claims: tenantUserClaims(), headers: { origin: WEB } }));
      // Both reasons the response varies, in one header: the caller's token and the page's origin.
      expect(res.headers).toMatchObject({ 'Access-Control-Allow-Origin': WEB, Vary: 'Authorization, Origin' });
    }
    const unauthenticated = await ok(apiEvent({ claims: null, headers: { Origin: WEB } }));
    expect(unauthenticated.statusCode).toBe(401);
    expect(unauthenticated.headers!['Access-Control-Allow-Origin']).toBe(WEB);
  });

  test('another origin, or none, gets no CORS headers', () => {
    expect(corsHeaders('https://evil.example', [WEB])).toEqual({});
    expect(corsHeaders(undefined, [WEB])).toEqual({});
  });
});
