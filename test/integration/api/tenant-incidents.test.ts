import { p } from '@shared/db';
import { TenantIncidentsSchema } from '@lambda/tenant/schemas';
import { BACKENDS } from '../../support/local-db';
import { startSeededApi, type SeededApi } from '../../support/api';
import { deepStrict } from '../../support/strict';

const ROLES = ['tenantAdminA', 'tenantUserA', 'tenantAdminB', 'tenantUserB', 'support', 'admin'] as const;
const INCIDENT_KEYS = Object.keys(TenantIncidentsSchema.shape.incidents.def.element.shape).sort();
/** Incidents added to tenant A (the seed gives a tenant 0–2), so paging by 5 spans several pages. */
const EXTRA_INCIDENTS = 11;
/** Three of them share one created_at: only the id can order them, and pages must still not overlap. */
const TIED_AT = '2026-10-15T10:00:00.000Z';

interface IncidentRow {
  id: string;
}

describe.each(BACKENDS)('GET /tenant/incidents on %s', (kind) => {
  let api: SeededApi;

  /** A tenant's incident ids, newest first (the endpoint's order). */
  const incidentIds = async (tenantId: string) =>
    (
      await api.local.db.query<IncidentRow>(
        `SELECT id FROM alquimista_platform.operational_events WHERE tenant_id = :tenant_id AND event_type = 'incident'
         ORDER BY created_at DESC, id DESC`,
        { tenant_id: p.uuid(tenantId) },
      )
    ).map((row) => row.id);

  beforeAll(async () => {
    api = await startSeededApi(kind);
    await api.local.db.execute(
      `INSERT INTO alquimista_platform.operational_events (event_type, severity, tenant_id, title, description, created_at, resolved_at)
       SELECT 'incident', (ARRAY['info', 'warning', 'error', 'critical'])[1 + g % 4], :tenant_id, 'Incidente de teste ' || g,
              CASE WHEN g = 1 THEN NULL ELSE 'Descrição ' || g END,
              CASE WHEN g <= 3 THEN CAST(:tied_at AS timestamptz) ELSE CAST(:tied_at AS timestamptz) - g * interval '1 day' END,
              CASE WHEN g % 2 = 0 THEN CAST(:tied_at AS timestamptz) + interval '1 hour' END
       FROM generate_series(1, CAST(:n AS int)) AS g`,
      { tenant_id: p.uuid(api.tenantA), tied_at: p.text(TIED_AT), n: p.int(EXTRA_INCIDENTS) },
    );
    // Not incidents: A's maintenance event, and B's incident, must never be listed for A.
    await api.local.db.execute(
      `INSERT INTO alquimista_platform.operational_events (event_type, severity, tenant_id, title, created_at) VALUES
         ('maintenance', 'info', :a, 'Manutenção do tenant A', CAST(:tied_at AS timestamptz)),
         ('incident', 'error', :b, 'Incidente do tenant B', CAST(:tied_at AS timestamptz))`,
      { a: p.uuid(api.tenantA), b: p.uuid(api.tenantB), tied_at: p.text(TIED_AT) },
    );
  }, 120_000);
  afterAll(async () => api?.stop());

  test("a tenant user gets their tenant's incidents newest first in the contract shape, in one Data API call", async () => {
    api.local.api.resetStats();

    const res = await api.invoke('listTenantIncidents', { claims: api.claims.tenantUserA });

    expect(res.status).toBe(200);
    const body = deepStrict(TenantIncidentsSchema).parse(res.body);
    for (const incident of res.body.incidents) expect(Object.keys(incident).sort()).toEqual(INCIDENT_KEYS);
    expect(res.headers['Cache-Control']).toBe('private, max-age=60');
    expect(api.local.api.stats().calls).toEqual({ ExecuteStatement: 1 });

    const expected = await incidentIds(api.tenantA);
    expect(expected.length).toBeGreaterThan(EXTRA_INCIDENTS);
    expect(body.total).toBe(expected.length);
    expect(body.incidents.map((i) => i.id)).toEqual(expected.slice(0, 20));
    // the incident stored without a description comes out with an empty one
    expect(body.incidents.find((i) => i.title === 'Incidente de teste 1')?.description).toBe('');
    expect(body.incidents.filter((i) => i.created_at === TIED_AT)).toHaveLength(3);
  });

  test('pages of 5 walk every incident once, in order, with a constant total; past the end is an empty page', async () => {
    const expected = await incidentIds(api.tenantA);
    expect(expected.length).toBeGreaterThan(10); // three pages, the last one partial
    const seen: string[] = [];
    for (let offset = 0; offset < expected.length; offset += 5) {
      const res = await api.invoke('listTenantIncidents', { claims: api.claims.tenantAdminA, query: { limit: '5', offset: String(offset) } });
      expect(res.status).toBe(200);
      const page = TenantIncidentsSchema.parse(res.body);
      expect(page.total).toBe(expected.length);
      expect(page.incidents.length).toBe(Math.min(5, expected.length - offset));
      seen.push(...page.incidents.map((i) => i.id));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expected);

    for (const offset of [expected.length, expected.length + 100]) {
      const past = await api.invoke('listTenantIncidents', { claims: api.claims.tenantAdminA, query: { limit: '5', offset: String(offset) } });
      expect(past.status).toBe(200);
      expect(past.body).toEqual({ incidents: [], total: expected.length });
    }
  });

  test('limit 200 returns them all', async () => {
    const res = await api.invoke('listTenantIncidents', { claims: api.claims.tenantUserA, query: { limit: '200' } });
    expect(res.status).toBe(200);
    expect(TenantIncidentsSchema.parse(res.body).incidents.map((i) => i.id)).toEqual(await incidentIds(api.tenantA));
  });

  test.each(ROLES)('%s → 200 (every group may list incidents)', async (role) => {
    const staff = role === 'support' || role === 'admin';
    const res = await api.invoke('listTenantIncidents', { claims: api.claims[role], query: staff ? { tenant_id: api.tenantA } : undefined });
    expect(res.status).toBe(200);
    deepStrict(TenantIncidentsSchema).parse(res.body);
  });

  test('no claims → 401', async () => {
    const res = await api.invoke('listTenantIncidents', { claims: null });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });

  test("tenant isolation: A naming B is refused; staff naming B get B's incidents; A only ever sees A's", async () => {
    const refused = await api.invoke('listTenantIncidents', { claims: api.claims.tenantUserA, query: { tenant_id: api.tenantB } });
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).not.toContain(api.tenantB);

    const named = await api.invoke('listTenantIncidents', { claims: api.claims.support, query: { tenant_id: api.tenantB, limit: '200' } });
    expect(named.status).toBe(200);
    const b = TenantIncidentsSchema.parse(named.body);
    const expectedB = await incidentIds(api.tenantB);
    expect(b.incidents.map((i) => i.id)).toEqual(expectedB);
    expect(b.total).toBe(expectedB.length);
    expect(b.incidents.map((i) => i.title)).toContain('Incidente do tenant B');

    const own = await api.invoke('listTenantIncidents', { claims: api.claims.tenantUserA, query: { limit: '200' } });
    const ids: string[] = own.body.incidents.map((i: { id: string }) => i.id);
    const [check] = await api.local.db.query<{ foreign_ids: number }>(
      `SELECT CAST(count(*) AS int) AS foreign_ids FROM unnest(CAST(:ids AS uuid[])) AS x(id)
       WHERE NOT EXISTS (SELECT 1 FROM alquimista_platform.operational_events e
                         WHERE e.id = x.id AND e.tenant_id = :tenant_id AND e.event_type = 'incident')`,
      { ids: p.uuidList(ids), tenant_id: p.uuid(api.tenantA) },
    );
    expect(ids.length).toBeGreaterThan(0);
    expect(check!.foreign_ids).toBe(0);
  });

  test('staff naming an unknown tenant → 404; a malformed tenant_id → 400 naming it', async () => {
    const unknown = await api.invoke('listTenantIncidents', { claims: api.claims.admin, query: { tenant_id: '00000000-0000-4000-8000-000000000000' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');

    const malformed = await api.invoke('listTenantIncidents', { claims: api.claims.admin, query: { tenant_id: '0000' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toContain('tenant_id');
  });

  test.each([
    ['limit', '-1'],
    ['limit', 'abc'],
    ['limit', '201'],
    ['limit', '0'],
    ['limit', '1.5'],
    ['offset', '-1'],
    ['offset', 'x'],
  ])('%s=%p → 400 naming the field', async (field, value) => {
    const res = await api.invoke('listTenantIncidents', { claims: api.claims.tenantUserA, query: { [field]: value } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(res.body.error.message).toContain(field);
  });
});
