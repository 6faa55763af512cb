import { resolveTenantId } from '../shared/auth';
import { getDb } from '../shared/db';
import { createHandler } from '../shared/http/handler';
import { orNotFound } from '../shared/http/not-found';
import { parseQuery } from '../shared/http/validate';
import { monthToDate } from '../shared/period';
import { route } from '../routes';
import { findTenantMe } from './tenant-repository';
import { TenantMeQuerySchema } from './schemas';

const db = getDb();

export const handler = createHandler(route('getTenantMe'), async ({ event, auth }) => {
  const query = parseQuery(TenantMeQuerySchema, event);
  const tenantId = resolveTenantId(auth, query.tenant_id);
  return { body: orNotFound(await findTenantMe(db, tenantId, monthToDate()), 'Tenant') };
});
