import { resolveTenantId } from '../shared/auth';
import { getDb } from '../shared/db';
import { createHandler } from '../shared/http/handler';
import { orNotFound } from '../shared/http/not-found';
import { parseQuery } from '../shared/http/validate';
import { periodWindow } from '../shared/period';
import { route } from '../routes';
import { findTenantUsage } from './tenant-repository';
import { TenantUsageQuerySchema } from './schemas';

const db = getDb();

export const handler = createHandler(route('getTenantUsage'), async ({ event, auth }) => {
  const query = parseQuery(TenantUsageQuerySchema, event);
  const tenantId = resolveTenantId(auth, query.tenant_id);
  const usage = await findTenantUsage(db, tenantId, query.period, periodWindow(query.period), query.agent_id);
  return { body: orNotFound(usage, 'Tenant') };
});
