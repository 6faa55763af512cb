import * as z from 'zod';
import { ValidationError } from '@shared/errors';
import { enumParam, limitSchema, offsetSchema, periodSchema, UuidSchema } from '@shared/http/schemas';
import { parseInput, parseJsonBody, parsePath, parseQuery } from '@shared/http/validate';
import { apiEvent, TENANT_A } from '../../support/events';

// The /internal/tenants query, as a realistic consumer of the pieces.
const TenantListQuerySchema = z.object({
  status: enumParam(['active', 'inactive', 'suspended', 'all'], 'active'),
  sort_by: enumParam(['name', 'created_at', 'mrr_estimate'], 'name'),
  sort_order: enumParam(['asc', 'desc'], 'asc'),
  period: periodSchema,
  limit: limitSchema(50),
  offset: offsetSchema,
});

function validationErrorOf(act: () => unknown): ValidationError {
  try {
    act();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('parseInput with query schemas', () => {
  it('GIVEN no parameters WHEN parsed THEN defaults apply', () => {
    expect(parseInput(TenantListQuerySchema, {}, 'query')).toEqual({
      status: 'active',
      sort_by: 'name',
      sort_order: 'asc',
      period: '30d',
      limit: 50,
      offset: 0,
    });
  });

  it('GIVEN valid strings WHEN parsed THEN integers are numbers', () => {
    const query = parseInput(TenantListQuerySchema, { limit: '200', offset: '40', period: '7d' }, 'query');
    expect(query).toMatchObject({ limit: 200, offset: 40, period: '7d' });
  });

  it.each([
    ['limit', '-1'],
    ['limit', 'abc'],
    ['limit', '1.5'],
    ['limit', '1e3'],
    ['limit', ''],
    ['limit', '0'],
    ['limit', '201'],
    ['limit', '99999999999999999999999'],
    ['offset', '-1'],
    ['offset', 'abc'],
    ['offset', '1.5'],
    ['offset', '1e3'],
    ['offset', ''],
    ['offset', '99999999999'],
    ['period', '1y'],
    ['period', ''],
    ['sort_by', 'drop'],
    ['sort_by', 'name; DROP TABLE tenants'],
  ])('GIVEN %s=%p WHEN parsed THEN the ValidationError names the field', (field, value) => {
    // Act
    const error = validationErrorOf(() => parseInput(TenantListQuerySchema, { [field]: value }, 'query'));
    // Assert
    expect(error.status).toBe(400);
    expect(error.message).toMatch(new RegExp(`^Invalid query parameter "${field}": `));
    expect(error.details).toEqual([{ field, location: 'query', message: expect.any(String) }]);
  });

  it('GIVEN limit=-1 WHEN parsed THEN the message explains the accepted range', () => {
    const error = validationErrorOf(() => parseInput(TenantListQuerySchema, { limit: '-1' }, 'query'));
    expect(error.message).toBe('Invalid query parameter "limit": must be an integer between 1 and 200');
  });

  it('GIVEN two bad fields WHEN parsed THEN both are named', () => {
    const error = validationErrorOf(() => parseInput(TenantListQuerySchema, { limit: 'abc', period: '1y' }, 'query'));
    expect(error.message).toMatch(/^Invalid query parameters /);
    expect(error.message).toContain('"limit"');
    expect(error.message).toContain('"period"');
    expect(error.details).toHaveLength(2);
  });

  it('GIVEN a custom max WHEN limit exceeds it THEN rejected', () => {
    expect(() => parseInput(z.object({ limit: limitSchema(20, 100) }), { limit: '101' }, 'query')).toThrow(
      /between 1 and 100/,
    );
  });
});

describe('UuidSchema', () => {
  it.each([TENANT_A, TENANT_A.toUpperCase()])('GIVEN %s WHEN parsed THEN lower-cased uuid', (value) => {
    expect(UuidSchema.parse(value)).toBe(TENANT_A);
  });

  it.each(['', 'abc', `${TENANT_A}0`, TENANT_A.replace(/-/g, ''), `{${TENANT_A}}`, 'g'.repeat(8) + TENANT_A.slice(8)])(
    'GIVEN %p WHEN parsed THEN rejected',
    (value) => {
      expect(UuidSchema.safeParse(value).success).toBe(false);
    },
  );
});

describe('event helpers', () => {
  it('GIVEN a malformed path id WHEN parsed THEN names the path parameter', () => {
    const event = apiEvent({ path: '/internal/tenants/42', resource: '/internal/tenants/{id}', pathParameters: { id: '42' } });
    expect(() => parsePath(z.object({ id: UuidSchema }), event)).toThrow('Invalid path parameter "id": must be a UUID');
  });

  it('GIVEN no query string WHEN parsed THEN defaults apply', () => {
    expect(parseQuery(z.object({ period: periodSchema }), apiEvent())).toEqual({ period: '30d' });
  });
});

describe('parseJsonBody', () => {
  it('GIVEN a JSON object WHEN parsed THEN returns it', () => {
    expect(parseJsonBody(apiEvent({ method: 'POST', body: { command_type: 'HEALTH_CHECK' } }))).toEqual({
      command_type: 'HEALTH_CHECK',
    });
  });

  it('GIVEN a base64 body WHEN parsed THEN it is decoded first', () => {
    const body = Buffer.from(JSON.stringify({ a: 'ção' })).toString('base64');
    expect(parseJsonBody(apiEvent({ method: 'POST', body, isBase64Encoded: true }))).toEqual({ a: 'ção' });
  });

  it.each([
    ['absent', undefined, 'Request body is required'],
    ['blank', '  ', 'Request body is required'],
    ['malformed', '{"a":', 'Request body is not valid JSON'],
    ['an array', '[1,2]', 'Request body must be a JSON object'],
    ['null', 'null', 'Request body must be a JSON object'],
    ['a number', '42', 'Request body must be a JSON object'],
  ])('GIVEN a body that is %s WHEN parsed THEN 400 on body', (_label, body, message) => {
    // Act
    const error = validationErrorOf(() => parseJsonBody(apiEvent({ method: 'POST', body })));
    // Assert
    expect(error.message).toBe(message);
    expect(error.details).toEqual([{ field: 'body', location: 'body', message }]);
  });

  it('GIVEN a body field of the wrong type WHEN validated THEN names the body field', () => {
    const schema = z.object({ command_type: z.enum(['HEALTH_CHECK']), parameters: z.record(z.string(), z.unknown()) });
    const error = validationErrorOf(() => parseInput(schema, { command_type: 'HEALTH_CHECK', parameters: 'x' }, 'body'));
    expect(error.message).toMatch(/^Invalid body field "parameters": /);
  });
});
