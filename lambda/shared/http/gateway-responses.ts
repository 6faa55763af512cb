/**
 * The answers API Gateway gives by itself, before any handler runs, in the project's error shape
 * (`{ "error": { "code", "message" }, "request_id" }`). Declared once: the CDK API stack turns
 * each into a GatewayResponse (with CORS headers, so the browser can read a 401), and the local
 * gateway answers its own rejections with the same status and body.
 */
export interface GatewayResponseDeclaration {
  /** API Gateway's ResponseType. */
  readonly type: 'UNAUTHORIZED' | 'ACCESS_DENIED' | 'MISSING_AUTHENTICATION_TOKEN' | 'THROTTLED' | 'REQUEST_TOO_LARGE' | 'DEFAULT_4XX' | 'DEFAULT_5XX';
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** Extra response headers (static values). */
  readonly headers?: Readonly<Record<string, string>>;
}

export const GATEWAY_RESPONSES = {
  /** No token, a malformed, expired or foreign-signed one: the authorizer refuses. */
  unauthorized: { type: 'UNAUTHORIZED', status: 401, code: 'UNAUTHORIZED', message: 'Missing or invalid token; sign in again.' },
  accessDenied: { type: 'ACCESS_DENIED', status: 403, code: 'FORBIDDEN', message: 'Access denied.' },
  /** REST APIs answer an unknown method or path with 403 "Missing Authentication Token"; here it says what it is. */
  unknownRoute: { type: 'MISSING_AUTHENTICATION_TOKEN', status: 404, code: 'NOT_FOUND', message: 'No such route.' },
  /** The stage's throttle (rate and burst, from the stage config) refused the request. */
  throttled: { type: 'THROTTLED', status: 429, code: 'THROTTLED', message: 'Too many requests; retry after a short wait.', headers: { 'Retry-After': '1' } },
  /** A body over API Gateway's 10 MB payload limit ("Amazon API Gateway quotas", REST APIs). */
  payloadTooLarge: { type: 'REQUEST_TOO_LARGE', status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than the 10 MB the API accepts.' },
  default4xx: { type: 'DEFAULT_4XX', status: 400, code: 'BAD_REQUEST', message: 'The request was rejected by the API gateway.' },
  default5xx: { type: 'DEFAULT_5XX', status: 500, code: 'INTERNAL_ERROR', message: 'Internal server error' },
} as const satisfies Record<string, GatewayResponseDeclaration>;

/** API Gateway's payload limit for REST APIs, bytes (10 MB): larger bodies get `payloadTooLarge`. */
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;

/** The body for a gateway response, given the request id ($context.requestId in API Gateway). */
export function gatewayResponseBody(response: GatewayResponseDeclaration, requestId: string): string {
  return JSON.stringify({ error: { code: response.code, message: response.message }, request_id: requestId });
}
