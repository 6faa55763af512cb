import { DatabaseError, NotFoundError } from '@shared/errors';
import { createHandler, type HandlerContext } from '@shared/http/handler';
import type { RouteDefinition } from '@shared/http/route';
import { limitSchema } from '@shared/http/schemas';
import { parseQuery } from '@shared/http/validate';
import * as z from 'zod';
import { adminClaims, apiEvent, supportClaims, tenantUserClaims, TENANT_A } from '../../support/events';

const tenantRoute: RouteDefinition = {
  method: 'GET',
  path: '/tenant/incidents',
  groups: ['TENANT_ADMIN', 'TENANT_USER', 'INTERNAL_ADMIN', 'INTERNAL_SUPPORT'],
  cacheSeconds: 30,
};
const billingRoute: RouteDefinition = { method: 'GET', path: '/internal/billing/overview', groups: ['INTERNAL_ADMIN'], cacheSeconds: 60 };
const commandRoute: RouteDefinition = { method: 'POST', path: '/internal/operations/commands', groups: ['INTERNAL_ADMIN'], cacheSeconds: 60 };

const body = (response: { body: string }) => JSON.parse(response.body);

beforeEach(() => {
  // The wrapper logs every rejection; keep test output clean.
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => jest.restoreAllMocks());

describe('createHandler', () => {
  it('GIVEN no claims WHEN invoked THEN 401 in the error shape and the function is not called', async () => {
    // Arrange
    const fn = jest.fn();
    const handler = createHandler(tenantRoute, fn);
    // Act
    const response = await handler(apiEvent({ claims: null, requestId: 'req-401' }));
    // Assert
    expect(response.statusCode).toBe(401);
    expect(body(response)).toEqual({
      error: { code: 'UNAUTHORIZED', message: 'Missing or invalid authentication' },
      request_id: 'req-401',
    });
    expect(fn).not.toHaveBeenCalled();
  });

  it('GIVEN a caller outside the route groups WHEN invoked THEN 403', async () => {
    const fn = jest.fn();
    const response = await createHandler(billingRoute, fn)(apiEvent({ claims: supportClaims() }));
    expect(response.statusCode).toBe(403);
    expect(body(response).error.code).toBe('FORBIDDEN');
    expect(fn).not.toHaveBeenCalled();
  });

  it('GIVEN an allowed caller WHEN the function succeeds THEN 200 JSON with the route cache policy', async () => {
    // Arrange
    let seen: HandlerContext | undefined;
    const handler = createHandler(tenantRoute, (ctx) => {
      seen = ctx;
      return { body: { incidents: [], total: 0 } };
    });
    // Act
    const response = await handler(apiEvent({ path: '/tenant/incidents', claims: tenantUserClaims(), requestId: 'req-ok' }));
    // Assert
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'private, max-age=30',
      Vary: 'Authorization',
    });
    expect(body(response)).toEqual({ incidents: [], total: 0 });
    expect(seen?.requestId).toBe('req-ok');
    expect(seen?.auth.tenantId).toBe(TENANT_A);
  });

  it('GIVEN a POST route WHEN it returns 201 THEN not cacheable', async () => {
    const handler = createHandler(commandRoute, () => ({ status: 201, body: { command_id: 'c1' }, headers: { Location: '/c1' } }));
    const response = await handler(apiEvent({ method: 'POST', claims: adminClaims(), body: {} }));
    expect(response.statusCode).toBe(201);
    expect(response.headers).toMatchObject({ 'Cache-Control': 'no-store', Location: '/c1' });
  });

  it('GIVEN the function throws a 4xx WHEN invoked THEN mapped with the request id echoed', async () => {
    const handler = createHandler(tenantRoute, async () => {
      throw new NotFoundError('Tenant not found');
    });
    const response = await handler(apiEvent({ requestId: 'req-404' }));
    expect(response.statusCode).toBe(404);
    expect(body(response)).toEqual({ error: { code: 'NOT_FOUND', message: 'Tenant not found' }, request_id: 'req-404' });
    expect(response.headers?.['Cache-Control']).toBe('no-store');
  });

  it('GIVEN the function fails in the database WHEN invoked THEN generic 500 with the request id', async () => {
    const handler = createHandler(tenantRoute, async () => {
      throw new DatabaseError('syntax error at or near "FORM" in SELECT * FORM tenants', '42601');
    });
    const response = await handler(apiEvent({ requestId: 'req-500' }));
    expect(response.statusCode).toBe(500);
    expect(body(response)).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'Internal server error' }, request_id: 'req-500' });
  });

  it('GIVEN invalid input WHEN the function validates it THEN 400 naming the field', async () => {
    const handler = createHandler(tenantRoute, ({ event }) => ({ body: parseQuery(z.object({ limit: limitSchema(20) }), event) }));
    const response = await handler(apiEvent({ query: { limit: 'abc' } }));
    expect(response.statusCode).toBe(400);
    expect(body(response).error.message).toBe('Invalid query parameter "limit": must be an integer between 1 and 200');
  });

  it('GIVEN an event without a request id WHEN invoked THEN a uuid is generated and echoed', async () => {
    // Arrange
    const event = apiEvent({ claims: null });
    event.requestContext.requestId = '';
    // Act
    const response = await createHandler(tenantRoute, jest.fn())(event);
    // Assert
    expect(body(response).request_id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
