import { p } from '@shared/db';
import { BACKENDS } from '../../support/local-db';
import { startSeededApi, type SeededApi } from '../../support/api';

const S = 'alquimista_platform';
const NAMES = ['Zeta Serviços', 'ágil Transportes', 'Ótica Central', 'Atlântico Seguros', 'abacate Comércio', 'Éden Clínica', 'Otimiza Ltda', 'zebra Café'];

/**
 * Issue 18: tenant names sort and search the way a Brazilian reader expects, the same on PGlite
 * (C collation), PostgreSQL 15 and Aurora — by the key of migration 0009, which ignores case and
 * accents — and the search uses an index.
 */
describe.each(BACKENDS)('tenant order and search on %s', (kind) => {
  let api: SeededApi;

  beforeAll(async () => {
    api = await startSeededApi(kind, { tenants: 3 });
    await api.local.db.execute(`DELETE FROM ${S}.tenants`);
    for (const [i, name] of NAMES.entries()) {
      await api.local.db.execute(`INSERT INTO ${S}.tenants (name, cnpj, segment, plan) VALUES (:name, :cnpj, 'varejo', 'starter')`, {
        name: p.text(name),
        cnpj: p.text(String(80000000000000 + i)),
      });
    }
  }, 180_000);
  afterAll(async () => {
    await api?.stop();
  });

  const names = async (query: Record<string, string>) =>
    ((await api.invoke('listTenants', { claims: api.claims.support, query: { status: 'all', ...query } })).body as { tenants: Array<{ name: string }> }).tenants.map((t) => t.name);

  test('by name: accents and case ignored, then the name, in both directions', async () => {
    const expected = ['abacate Comércio', 'ágil Transportes', 'Atlântico Seguros', 'Éden Clínica', 'Ótica Central', 'Otimiza Ltda', 'zebra Café', 'Zeta Serviços'];
    expect(await names({ sort_by: 'name' })).toEqual(expected);
    expect(await names({ sort_by: 'name', sort_order: 'desc' })).toEqual([...expected].reverse());
  });

  test.each([
    ['atlantico', ['Atlântico Seguros']],
    ['ATLÂNTICO', ['Atlântico Seguros']],
    ['otica', ['Ótica Central']],
    ['ÓTI', ['Ótica Central', 'Otimiza Ltda']],
    ['clinica', ['Éden Clínica']],
    ['café', ['zebra Café']],
    ['%', []],
  ])('search %j finds %j', async (search, expected) => {
    expect(await names({ search })).toEqual(expected);
  });

  test('the search is served by the trigram index on the key', async () => {
    const plan = await api.local.db.transaction(async (tx) => {
      // On 8 rows any plan is cheap: rule out the scans that do not use a search index, to see that it can.
      for (const setting of ['enable_seqscan', 'enable_indexscan', 'enable_indexonlyscan']) {
        await tx.execute(`SELECT set_config(:setting, 'off', true) IS NOT NULL AS off`, { setting: p.text(setting) });
      }
      return tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT id FROM ${S}.tenants t WHERE t.name_key LIKE ${S}.search_key(:pattern)`, { pattern: p.text('%atlantico%') });
    });
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain('tenants_name_key_trgm_idx');
  });
});
