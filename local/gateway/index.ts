import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ROUTES, type RouteManifestEntry } from '@lambda/routes';
import { CORS_ALLOW_HEADERS, CORS_ALLOW_METHODS, CORS_MAX_AGE_SECONDS, corsHeaders } from '@shared/http/cors';
import { GATEWAY_RESPONSES, gatewayResponseBody, MAX_REQUEST_BODY_BYTES, type GatewayResponseDeclaration } from '@shared/http/gateway-responses';
import { listen, readBody } from '../http';
import { ACCOUNT } from '../config';

/**
 * The local API Gateway, built from the route manifest: it verifies the ID token as the Cognito
 * user-pool authorizer does (signature against the pool's JWKS, issuer, audience, expiry,
 * token_use = id), builds the same APIGatewayProxyEvent (claims as REST APIs pass them: strings,
 * groups comma-separated) and hands it to the route's function (`invokeRoute`: under `npm run
 * dev`, the route's LocalFunction, local/functions). Requests are served concurrently.
 */
export interface LocalGatewayOptions {
  port?: number;
  host?: string;
  /** The user pool the authorizer trusts. */
  issuer: string;
  jwksUri: string;
  clientId: string;
  /** Runs the route's function with the event and resolves with its proxy result (a rejection answers 5xx). */
  invokeRoute: (route: RouteManifestEntry, event: APIGatewayProxyEvent, requestId: string) => Promise<APIGatewayProxyResult>;
  allowedOrigins: readonly string[];
}

export interface LocalGateway {
  url: string;
  stop(): Promise<void>;
}

interface CompiledRoute {
  route: RouteManifestEntry;
  pattern: RegExp;
  params: string[];
}

function compile(route: RouteManifestEntry): CompiledRoute {
  const params: string[] = [];
  // Manifest paths are literal segments and {name} parameters; regex metacharacters are escaped.
  const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
    params.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}/?$`), params };
}

export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const routes = ROUTES.map(compile);
  const verifier = JwtRsaVerifier.create({
    issuer: options.issuer,
    audience: options.clientId,
    jwksUri: options.jwksUri,
    customJwtCheck: ({ payload }) => {
      // The Cognito authorizer of a REST API (no OAuth scopes configured) accepts ID tokens only.
      if (payload.token_use !== 'id') throw new Error('not an ID token');
    },
  });
  // aws-jwt-verify fetches JWKS over https only; the local pool serves http, so its JWKS is fetched
  // here and handed to the verifier, which then checks every token against it as usual.
  const jwks = await fetch(options.jwksUri);
  if (!jwks.ok) throw new Error(`cannot read the user pool's JWKS at ${options.jwksUri}: ${jwks.status}`);
  verifier.cacheJwks((await jwks.json()) as Parameters<typeof verifier.cacheJwks>[0]);

  const server = createServer((req, res) => void handle(req, res));
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // A request line and headers past Node's own 16 KB parser limit never reach `handle`: answered
    // like the shorter ones over API Gateway's quota (below), then closed.
    if (error.code === 'HPE_HEADER_OVERFLOW' && socket.writable) {
      const payload = gatewayResponseBody(GATEWAY_RESPONSES.default4xx, randomUUID());
      socket.end(`HTTP/1.1 ${GATEWAY_RESPONSES.default4xx.status} Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n${payload}`);
      return;
    }
    socket.destroy();
  });
  const { url } = await listen(server, options.port, options.host);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const origin = req.headers.origin;
    const cors = corsHeaders(origin, options.allowedOrigins);
    try {
      const target = new URL(req.url ?? '/', url);
      const method = req.method ?? 'GET';

      if (method === 'OPTIONS') {
        // The preflight is answered by the gateway itself, without authorization.
        res.writeHead(204, {
          ...cors,
          ...(cors['Access-Control-Allow-Origin'] && {
            'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS.join(', '),
            'Access-Control-Allow-Methods': CORS_ALLOW_METHODS.join(', '),
            'Access-Control-Max-Age': String(CORS_MAX_AGE_SECONDS),
          }),
        });
        return void res.end();
      }

      // Over API Gateway's quota for the request line and header values together: its default 4xx.
      if (requestLineAndHeaderBytes(req) > MAX_REQUEST_LINE_AND_HEADER_BYTES) return reject(res, GATEWAY_RESPONSES.default4xx, requestId, cors);
      const match = matchRoute(routes, method, target.pathname);
      if (!match) return reject(res, GATEWAY_RESPONSES.unknownRoute, requestId, cors);
      if ('malformed' in match) return reject(res, malformed('path', match.malformed), requestId, cors);
      const query = parseQuery(target.search);
      if ('malformed' in query) return reject(res, malformed('query', query.malformed), requestId, cors);

      const claims = await authorize(verifier, req.headers.authorization);
      if (!claims) return reject(res, GATEWAY_RESPONSES.unauthorized, requestId, cors);

      let body: Buffer;
      try {
        body = await readBody(req, MAX_REQUEST_BODY_BYTES, () => new PayloadTooLargeError());
      } catch (error) {
        if (error instanceof PayloadTooLargeError) return reject(res, GATEWAY_RESPONSES.payloadTooLarge, requestId, cors);
        throw error;
      }
      const event = buildEvent(req, target, match, query, claims, body, requestId);
      const result = await options.invokeRoute(match.route, event, requestId);
      res.writeHead(result.statusCode, { ...(result.headers as Record<string, string>) });
      res.end(result.body);
    } catch (error) {
      console.error(`[gateway] ${req.method} ${req.url} failed:`, error instanceof Error ? error.message : error);
      if (!res.headersSent) reject(res, GATEWAY_RESPONSES.default5xx, requestId, cors);
    }
  }

  return {
    url,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `decodeURIComponent`, or undefined for malformed percent-encoding (`%E0%A4%A`, a bare `%`). */
function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** A 400 in the gateway's error shape that names the parameter whose encoding is malformed. */
function malformed(where: 'path' | 'query', name: string): GatewayResponseDeclaration {
  return { ...GATEWAY_RESPONSES.default4xx, message: `Malformed percent-encoding in the ${where} parameter "${name}".` };
}

type RouteMatch = { route: RouteManifestEntry; pathParameters: Record<string, string> } | { route: RouteManifestEntry; malformed: string };

function matchRoute(routes: CompiledRoute[], method: string, path: string): RouteMatch | undefined {
  for (const compiled of routes) {
    if (compiled.route.method !== method) continue;
    const found = compiled.pattern.exec(path);
    if (!found) continue;
    const pathParameters: Record<string, string> = {};
    for (const [i, name] of compiled.params.entries()) {
      const value = decode(found[i + 1]!);
      if (value === undefined) return { route: compiled.route, malformed: name };
      pathParameters[name] = value;
    }
    return { route: compiled.route, pathParameters };
  }
  return undefined;
}

/**
 * The query string as API Gateway passes it (the last value of a repeated name wins in
 * queryStringParameters, all of them in multiValueQueryStringParameters), decoded strictly:
 * malformed percent-encoding names the parameter instead of being patched with U+FFFD.
 */
function parseQuery(search: string): { single: Record<string, string>; multi: Record<string, string[]> } | { malformed: string } {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const rawName = (at === -1 ? pair : pair.slice(0, at)).replace(/\+/g, ' ');
    const rawValue = (at === -1 ? '' : pair.slice(at + 1)).replace(/\+/g, ' ');
    const name = decode(rawName);
    if (name === undefined) return { malformed: rawName };
    const value = decode(rawValue);
    if (value === undefined) return { malformed: name };
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return { single, multi };
}

/** The token's claims, or undefined for a missing, malformed, expired or foreign-signed token. */
async function authorize(verifier: { verify(token: string): Promise<Record<string, unknown>> }, header: string | undefined): Promise<Record<string, unknown> | undefined> {
  if (!header) return undefined;
  // API Gateway's Cognito authorizer takes the raw token; clients commonly send "Bearer <token>".
  const token = header.replace(/^Bearer\s+/i, '').trim();
  try {
    return await verifier.verify(token);
  } catch {
    return undefined;
  }
}

/** Claims as a REST API's Cognito authorizer hands them to the integration: all strings, groups comma-separated. */
function restClaims(claims: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(claims).map(([key, value]) => [key, Array.isArray(value) ? value.join(',') : String(value)]));
}

function buildEvent(
  req: IncomingMessage,
  target: URL,
  match: { route: RouteManifestEntry; pathParameters: Record<string, string> },
  parsed: { single: Record<string, string>; multi: Record<string, string[]> },
  claims: Record<string, unknown>,
  body: Buffer,
  requestId: string,
): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const [name, value] = [req.rawHeaders[i]!, req.rawHeaders[i + 1]!];
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const { single: query, multi: multiQuery } = parsed;
  const hasQuery = Object.keys(query).length > 0;
  const hasParams = Object.keys(match.pathParameters).length > 0;
  return {
    resource: match.route.path,
    path: target.pathname,
    httpMethod: match.route.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: hasParams ? match.pathParameters : null,
    stageVariables: null,
    body: body.length > 0 ? body.toString('utf8') : null,
    isBase64Encoded: false,
    requestContext: {
      accountId: ACCOUNT,
      apiId: 'local',
      resourceId: match.route.id,
      resourcePath: match.route.path,
      httpMethod: match.route.method,
      path: `/local${target.pathname}`,
      stage: 'local',
      requestId,
      requestTimeEpoch: Date.now(),
      protocol: `HTTP/${req.httpVersion}`,
      domainName: target.host,
      authorizer: { claims: restClaims(claims) },
      identity: {
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: req.headers['user-agent'] ?? null,
        accessKey: null, accountId: null, apiKey: null, apiKeyId: null, caller: null, clientCert: null,
        cognitoAuthenticationProvider: null, cognitoAuthenticationType: null, cognitoIdentityId: null,
        cognitoIdentityPoolId: null, principalOrgId: null, user: null, userArn: null,
      },
    },
  };
}

class PayloadTooLargeError extends Error {}

/**
 * API Gateway's quota on a REST API request: "Total combined size of request line and header
 * values: 10240 bytes" ("Amazon API Gateway quotas"). Over it the service answers with a 4xx of
 * its own, which the API's DEFAULT_4XX gateway response shapes; the local gateway does the same.
 */
export const MAX_REQUEST_LINE_AND_HEADER_BYTES = 10_240;

/** The request line's and the header values' size, bytes (the quota's measure). */
function requestLineAndHeaderBytes(req: IncomingMessage): number {
  let bytes = Buffer.byteLength(`${req.method} ${req.url} HTTP/${req.httpVersion}`);
  for (let i = 1; i < req.rawHeaders.length; i += 2) bytes += Buffer.byteLength(req.rawHeaders[i]!);
  return bytes;
}

function reject(res: ServerResponse, response: GatewayResponseDeclaration, requestId: string, cors: Record<string, string>): void {
  const payload = gatewayResponseBody(response, requestId);
  // A refused upload: answer, then close, rather than read the rest of a body nobody will use.
  const closing = response === GATEWAY_RESPONSES.payloadTooLarge ? { Connection: 'close' } : {};
  res.writeHead(response.status, { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId, ...response.headers, ...closing, ...cors });
  res.end(payload);
}
