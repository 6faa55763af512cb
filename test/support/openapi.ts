import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { RouteId } from '@lambda/routes';

/** Validates bodies against the committed docs/openapi.json, the document clients actually read. */
const doc = JSON.parse(readFileSync(join(__dirname, '..', '..', 'docs', 'openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
  components: unknown;
};
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema({ $id: 'openapi.json', components: doc.components });

function operation(id: RouteId) {
  for (const methods of Object.values(doc.paths)) {
    for (const op of Object.values(methods)) if (op.operationId === id) return op;
  }
  throw new Error(`operation ${id} is not in docs/openapi.json (run npm run openapi)`);
}

/** The ajv errors of `body` against the documented response of `id` for `status`, or [] when it conforms. */
export function openApiErrors(id: RouteId, status: number, body: unknown): string[] {
  const response = operation(id).responses[String(status)];
  if (!response) return [`status ${status} is not documented for ${id}`];
  const schema = response.content?.['application/json']?.schema as { $ref?: string } | undefined;
  if (!schema?.$ref) return [`no JSON schema documented for ${id} ${status}`];
  const validate = ajv.getSchema(`openapi.json${schema.$ref}`);
  if (!validate) return [`unresolvable ${schema.$ref}`];
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
