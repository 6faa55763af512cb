import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument } from '@lambda/openapi';
import { ROUTES } from '@lambda/routes';

describe('docs/openapi.json', () => {
  test('is the document generated from the manifest and schemas (run `npm run openapi` after a change)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'docs', 'openapi.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
  });

  test('documents every route of the manifest with its groups and cache lifetime', () => {
    const doc = buildOpenApiDocument() as { openapi: string; paths: Record<string, Record<string, { operationId: string; 'x-allowed-groups': string[]; 'x-cache-seconds': number }>> };
    expect(doc.openapi).toBe('3.1.0');
    for (const route of ROUTES) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(op).toMatchObject({ operationId: route.id, 'x-allowed-groups': [...route.groups], 'x-cache-seconds': route.cacheSeconds });
    }
  });
});
