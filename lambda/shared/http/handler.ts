import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { authFromEvent, requireGroups, type AuthContext } from '../auth';
import { AppError } from '../errors';
import { logger, withLogKeys } from '../logger';
import { annotate, withTrace } from '../tracer';
import { corsHeaders, headerValue } from './cors';
import { enforceRateLimits } from './rate-limit';
import { errorResponse, json } from './respond';
import type { RouteDefinition } from './route';

/** What a route function receives: the raw event plus everything already verified. */
export interface HandlerContext {
  event: APIGatewayProxyEvent;
  auth: AuthContext;
  requestId: string;
  logger: typeof logger;
}

/** What a route function returns; `status` defaults to 200. */
export interface HandlerResult {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type ApiHandler = (event: APIGatewayProxyEvent, context?: Context) => Promise<APIGatewayProxyResult>;

/**
 * Wraps a route function with everything every endpoint needs: request id, claims (401), group
 * check (403), per-request log keys, JSON serialisation with the route's cache policy, and the
 * single error mapper. The route function only validates input and calls its use case.
 */
export function createHandler(
  route: RouteDefinition,
  fn: (ctx: HandlerContext) => Promise<HandlerResult> | HandlerResult,
): ApiHandler {
  return async (event, context) => {
    const requestId = event.requestContext?.requestId || randomUUID();
    if (context) logger.addContext(context);
    const cors = corsHeaders(headerValue(event.headers, 'origin'));

    const response = await withLogKeys({ request_id: requestId, method: route.method, route: route.path }, () => withTrace(`${route.method} ${route.path}`, { route: route.path }, async () => {
      try {
        const auth = authFromEvent(event);
        // Before the group check so a 403 is logged with who asked.
        logger.appendKeys({ tenant_id: auth.tenantId, user: auth.sub });
        annotate({ tenant_id: auth.tenantId, user: auth.sub });
        requireGroups(auth, route.groups);
        await enforceRateLimits(route, auth);

        const result = await fn({ event, auth, requestId, logger });
        const status = result.status ?? 200;
        // Only a successful read is cacheable; a cached 201 or 4xx would be replayed wrongly.
        const cacheSeconds = status === 200 && route.method === 'GET' ? route.cacheSeconds : 0;
        return json(status, result.body, { cacheSeconds, headers: result.headers });
      } catch (error) {
        logFailure(error);
        return errorResponse(error, requestId);
      }
    }));
    response.headers = { ...response.headers, ...cors, Vary: mergeVary(response.headers?.Vary, cors.Vary) };
    return response;
  };
}

/** Both lists of a Vary header, once each ("Authorization, Origin"). */
export function mergeVary(...values: Array<string | number | boolean | undefined>): string {
  const names = values.flatMap((value) => (value === undefined ? [] : String(value).split(','))).map((name) => name.trim()).filter(Boolean);
  return [...new Set(names)].join(', ');
}

function logFailure(error: unknown): void {
  if (error instanceof AppError && error.expose && error.status < 500) {
    // The caller's mistake: no stack, and the message is the one the caller sees anyway.
    // Auth refusals and rate limiting are warnings (worth noticing in bulk); bad input and misses
    // are routine. The log line carries the tenant and the user (appended before the group check).
    const level = error.status === 401 || error.status === 403 || error.status === 429 ? 'warn' : 'info';
    logger[level]('request rejected', { status: error.status, code: error.code, reason: error.message });
    return;
  }
  if (error instanceof Error) logger.error('request failed', error);
  else logger.error('request failed', { thrown: String(error) });
}
