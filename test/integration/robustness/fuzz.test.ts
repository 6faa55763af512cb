import fc from 'fast-check';
import { API_CONTRACT } from '@lambda/api-contract';
import { ROUTES } from '@lambda/routes';
import { freezeDate, startSeededApi, type SeededApi } from '../../support/api';
import { openApiErrors } from '../../support/openapi';

/**
 * Property-based fuzzing of every route's path, query, body and headers (fixed seed, 500 cases
 * per route): whatever arrives, the answer is never a 5xx and every error is the one JSON shape.
 * Run on embedded PGlite only: the property is about input handling, which is the same code on
 * both backends, and 6,000+ calls per backend would double the suite's time.
 */
const RUNS_PER_ROUTE = 500;
const SEED = 20_261_123;

const SQL_AND_SHAPES = [
  "'; DROP TABLE alquimista_platform.tenants; --",
  "1' OR '1'='1",
  '" OR ""="',
  '%', '_', '\\', '%_%', '$1', ':tenant_id', '--', '/*', ';',
  '\u0000', 'a\u0000b', '\ud800', '\uFFFF', '\u202Eevil', '💥🔥', 'ǅǆ', '𝕏𝕐', 'ß', 'İ', 'e\u0301',
  ' ', '', '   1', '1 ', '+1', '-1', '0', '1e3', '0x10', 'NaN', 'Infinity', '99999999999999999999999', '2147483648',
  'null', 'undefined', 'true', '{}', '[]', '{"a":1}',
  '2026-02-30', '2026-13-01', '2026-11-01T25:00:00Z', '0000-00-00', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59-14:00', '+275760-09-13T00:00:00Z',
  '00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', '{00000000-0000-0000-0000-000000000000}',
  'all', 'ALL', 'active', 'HEALTH_CHECK', 'desc', 'name', '30d', '7d',
];

/** Strings that tend to break things: SQL metacharacters, odd unicode, numbers in disguise, very long text. */
const nasty = fc.oneof(
  fc.constantFrom(...SQL_AND_SHAPES),
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.uuid(),
  fc.nat({ max: 20_000 }).map((n) => 'x'.repeat(n)),
  fc.tuple(fc.constantFrom('é', '💥', "'", '%'), fc.nat({ max: 5_000 })).map(([c, n]) => c.repeat(n)),
  fc.integer().map(String),
);

describe('fuzzing every route (PGlite)', () => {
  let api: SeededApi;
  beforeAll(async () => {
    freezeDate();
    api = await startSeededApi('pglite');
  }, 120_000);
  afterAll(async () => {
    jest.useRealTimers();
    await api?.stop();
  });

  /** Never a 5xx; an error is the documented shape. */
  const check = (id: (typeof ROUTES)[number]['id'], res: { status: number; body: unknown }) => {
    if (res.status >= 500) throw new Error(`${res.status}: ${JSON.stringify(res.body)}`);
    if (res.status >= 400) expect(openApiErrors(id, res.status, res.body)).toEqual([]);
  };

  test.each(ROUTES.map((r) => r.id))('%s: every known parameter × every tricky string, systematically', async (id) => {
    const route = ROUTES.find((r) => r.id === id)!;
    const keys = [...Object.keys(API_CONTRACT[id].query?.shape ?? {}), 'tenant_id'];
    for (const value of SQL_AND_SHAPES) {
      const claims = route.path.startsWith('/tenant/') ? api.claims.tenantAdminA : api.claims.admin;
      for (const key of keys) check(id, await api.invoke(id, { claims, query: { [key]: value } }));
      if (route.path.includes('{id}')) check(id, await api.invoke(id, { claims, pathParameters: { id: value } }));
      if (route.method === 'POST') {
        for (const body of [
          { command_type: value, parameters: {} },
          { command_type: 'HEALTH_CHECK', tenant_id: value, parameters: {} },
          { command_type: 'RESTART_AGENT', tenant_id: api.tenantA, parameters: { agent_id: value } },
          { command_type: 'REPROCESS_QUEUE', tenant_id: api.tenantA, parameters: { from: value } },
          { command_type: 'REPROCESS_QUEUE', tenant_id: api.tenantA, parameters: { to: value } },
          { command_type: 'HEALTH_CHECK', parameters: { [value]: 1 } },
          value,
        ]) check(id, await api.invoke(id, { claims, body, headers: { 'Idempotency-Key': value } }));
      }
    }
  }, 300_000);

  test.each(ROUTES.map((r) => r.id))('%s: bodies and queries nested 10,000 levels deep are a 4xx, never a crash', async (id) => {
    const route = ROUTES.find((r) => r.id === id)!;
    const claims = route.path.startsWith('/tenant/') ? api.claims.tenantAdminA : api.claims.admin;
    const deep = ['['.repeat(10_000) + ']'.repeat(10_000), '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000), '['.repeat(100_000)];
    for (const text of deep) {
      check(id, await api.invoke(id, { claims, query: { tenant_id: text, limit: text }, pathParameters: route.path.includes('{id}') ? { id: text } : undefined, body: route.method === 'POST' ? text : undefined }));
    }
  }, 300_000);

  test.each(ROUTES.map((r) => r.id))('%s: 500 arbitrary requests, never a 5xx, errors always in the one shape', async (id) => {
    const route = ROUTES.find((r) => r.id === id)!;
    const contract = API_CONTRACT[id];
    const knownKeys = [...Object.keys(contract.query?.shape ?? {}), 'tenant_id'];
    const query = fc.dictionary(fc.oneof(fc.constantFrom(...knownKeys), fc.string({ maxLength: 20 })), nasty, { maxKeys: 6 });
    const pathId = fc.oneof(nasty, fc.constant(api.tenantA));
    const bodyValue = fc.oneof(nasty, fc.constant(api.tenantA), fc.integer(), fc.boolean(), fc.constant(null));
    const body = fc.oneof(
      fc.record(
        {
          command_type: fc.oneof(fc.constantFrom('HEALTH_CHECK', 'RESTART_AGENT', 'RESET_TOKEN', 'REPROCESS_QUEUE'), nasty),
          tenant_id: bodyValue,
          parameters: fc.oneof(fc.dictionary(fc.constantFrom('agent_id', 'integration_id', 'from', 'to', 'x'), bodyValue), bodyValue),
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue(),
      nasty, // a raw, probably non-JSON body
    );
    const role = fc.constantFrom('admin', 'support', 'tenantAdminA', 'tenantUserA') as fc.Arbitrary<'admin' | 'support' | 'tenantAdminA' | 'tenantUserA'>;
    const headers = fc.option(fc.record({ 'Idempotency-Key': nasty }), { nil: undefined });

    await fc.assert(
      fc.asyncProperty(role, query, pathId, body, headers, async (who, q, path, b, h) => {
        const res = await api.invoke(id, {
          claims: api.claims[who],
          query: q,
          pathParameters: route.path.includes('{id}') ? { id: path } : undefined,
          body: route.method === 'POST' ? b : undefined,
          headers: h,
        });
        check(id, res);
      }),
      { numRuns: RUNS_PER_ROUTE, seed: SEED, endOnFailure: true },
    );
  }, 300_000);
});
