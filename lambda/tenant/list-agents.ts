import { resolveTenantId } from '../shared/auth';
import { getDb } from '../shared/db';
import { createHandler } from '../shared/http/handler';
import { orNotFound } from '../shared/http/not-found';
import { parseQuery } from '../shared/http/validate';
import { periodWindow } from '../shared/period';
import { route } from '../routes';
import { listTenantAgents } from './tenant-repository';
import { TenantAgentsQuerySchema } from './schemas';

const db = getDb();

export const handler = createHandler(route('listTenantAgents'), async ({ event, auth }) => {
  const query = parseQuery(TenantAgentsQuerySchema, event);
  const tenantId = resolveTenantId(auth, query.tenant_id);
  return { body: orNotFound(await listTenantAgents(db, tenantId, query.status, periodWindow('30d')), 'Tenant') };
});
