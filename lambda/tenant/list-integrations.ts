import { resolveTenantId } from '../shared/auth';
import { getDb } from '../shared/db';
import { createHandler } from '../shared/http/handler';
import { orNotFound } from '../shared/http/not-found';
import { parseQuery } from '../shared/http/validate';
import { route } from '../routes';
import { listTenantIntegrations } from './tenant-repository';
import { TenantIntegrationsQuerySchema } from './schemas';

const db = getDb();

export const handler = createHandler(route('listTenantIntegrations'), async ({ event, auth }) => {
  const query = parseQuery(TenantIntegrationsQuerySchema, event);
  const tenantId = resolveTenantId(auth, query.tenant_id);
  return { body: orNotFound(await listTenantIntegrations(db, tenantId), 'Tenant') };
});
