import { getDb } from '../shared/db';
import { createHandler } from '../shared/http/handler';
import { parseQuery } from '../shared/http/validate';
import { periodWindow } from '../shared/period';
import { route } from '../routes';
import { findBillingOverview } from './overview-repository';
import { PeriodQuerySchema } from './schemas';

const db = getDb();

export const handler = createHandler(route('getBillingOverview'), async ({ event }) => {
  const { period } = parseQuery(PeriodQuerySchema, event);
  return { body: await findBillingOverview(db, period, periodWindow(period)) };
});
