import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { generateKeyPairSync, randomBytes, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { listen, readBody } from '../http';
import { REGION } from '../config';

/**
 * A local Cognito user pool: the subset of the Cognito IdP JSON protocol the frontend and the
 * tests use (InitiateAuth with USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH, GetUser, GlobalSignOut,
 * RevokeToken),
 * RS256 ID and access tokens with Cognito's claims, and the pool's JWKS at
 * `/{userPoolId}/.well-known/jwks.json`. Users are given at start (the demo users); passwords are
 * compared in memory and never logged.
 */

export interface LocalUser {
  sub: string;
  email: string;
  password: string;
  groups: readonly string[];
  tenantId?: string | null;
  name?: string;
}

export interface LocalIdpOptions {
  users: readonly LocalUser[];
  port?: number;
  host?: string;
  userPoolId?: string;
  clientId?: string;
  /** Token lifetime; Cognito's default for ID and access tokens is 1 h. */
  tokenSeconds?: number;
  /** Refresh token lifetime, from its sign-in (the app client's RefreshTokenValidity); Cognito's default is 30 days. */
  refreshTokenSeconds?: number;
  now?: () => number;
}

export interface LocalIdp {
  endpoint: string;
  userPoolId: string;
  clientId: string;
  region: string;
  /** `iss` of every token: `{endpoint}/{userPoolId}`, as Cognito's is `https://cognito-idp.{region}.amazonaws.com/{userPoolId}`. */
  issuer: string;
  jwksUri: string;
  /** Signs arbitrary claims with the pool's key (tests make expired or odd tokens with it). */
  signToken(claims: Record<string, unknown>): string;
  stop(): Promise<void>;
}

class IdpError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';

export async function startLocalIdp(options: LocalIdpOptions): Promise<LocalIdp> {
  const userPoolId = options.userPoolId ?? `${REGION}_painelLocal`;
  const clientId = options.clientId ?? 'painellocalwebclient0000000';
  const tokenSeconds = options.tokenSeconds ?? 3600;
  const refreshTokenSeconds = options.refreshTokenSeconds ?? 30 * 86_400;
  const now = options.now ?? (() => Date.now());
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] };
  const byEmail = new Map(options.users.map((u) => [u.email.toLowerCase(), u]));
  const bySub = new Map(options.users.map((u) => [u.sub, u]));
  /** A sign-in (an authentication event): what its refreshed tokens keep. */
  interface Session {
    sub: string;
    originJti: string;
    authTime: number;
    eventId: string;
  }
  const refreshTokens = new Map<string, Session>(); // token → its session
  /** Each user's sign-ins (origin_jti); GlobalSignOut revokes all of them. */
  const originsOf = new Map<string, Set<string>>();
  const revokedOrigins = new Set<string>();

  const server = createServer((req, res) => void handle(req, res));
  const { url } = await listen(server, options.port, options.host);
  const issuer = `${url}/${userPoolId}`;

  const signToken = (claims: Record<string, unknown>) => signJwt(privateKey, kid, claims);

  /**
   * Tokens as Cognito issues them: each with its own `jti`; the ID and access tokens of one
   * sign-in share `origin_jti`, `auth_time` and `event_id`, which a refresh keeps; access tokens
   * carry `version` 2.
   */
  function tokensFor(user: LocalUser, session: Session | undefined) {
    const iat = Math.floor(now() / 1000);
    const origin = session ?? { sub: user.sub, originJti: randomUUID(), authTime: iat, eventId: randomUUID() };
    if (!session) originsOf.set(user.sub, (originsOf.get(user.sub) ?? new Set()).add(origin.originJti));
    const common = { sub: user.sub, 'cognito:groups': [...user.groups], iss: issuer, iat, auth_time: origin.authTime, exp: iat + tokenSeconds, origin_jti: origin.originJti, event_id: origin.eventId };
    const idToken = signToken({
      ...common,
      jti: randomUUID(),
      aud: clientId,
      token_use: 'id',
      email: user.email,
      email_verified: true,
      'cognito:username': user.sub,
      ...(user.name && { name: user.name }),
      ...(user.tenantId && { 'custom:tenant_id': user.tenantId }),
    });
    const accessToken = signToken({ ...common, jti: randomUUID(), client_id: clientId, token_use: 'access', scope: 'aws.cognito.signin.user.admin', username: user.sub, version: 2 });
    const result: Record<string, unknown> = { IdToken: idToken, AccessToken: accessToken, ExpiresIn: tokenSeconds, TokenType: 'Bearer' };
    if (!session) {
      const refresh = randomBytes(48).toString('base64url');
      refreshTokens.set(refresh, origin);
      result.RefreshToken = refresh;
    }
    return result;
  }

  /** The user of a valid access token issued by this pool (signature checked by re-decoding our own claims). */
  function userOfAccessToken(token: unknown): LocalUser {
    const claims = typeof token === 'string' ? decodeOwnToken(token, publicKey) : undefined;
    if (!claims || claims.token_use !== 'access' || claims.iss !== issuer || (claims.exp as number) * 1000 <= now()) {
      throw new IdpError('NotAuthorizedException', 'Invalid Access Token');
    }
    if (revokedOrigins.has(String(claims.origin_jti))) throw new IdpError('NotAuthorizedException', 'Access Token has been revoked');
    const user = bySub.get(String(claims.sub));
    if (!user) throw new IdpError('UserNotFoundException', 'User does not exist.');
    return user;
  }

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    InitiateAuth(input) {
      if (input.ClientId !== clientId) throw new IdpError('ResourceNotFoundException', 'User pool client does not exist.');
      const params = (input.AuthParameters ?? {}) as Record<string, string>;
      if (input.AuthFlow === 'USER_PASSWORD_AUTH') {
        const user = byEmail.get(String(params.USERNAME ?? '').toLowerCase()) ?? bySub.get(String(params.USERNAME ?? ''));
        // One message for an unknown user and a wrong password, as with "prevent user existence errors".
        if (!user || user.password !== params.PASSWORD) throw new IdpError('NotAuthorizedException', 'Incorrect username or password.');
        return { AuthenticationResult: tokensFor(user, undefined), ChallengeParameters: {} };
      }
      if (input.AuthFlow === 'REFRESH_TOKEN_AUTH' || input.AuthFlow === 'REFRESH_TOKEN') {
        const session = refreshTokens.get(String(params.REFRESH_TOKEN ?? ''));
        const user = session ? bySub.get(session.sub) : undefined;
        if (!user || !session) throw new IdpError('NotAuthorizedException', 'Invalid Refresh Token');
        // Its validity counts from the sign-in that issued it; refreshing does not extend it.
        if (now() >= (session.authTime + refreshTokenSeconds) * 1000) throw new IdpError('NotAuthorizedException', 'Refresh Token has expired');
        return { AuthenticationResult: tokensFor(user, session), ChallengeParameters: {} };
      }
      throw new IdpError('InvalidParameterException', `Unsupported AuthFlow ${String(input.AuthFlow)} (the local IdP speaks USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH)`);
    },
    GetUser(input) {
      const user = userOfAccessToken(input.AccessToken);
      const attributes = [
        { Name: 'sub', Value: user.sub },
        { Name: 'email', Value: user.email },
        { Name: 'email_verified', Value: 'true' },
        ...(user.name ? [{ Name: 'name', Value: user.name }] : []),
        ...(user.tenantId ? [{ Name: 'custom:tenant_id', Value: user.tenantId }] : []),
      ];
      return { Username: user.sub, UserAttributes: attributes, MFAOptions: [] };
    },
    /**
     * One session ends: the refresh token, and the access tokens issued with it or refreshed from
     * it (Cognito's RevokeToken). An unknown or already revoked token is not an error (RFC 7009).
     */
    RevokeToken(input) {
      if (input.ClientId !== clientId) throw new IdpError('UnauthorizedException', 'Client is not authorized to revoke this token.');
      const token = String(input.Token ?? '');
      if (token === '') throw new IdpError('InvalidParameterException', 'Token is required.');
      const session = refreshTokens.get(token);
      if (session) {
        refreshTokens.delete(token);
        revokedOrigins.add(session.originJti);
        originsOf.get(session.sub)?.delete(session.originJti);
      }
      return {};
    },
    /** Every session of the user ends: all their access and refresh tokens, not only this one's. */
    GlobalSignOut(input) {
      const user = userOfAccessToken(input.AccessToken);
      for (const origin of originsOf.get(user.sub) ?? []) revokedOrigins.add(origin);
      originsOf.delete(user.sub);
      for (const [token, session] of refreshTokens) if (session.sub === user.sub) refreshTokens.delete(token);
      return {};
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    cors(req, res);
    try {
      if (req.method === 'OPTIONS') return void res.writeHead(204).end();
      if (req.method === 'GET' && req.url === `/${userPoolId}/.well-known/jwks.json`) return send(res, 200, jwks, 'application/json');
      if (req.method === 'GET' && req.url === `/${userPoolId}/.well-known/openid-configuration`) {
        return send(res, 200, { issuer, jwks_uri: `${issuer}/.well-known/jwks.json`, id_token_signing_alg_values_supported: ['RS256'] }, 'application/json');
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('AWSCognitoIdentityProviderService.') ? operations[target.slice('AWSCognitoIdentityProviderService.'.length)] : undefined;
      if (req.method !== 'POST' || !operation) throw new IdpError('UnknownOperationException', `Unknown operation ${target || `${req.method} ${req.url}`}`);
      let input: Record<string, unknown>;
      try {
        input = JSON.parse((await readBody(req, 1 << 20)).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        throw new IdpError('SerializationException', 'Request body is not valid JSON');
      }
      send(res, 200, operation(input));
    } catch (error) {
      if (error instanceof IdpError) send(res, 400, { __type: error.type, message: error.message });
      else send(res, 500, { __type: 'InternalErrorException', message: 'Internal error' });
    }
  }

  return {
    endpoint: url,
    userPoolId,
    clientId,
    region: REGION,
    issuer,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    signToken,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The browser calls the IdP directly (as it calls cognito-idp.amazonaws.com), so it answers CORS. */
function cors(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
  res.setHeader('Access-Control-Allow-Headers', 'content-type, x-amz-target, x-amz-user-agent, amz-sdk-invocation-id, amz-sdk-request, authorization');
  res.setHeader('Access-Control-Allow-Methods', 'POST, GET, OPTIONS');
  res.setHeader('Access-Control-Max-Age', '600');
}

function send(res: ServerResponse, status: number, body: unknown, contentType = CONTENT_TYPE): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'x-amzn-requestid': randomUUID(), 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function signJwt(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const input = `${b64url(JSON.stringify({ kid, alg: 'RS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${b64url(sign('RSA-SHA256', Buffer.from(input), key))}`;
}

/** The claims of a token this pool signed, or undefined (bad shape or signature). */
function decodeOwnToken(token: string, publicKey: KeyObject): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    if (!verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), publicKey, Buffer.from(parts[2]!, 'base64url'))) return undefined;
    return JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

