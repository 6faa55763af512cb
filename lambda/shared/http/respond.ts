import type { APIGatewayProxyResult } from 'aws-lambda';
import { AppError, ServiceUnavailableError, TooManyRequestsError } from '../errors';

export interface JsonOptions {
  /** Browser-private cache lifetime; 0 or absent means `no-store`. */
  cacheSeconds?: number;
  headers?: Record<string, string>;
}

/**
 * A JSON response. Every API response is made for the caller whose token came with it, so a
 * cacheable one is `private` (no shared cache may keep it) and `Vary: Authorization` (a browser
 * may answer from its cache only a request carrying the same token: RFC 9111 §4.1). Anything not
 * cacheable is `no-store`.
 */
export function json(status: number, body: unknown, options: JsonOptions = {}): APIGatewayProxyResult {
  const { cacheSeconds = 0, headers = {} } = options;
  return {
    statusCode: status,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': cacheSeconds > 0 ? `private, max-age=${Math.floor(cacheSeconds)}` : 'no-store',
      Vary: 'Authorization',
      ...headers,
    },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

/** The project's single error body. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
  request_id: string;
}

/**
 * THE error mapper. Exposed AppErrors (all 4xx, and 503) keep their status, message and details;
 * anything else, including every non-exposed 5xx and non-Error throws, becomes a generic 500 so
 * no stack, SQL text, cause or original message reaches the caller. Those belong in the logs.
 */
export function errorResponse(error: unknown, requestId: string): APIGatewayProxyResult {
  if (error instanceof AppError && error.expose) {
    const body: ErrorBody = {
      error: {
        code: error.code,
        message: error.message,
        ...(error.details !== undefined && { details: error.details }),
      },
      request_id: requestId,
    };
    const headers: Record<string, string> =
      error instanceof ServiceUnavailableError || error instanceof TooManyRequestsError ? { 'Retry-After': String(error.retryAfterSeconds) } : {};
    return json(error.status, body, { headers });
  }
  const body: ErrorBody = {
    error: { code: 'INTERNAL_ERROR', message: 'Internal server error' },
    request_id: requestId,
  };
  return json(500, body);
}
