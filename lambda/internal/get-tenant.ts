import { getDb } from '../shared/db';
import { TenantIdPathSchema } from '../shared/http/contract';
import { createHandler } from '../shared/http/handler';
import { orNotFound } from '../shared/http/not-found';
import { parsePath } from '../shared/http/validate';
import { periodWindow } from '../shared/period';
import { route } from '../routes';
import { findTenantDetail } from './tenants-repository';

const db = getDb();

export const handler = createHandler(route('getTenantDetail'), async ({ event }) => {
  const { id } = parsePath(TenantIdPathSchema, event);
  const windows = { last7Days: periodWindow('7d'), last30Days: periodWindow('30d') };
  return { body: orNotFound(await findTenantDetail(db, id, windows), 'Tenant') };
});
