import {
  ConflictError,
  DatabaseError,
  ForbiddenError,
  InternalError,
  NotFoundError,
  ServiceUnavailableError,
  UnauthorizedError,
  ValidationError,
} from '@shared/errors';
import { errorResponse, json } from '@shared/http/respond';

const REQUEST_ID = 'req-123';
const GENERIC_500 = { error: { code: 'INTERNAL_ERROR', message: 'Internal server error' }, request_id: REQUEST_ID };

describe('json', () => {
  it('GIVEN cacheSeconds WHEN serialised THEN Cache-Control is private with max-age', () => {
    // Act
    const response = json(200, { ok: true }, { cacheSeconds: 60 });
    // Assert
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'private, max-age=60',
      // Made for the token's owner: a browser cache may not answer another token with it.
      Vary: 'Authorization',
    });
    expect(JSON.parse(response.body)).toEqual({ ok: true });
  });

  it.each([undefined, 0, -5])('GIVEN cacheSeconds=%p WHEN serialised THEN no-store', (cacheSeconds) => {
    expect(json(200, {}, { cacheSeconds }).headers?.['Cache-Control']).toBe('no-store');
  });

  it('GIVEN extra headers WHEN serialised THEN they are merged', () => {
    expect(json(201, {}, { headers: { Location: '/x' } }).headers).toMatchObject({ Location: '/x' });
  });
});

describe('errorResponse', () => {
  it.each([
    [new UnauthorizedError('Missing or invalid authentication'), 401, 'UNAUTHORIZED'],
    [new ForbiddenError('nope'), 403, 'FORBIDDEN'],
    [new NotFoundError('Tenant not found'), 404, 'NOT_FOUND'],
    [new ConflictError('already exists'), 409, 'CONFLICT'],
  ])('GIVEN %p WHEN mapped THEN keeps its status, code and message', (error, status, code) => {
    // Act
    const response = errorResponse(error, REQUEST_ID);
    // Assert
    expect(response.statusCode).toBe(status);
    expect(JSON.parse(response.body)).toEqual({ error: { code, message: error.message }, request_id: REQUEST_ID });
    expect(response.headers?.['Cache-Control']).toBe('no-store');
  });

  it('GIVEN a ValidationError with details WHEN mapped THEN details are kept', () => {
    // Arrange
    const details = [{ field: 'limit', location: 'query', message: 'must be an integer between 1 and 200' }];
    // Act
    const response = errorResponse(new ValidationError('Invalid query parameter "limit": …', details), REQUEST_ID);
    // Assert
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      error: { code: 'VALIDATION_ERROR', message: 'Invalid query parameter "limit": …', details },
      request_id: REQUEST_ID,
    });
  });

  it('GIVEN a ServiceUnavailableError WHEN mapped THEN 503 with Retry-After', () => {
    const response = errorResponse(new ServiceUnavailableError('Database is resuming', 7), REQUEST_ID);
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['Retry-After']).toBe('7');
    expect(JSON.parse(response.body).error.code).toBe('SERVICE_UNAVAILABLE');
  });

  const sql = 'SELECT * FROM tenants WHERE id = $1';
  const dbError = new DatabaseError(`relation "tenants" does not exist: ${sql}`, '42P01', {
    cause: new Error('ERROR: password authentication failed for user "admin"'),
  });

  it.each([
    ['a DatabaseError', dbError],
    ['an InternalError with details', new InternalError(`failed running ${sql}`, { sql })],
    ['a plain Error', new Error(`boom at ${sql}`)],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'rows')")],
    ['a thrown string', `raw failure: ${sql}`],
    ['a thrown null', null],
    ['a thrown undefined', undefined],
    ['a thrown object', { message: sql, stack: 'at secret.ts:1' }],
  ])('GIVEN %s WHEN mapped THEN a generic 500 without internals', (_label, thrown) => {
    // Act
    const response = errorResponse(thrown, REQUEST_ID);
    // Assert
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toEqual(GENERIC_500);
    expect(response.body).not.toMatch(/SELECT|tenants|password|stack|at .*\.ts|boom|rows|42P01/);
  });
});
