import { ConditionalCheckFailedException, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
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

/** One budget a request spends from. */
interface Bucket {
  key: string;
  limit: number;
  /** What the caller is told ran out. */
  what: string;
}

/** The budgets a request spends from, in the order they are charged (the caller's own first). */
export function bucketsFor(route: Pick<RouteDefinition, 'method'>, auth: Pick<AuthContext, 'sub' | 'tenantId'>, limits: RateLimits): Bucket[] {
  if (route.method !== 'GET') return [{ key: `commands#${auth.sub}`, limit: limits.commandsPerUser, what: 'operational commands for this user' }];
  const buckets: Bucket[] = [{ key: `user#${auth.sub}`, limit: limits.user, what: 'requests for this user' }];
  if (auth.tenantId) buckets.push({ key: `tenant#${auth.tenantId}`, limit: limits.tenant, what: "requests for this user's tenant" });
  return buckets;
}

/**
 * Charges the request to its budgets: a conditional counter per (budget, window) in DynamoDB, one
 * UpdateItem each, the user's first — so a user over their own limit never spends their tenant's.
 * A fixed window: the counters restart at each multiple of `windowSeconds` (UTC).
 * @throws TooManyRequestsError (429, Retry-After = seconds to the window's end) when a budget is spent.
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
  for (const bucket of bucketsFor(route, auth, limits)) {
    try {
      await getDynamoClient().send(
        new UpdateItemCommand({
          TableName: table,
          Key: { [RATE_LIMIT_TABLE.partitionKey.name]: { S: `${bucket.key}#${windowStart}` } },
          UpdateExpression: 'ADD #n :one SET #exp = if_not_exists(#exp, :exp)',
          ConditionExpression: 'attribute_not_exists(#n) OR #n < :limit',
          ExpressionAttributeNames: { '#n': 'requests', '#exp': RATE_LIMIT_TABLE.ttlAttribute },
          ExpressionAttributeValues: { ':one': { N: '1' }, ':limit': { N: String(bucket.limit) }, ':exp': { N: String(windowEnd + limits.windowSeconds) } },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        const retryAfter = Math.max(1, windowEnd - seconds);
        throw new TooManyRequestsError(`Too many ${bucket.what}: at most ${bucket.limit} per ${limits.windowSeconds} s. Retry in ${retryAfter} s.`, retryAfter);
      }
      logger.warn('rate limit counters unavailable; request allowed', { error: (error as Error)?.name });
      return;
    }
  }
}
