import * as z from './shared/zod';
import { API_CONTRACT } from './api-contract';
import { ROUTES } from './routes';
import { ErrorResponseSchema } from './shared/http/contract';

type JsonSchema = Record<string, unknown>;

/** A zod schema as a JSON Schema 2020-12 fragment (OpenAPI 3.1's dialect), without `$schema`. */
function jsonSchema(schema: z.core.$ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parameters(shape: z.ZodMiniObject | undefined, location: 'query' | 'path'): JsonSchema[] {
  if (!shape) return [];
  const object = jsonSchema(shape, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, schema]) => {
    const { description, ...rest } = schema as { description?: string };
    return { name, in: location, required: location === 'path' || (object.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest };
  });
}

const pascal = (id: string) => id[0]!.toUpperCase() + id.slice(1);

const ERROR_RESPONSES: Record<string, string> = {
  '400': 'Invalid input: the message and `details` name the field',
  '401': 'Missing, malformed or expired token',
  '403': "The caller's groups do not allow this route, or a tenant user named another tenant",
  '404': 'The addressed tenant does not exist',
  '429': 'A rate limit is spent: the user’s, the tenant’s, or the user’s operational commands (lambda/shared/rate-limits.ts); `Retry-After` gives the seconds until the window ends',
  '500': 'Internal error (no internals in the body; quote the request_id)',
};

/**
 * The OpenAPI 3.1 document, generated from the route manifest and the zod schemas of the API
 * contract: nothing in it is written by hand, so it cannot drift from what handlers accept and return.
 */
export function buildOpenApiDocument(): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, JsonSchema> = { ErrorResponse: jsonSchema(ErrorResponseSchema, 'output') };

  for (const route of ROUTES) {
    const contract = API_CONTRACT[route.id];
    const responseName = `${pascal(route.id)}Response`;
    schemas[responseName] = jsonSchema(contract.response, 'output');
    const status = String(contract.status ?? 200);
    const errors = Object.fromEntries(
      Object.entries({ ...ERROR_RESPONSES, ...contract.errors })
        .filter(([code]) => code !== '404' || route.path.includes('{') || route.path.startsWith('/tenant/'))
        .map(([code, description]) => [code, { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } } }]),
    );
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      operationId: route.id,
      summary: route.summary,
      tags: [route.path.split('/')[1]],
      security: [{ cognito: [] }],
      'x-allowed-groups': route.groups,
      'x-cache-seconds': route.cacheSeconds,
      parameters: [
        ...parameters(contract.path, 'path'),
        ...parameters(contract.query, 'query'),
        ...(contract.headers ?? []).map((header) => ({ name: header.name, in: 'header', required: false, description: header.description, schema: { type: 'string' } })),
      ],
      ...(contract.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(contract.body, 'input') } } } } : {}),
      responses: {
        [status]: {
          description: 'OK',
          headers: route.cacheSeconds > 0 ? { 'Cache-Control': { schema: { type: 'string', const: `private, max-age=${route.cacheSeconds}` } } } : {},
          content: { 'application/json': { schema: { $ref: `#/components/schemas/${responseName}` } } },
        },
        ...errors,
      },
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Painel Operacional API',
      version: '1.0.0',
      description:
        'Tenant (/tenant/*) and internal (/internal/*) APIs of the Painel Operacional. Send the Cognito ID token in Authorization (raw or with "Bearer "). Rates are fractions 0–1; periods are whole UTC days before today; timestamps are ISO 8601 UTC.',
    },
    servers: [{ url: 'http://localhost:4000', description: 'npm run dev' }],
    paths,
    components: {
      schemas,
      securitySchemes: { cognito: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Cognito user-pool ID token' } },
    },
  };
}
