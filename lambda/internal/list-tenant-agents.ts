import { getDb } from '../shared/db';
import { TenantIdPathSchema } from '../shared/http/contract';
import { createHandler } from '../shared/http/handler';
import { orNotFound } from '../shared/http/not-found';
import { parsePath, parseQuery } from '../shared/http/validate';
import { periodWindow } from '../shared/period';
import { route } from '../routes';
import { InternalTenantAgentsQuerySchema } from './schemas';
import { listInternalTenantAgents } from './tenants-repository';

const db = getDb();

export const handler = createHandler(route('listTenantAgentsInternal'), async ({ event }) => {
  const { id } = parsePath(TenantIdPathSchema, event);
  const page = parseQuery(InternalTenantAgentsQuerySchema, event);
  return { body: orNotFound(await listInternalTenantAgents(db, id, periodWindow('30d'), page), 'Tenant') };
});
