import * as z from 'zod';
import { formatCnpj } from '@database/seed';
import { ListTenantsSchema } from '@lambda/internal/schemas';
import { p } from '@shared/db';
import { BACKENDS } from '../../support/local-db';
import { startSeededApi, type SeededApi, freezeDate } from '../../support/api';
import { deepStrict } from '../../support/strict';

/** The contract, refusing any field it does not name (at every level). */
const StrictListTenantsSchema = deepStrict(ListTenantsSchema);
type Tenant = z.infer<typeof StrictListTenantsSchema>['tenants'][number];

/** "Last 30 days" at SEED_NOW (2026-11-01): the 30 complete UTC days before it. */
const LAST_30_DAYS = { from: '2026-10-02', to: '2026-10-31' };

describe.each(BACKENDS)('GET /internal/tenants on %s', (kind) => {
  let api: SeededApi;
  beforeAll(async () => {
    // Only Date is faked: the handlers' windows end yesterday, and the seeded data ends 2026-10-31.
    freezeDate();
    api = await startSeededApi(kind);
  }, 120_000);
  afterAll(async () => {
    jest.useRealTimers();
    await api?.stop();
  });

  const list = (query: Record<string, string> = {}) => api.invoke('listTenants', { claims: api.claims.support, query });
  const ids = (sql: string, params = {}) => api.local.db.query<{ id: string }>(sql, params).then((rows) => rows.map((r) => r.id));

  /** Every page of `query` at `limit` rows per page, in order. */
  async function walk(query: Record<string, string>, limit: number): Promise<{ rows: Tenant[]; totals: number[]; pages: number }> {
    const rows: Tenant[] = [];
    const totals: number[] = [];
    for (let offset = 0, pages = 1; ; offset += limit, pages++) {
      const res = await list({ ...query, limit: String(limit), offset: String(offset) });
      expect(res.status).toBe(200);
      const body = StrictListTenantsSchema.parse(res.body);
      expect({ limit: body.limit, offset: body.offset }).toEqual({ limit, offset });
      rows.push(...body.tenants);
      totals.push(body.total);
      if (body.tenants.length < limit) return { rows, totals, pages };
    }
  }

  test('defaults: active tenants by name, 50 a page, in the contract shape, in one Data API call', async () => {
    api.local.api.resetStats();

    const res = await list();

    expect(res.status).toBe(200);
    expect(res.headers['Cache-Control']).toBe('private, max-age=300');
    expect(api.local.api.stats().calls).toEqual({ ExecuteStatement: 1 });
    const body = StrictListTenantsSchema.parse(res.body);
    const active = await ids(`SELECT id FROM alquimista_platform.tenants WHERE status = 'active' ORDER BY name, id`);
    expect(body.total).toBe(active.length);
    expect(body.tenants.map((t) => t.id)).toEqual(active.slice(0, 50));
    expect(body.tenants.every((t) => t.status === 'active')).toBe(true);
    expect({ limit: body.limit, offset: body.offset }).toEqual({ limit: 50, offset: 0 });
  });

  test("each row's counts are the tenant's own: active agents, users (seats) and requests over the last 30 days", async () => {
    const body = StrictListTenantsSchema.parse((await list({ status: 'all', limit: '200' })).body);

    const expected = await api.local.db.query<{ id: string; active_agents: number; active_users: number; requests: number }>(
      `SELECT t.id,
              (SELECT count(*) FROM alquimista_platform.tenant_agents a WHERE a.tenant_id = t.id AND a.status = 'active')::int AS active_agents,
              (SELECT count(*) FROM alquimista_platform.tenant_users u WHERE u.tenant_id = t.id)::int AS active_users,
              (SELECT coalesce(sum(d.total_requests), 0) FROM alquimista_platform.tenant_usage_daily d
                WHERE d.tenant_id = t.id AND d.date BETWEEN :from AND :to)::int AS requests
       FROM alquimista_platform.tenants t`,
      { from: p.date(LAST_30_DAYS.from), to: p.date(LAST_30_DAYS.to) },
    );
    const byId = new Map(expected.map((row) => [row.id, row]));
    expect(body.tenants).toHaveLength(expected.length);
    for (const tenant of body.tenants) {
      const row = byId.get(tenant.id)!;
      expect([tenant.active_agents, tenant.active_users, tenant.requests_last_30_days]).toEqual([row.active_agents, row.active_users, row.requests]);
    }
    // The window holds traffic, so the counts are not trivially zero.
    expect(body.tenants.some((t) => t.requests_last_30_days > 0)).toBe(true);
    expect(body.tenants.some((t) => t.active_agents > 0 && t.active_users > 0)).toBe(true);
  });

  test('staff are allowed, tenant roles refused, no claims unauthorised', async () => {
    for (const [role, claims] of Object.entries(api.claims)) {
      const res = await api.invoke('listTenants', { claims });
      expect([role, res.status]).toEqual([role, role === 'support' || role === 'admin' ? 200 : 403]);
    }
    expect((await api.invoke('listTenants', { claims: null })).status).toBe(401);
  });

  test.each([
    ['limit', '-1'],
    ['limit', 'abc'],
    ['limit', '201'],
    ['limit', '0'],
    ['offset', '-5'],
    ['sort_by', 'drop'],
    ['sort_order', 'up'],
    ['status', 'bogus'],
    ['plan', 'gold'],
    ['segment', 'x'],
    ['search', ''],
  ])('%s=%j → 400 naming the field', async (field, value) => {
    const res = await list({ [field]: value });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(res.body.error.message).toContain(`"${field}"`);
  });

  test.each(['name', 'created_at', 'mrr_estimate'] as const)('walking every page sorted by %s (both orders) lists each tenant exactly once, in order', async (sortBy) => {
    const all = await ids(`SELECT id FROM alquimista_platform.tenants`);
    for (const sortOrder of ['asc', 'desc'] as const) {
      const { rows, totals, pages } = await walk({ status: 'all', sort_by: sortBy, sort_order: sortOrder }, 7);

      expect(pages).toBeGreaterThan(2);
      expect(new Set(totals)).toEqual(new Set([all.length]));
      expect(rows).toHaveLength(all.length);
      expect(new Set(rows.map((t) => t.id))).toEqual(new Set(all));

      const sign = sortOrder === 'asc' ? 1 : -1;
      if (sortBy === 'name') {
        // The database's collation decides name order; the id breaks ties.
        const expected = await ids(`SELECT id FROM alquimista_platform.tenants ORDER BY name ${sortOrder}, id ${sortOrder}`);
        expect(rows.map((t) => t.id)).toEqual(expected);
      } else {
        for (let i = 1; i < rows.length; i++) {
          const [a, b] = [rows[i - 1]!, rows[i]!];
          const key = sortBy === 'mrr_estimate' ? Math.sign(b.mrr_estimate - a.mrr_estimate) : Math.sign(Date.parse(b.created_at) - Date.parse(a.created_at));
          expect(key === 0 ? (b.id > a.id ? 1 : -1) : key).toBe(sign);
        }
      }
    }
  });

  test("requests_last_30_days: the nightly job's counter when it is as of the window's last day, else the usage rows summed", async () => {
    const rowOf = async (id: string) => StrictListTenantsSchema.parse((await list({ status: 'all', limit: '200' })).body).tenants.find((t) => t.id === id)!;
    const [busy] = await api.local.db.query<{ id: string; requests: number }>(
      `SELECT tenant_id AS id, requests::int AS requests FROM alquimista_platform.tenant_usage_last_30_days
       WHERE as_of = :to AND requests > 0 ORDER BY tenant_id LIMIT 1`,
      { to: p.date(LAST_30_DAYS.to) },
    );
    expect((await rowOf(busy!.id)).requests_last_30_days).toBe(busy!.requests);
    const setCounter = (requests: number, asOf: string) =>
      api.local.db.execute(`UPDATE alquimista_platform.tenant_usage_last_30_days SET requests = :n, as_of = :as_of WHERE tenant_id = :id`, {
        n: p.bigint(requests),
        as_of: p.date(asOf),
        id: p.uuid(busy!.id),
      });
    try {
      // Read: a counter as of the window's last day is what the list shows…
      await setCounter(busy!.requests + 1000, LAST_30_DAYS.to);
      expect((await rowOf(busy!.id)).requests_last_30_days).toBe(busy!.requests + 1000);
      // …and one as of another day (the night's run has not happened yet) is not.
      await setCounter(busy!.requests + 1000, '2026-10-30');
      expect((await rowOf(busy!.id)).requests_last_30_days).toBe(busy!.requests);
    } finally {
      await setCounter(busy!.requests, LAST_30_DAYS.to);
    }
  });

  test('a page past the end is empty, with the total still counted', async () => {
    const total = (await list({ status: 'all' })).body.total as number;
    const res = await list({ status: 'all', offset: String(total + 10), limit: '5' });
    expect(res.status).toBe(200);
    expect(StrictListTenantsSchema.parse(res.body)).toEqual({ tenants: [], total, limit: 5, offset: total + 10 });
  });

  test('status, plan and segment filter; total counts the matches across pages', async () => {
    const [sample] = await api.local.db.query<{ plan: string; segment: string; n: number }>(
      `SELECT plan, segment, count(*)::int AS n FROM alquimista_platform.tenants GROUP BY plan, segment ORDER BY n DESC, plan, segment LIMIT 1`,
    );
    const res = await list({ status: 'all', plan: sample!.plan, segment: sample!.segment, limit: '1' });
    expect(res.body.total).toBe(sample!.n);
    expect(res.body.tenants).toHaveLength(1);

    for (const status of ['active', 'inactive', 'suspended'] as const) {
      const body = StrictListTenantsSchema.parse((await list({ status, limit: '200' })).body);
      const expected = await ids(`SELECT id FROM alquimista_platform.tenants WHERE status = :status`, { status: p.text(status) });
      expect(expected.length).toBeGreaterThan(0);
      expect(new Set(body.tenants.map((t) => t.id))).toEqual(new Set(expected));
      expect(body.total).toBe(expected.length);
    }
  });

  test('search finds a tenant by its CNPJ, formatted or as digits (whole or its 8-digit root)', async () => {
    const [tenant] = await api.local.db.query<{ id: string; cnpj: string }>(
      `SELECT id, cnpj FROM alquimista_platform.tenants WHERE status = 'active' ORDER BY name LIMIT 1 OFFSET 3`,
    );
    for (const search of [formatCnpj(tenant!.cnpj), tenant!.cnpj, tenant!.cnpj.slice(0, 8), formatCnpj(tenant!.cnpj).slice(0, 10)]) {
      const res = await list({ search });
      expect(res.status).toBe(200);
      expect([search, res.body.tenants.map((t: Tenant) => t.id)]).toEqual([search, [tenant!.id]]);
    }
  });

  test('search finds a tenant by any part of its name, whatever the case', async () => {
    const [tenant] = await api.local.db.query<{ id: string; name: string }>(
      `SELECT id, name FROM alquimista_platform.tenants WHERE status = 'active' AND length(name) > 12 ORDER BY name DESC LIMIT 1`,
    );
    const part = tenant!.name.slice(3, 11);
    for (const search of [part.toUpperCase(), part.toLowerCase()]) {
      const body = StrictListTenantsSchema.parse((await list({ search })).body);
      expect(body.tenants.map((t) => t.id)).toContain(tenant!.id);
      expect(body.tenants.every((t) => t.name.toLowerCase().includes(part.toLowerCase()))).toBe(true);
    }
  });

  test('search text is data, never SQL or a wildcard: quotes, %, _ and \\ match only themselves', async () => {
    const all = (await list({ status: 'all' })).body.total as number;
    expect(all).toBeGreaterThan(0);
    for (const search of ["'; DROP TABLE alquimista_platform.tenants; --", '%', '_', '%%', '\\', "O'Brien"]) {
      const res = await list({ status: 'all', search });
      expect([search, res.status]).toEqual([search, 200]);
      expect(res.body.error).toBeUndefined();
      // No seeded name contains these characters: a wildcard would have matched everything.
      expect([search, res.body.total]).toEqual([search, 0]);
    }
    expect((await list({ status: 'all' })).body.total).toBe(all);
  });

  test('a literal % in a name is found by searching for it', async () => {
    const [tenant] = await ids(`SELECT id FROM alquimista_platform.tenants WHERE status = 'active' ORDER BY name LIMIT 1`);
    const [{ name }] = (await api.local.db.query<{ name: string }>(`SELECT name FROM alquimista_platform.tenants WHERE id = :id`, { id: p.uuid(tenant!) })) as [
      { name: string },
    ];
    await api.local.db.execute(`UPDATE alquimista_platform.tenants SET name = name || ' 100%_off' WHERE id = :id`, { id: p.uuid(tenant!) });
    try {
      const res = await list({ status: 'all', search: '100%_O' });
      expect(res.body.tenants.map((t: Tenant) => t.id)).toEqual([tenant]);
    } finally {
      await api.local.db.execute(`UPDATE alquimista_platform.tenants SET name = :name WHERE id = :id`, { id: p.uuid(tenant!), name: p.text(name) });
    }
  });
});
