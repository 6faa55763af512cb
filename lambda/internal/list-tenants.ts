import { getDb } from '../shared/db';
import { createHandler } from '../shared/http/handler';
import { parseQuery } from '../shared/http/validate';
import { periodWindow } from '../shared/period';
import { route } from '../routes';
import { listTenants } from './tenants-repository';
import { ListTenantsQuerySchema } from './schemas';

const db = getDb();

export const handler = createHandler(route('listTenants'), async ({ event }) => {
  const query = parseQuery(ListTenantsQuerySchema, event);
  return { body: await listTenants(db, query, periodWindow('30d')) };
});
