import { resolveTenantId } from '../shared/auth';
import { getDb } from '../shared/db';
import { createHandler } from '../shared/http/handler';
import { orNotFound } from '../shared/http/not-found';
import { parseQuery } from '../shared/http/validate';
import { route } from '../routes';
import { listTenantIncidents } from './tenant-repository';
import { TenantIncidentsQuerySchema } from './schemas';

const db = getDb();

export const handler = createHandler(route('listTenantIncidents'), async ({ event, auth }) => {
  const query = parseQuery(TenantIncidentsQuerySchema, event);
  const tenantId = resolveTenantId(auth, query.tenant_id);
  return { body: orNotFound(await listTenantIncidents(db, tenantId, { limit: query.limit, offset: query.offset }), 'Tenant') };
});
