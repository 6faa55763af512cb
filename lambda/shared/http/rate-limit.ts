import { ConditionalCheckFailedException, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { AuthContext } from '../auth';
import { getDynamoClient } from '../aws/dynamodb';
import { TooManyRequestsError } from '../errors';
import { logger } from '../logger';
import { RATE_LIMIT_ENV, RATE_LIMIT_TABLE, type RateLimits } from '../rate-limits';
import * as z from '../zod';
import type { RouteDefinition } from './route';

const LimitsSchema = z.object({
  windowSeconds: z.int().check(z.positive()),
  user: z.int().check(z.positive()),
  tenant: z.int().check(z.positive()),
  commandsPerUser: z.int().check(z.positive()),
});

interface Settings {
  table: string;
  limits: RateLimits;
}

let settings: Settings | null | undefined;

/**
 * The limits from the environment (RATE_LIMIT_TABLE, RATE_LIMITS), once per process; null when the
 * function has none (a handler built outside a deployed or local route: unit tests).
 * @throws Error when RATE_LIMITS is set but is not a valid RateLimits.
 */
function load(): Settings | null {
  if (settings !== undefined) return settings;
  const table = process.env[RATE_LIMIT_ENV.table];
  const raw = process.env[RATE_LIMIT_ENV.limits];
  if (!table || !raw) return (settings = null);
  const parsed = z.safeParse(LimitsSchema, JSON.parse(raw));
  if (!parsed.success) throw new Error(`invalid ${RATE_LIMIT_ENV.limits}: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  return (settings = { table, limits: parsed.data });
}

/** One budget a request spends from: a counter attribute of the request's counters item. */
interface Budget {
  /** The counter's attribute in the item. */
  attribute: string;
  limit: number;
  /** What the caller is told ran out. */
  what: string;
}

/**
 * Where a request is counted: one item per window, holding every budget the request spends from,
 * the caller's own first. A tenant user's request is counted in their tenant's item — its `tenant`
 * counter and the user's own `user#<sub>` counter beside it (at most the plan's max_users, 100,
 * such counters: ~5 KB) — so one conditional write charges both or neither. Staff count in their
 * own item, whatever tenant they look at; operational commands (POST) in the caller's commands item.
 */
export function countersFor(route: Pick<RouteDefinition, 'method'>, auth: Pick<AuthContext, 'sub' | 'tenantId'>, limits: RateLimits): { key: string; budgets: Budget[] } {
  if (route.method !== 'GET') return { key: `commands#${auth.sub}`, budgets: [{ attribute: 'requests', limit: limits.commandsPerUser, what: 'operational commands for this user' }] };
  if (!auth.tenantId) return { key: `user#${auth.sub}`, budgets: [{ attribute: 'requests', limit: limits.user, what: 'requests for this user' }] };
  return {
    key: `tenant#${auth.tenantId}`,
    budgets: [
      { attribute: `user#${auth.sub}`, limit: limits.user, what: 'requests for this user' },
      { attribute: 'requests', limit: limits.tenant, what: "requests for this user's tenant" },
    ],
  };
}

/**
 * Charges the request to its budgets with one conditional UpdateItem on its counters item
 * (countersFor): every counter is below its limit and each grows by one, or nothing changes — so a
 * user over their own limit never spends their tenant's, and the request waits for one round trip.
 * A fixed window: the counters restart at each multiple of `windowSeconds` (UTC).
 * @throws TooManyRequestsError (429, Retry-After = seconds to the window's end) when a budget is
 * spent — the first in countersFor's order, read from the item the failed condition returns
 * (ReturnValuesOnConditionCheckFailure: ALL_OLD).
 * A DynamoDB failure lets the request through (logged): the limits protect capacity, and an
 * outage of the counters must not become an outage of the API.
 */
export async function enforceRateLimits(route: Pick<RouteDefinition, 'method'>, auth: Pick<AuthContext, 'sub' | 'tenantId'>, now: Date = new Date()): Promise<void> {
  const current = load();
  if (!current) return;
  const { table, limits } = current;
  const seconds = Math.floor(now.getTime() / 1000);
  const windowStart = seconds - (seconds % limits.windowSeconds);
  const windowEnd = windowStart + limits.windowSeconds;
  const { key, budgets } = countersFor(route, auth, limits);
  const names: Record<string, string> = { '#exp': RATE_LIMIT_TABLE.ttlAttribute };
  const values: Record<string, AttributeValue> = { ':one': { N: '1' }, ':exp': { N: String(windowEnd + limits.windowSeconds) } };
  budgets.forEach((budget, i) => {
    names[`#c${i}`] = budget.attribute;
    values[`:l${i}`] = { N: String(budget.limit) };
  });
  try {
    await getDynamoClient().send(
      new UpdateItemCommand({
        TableName: table,
        Key: { [RATE_LIMIT_TABLE.partitionKey.name]: { S: `${key}#${windowStart}` } },
        UpdateExpression: `ADD ${budgets.map((_, i) => `#c${i} :one`).join(', ')} SET #exp = if_not_exists(#exp, :exp)`,
        ConditionExpression: budgets.map((_, i) => `(attribute_not_exists(#c${i}) OR #c${i} < :l${i})`).join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) {
      logger.warn('rate limit counters unavailable; request allowed', { error: (error as Error)?.name });
      return;
    }
    const spent = budgets.find((budget) => Number(error.Item?.[budget.attribute]?.N ?? 0) >= budget.limit) ?? budgets[0]!;
    const retryAfter = Math.max(1, windowEnd - seconds);
    throw new TooManyRequestsError(`Too many ${spent.what}: at most ${spent.limit} per ${limits.windowSeconds} s. Retry in ${retryAfter} s.`, retryAfter);
  }
}
