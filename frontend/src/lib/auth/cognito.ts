/**
 * The Cognito IdP JSON protocol, called directly with fetch (no SDK in the bundle): the same calls
 * against AWS (`cognito-idp.<region>.amazonaws.com`) and the local IdP of `npm run dev`.
 */
export interface AuthTokens {
  idToken: string;
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the ID token expires. */
  expiresAt: number;
}

export class AuthError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

interface AuthenticationResult {
  IdToken?: string;
  AccessToken?: string;
  RefreshToken?: string;
  ExpiresIn?: number;
}

async function call<T>(endpoint: string, target: string, body: unknown, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(endpoint, {
      method: 'POST',
      signal,
      headers: { 'X-Amz-Target': `AWSCognitoIdentityProviderService.${target}`, 'Content-Type': 'application/x-amz-json-1.1' },
      body: JSON.stringify(body),
    });
  } catch {
    throw new AuthError('NetworkError', 'network');
  }
  const payload = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    const type = String(payload.__type ?? 'UnknownError').split('#').pop()!;
    throw new AuthError(type, String(payload.message ?? payload.Message ?? type));
  }
  return payload as T;
}

function tokens(result: AuthenticationResult | undefined, refreshToken?: string): AuthTokens {
  if (!result?.IdToken || !result.AccessToken) throw new AuthError('ChallengeNotSupported', 'unsupported sign-in challenge');
  return {
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    refreshToken: result.RefreshToken ?? refreshToken ?? '',
    expiresAt: Date.now() + (result.ExpiresIn ?? 3600) * 1000,
  };
}

export async function signInWithPassword(endpoint: string, clientId: string, username: string, password: string): Promise<AuthTokens> {
  const answer = await call<{ AuthenticationResult?: AuthenticationResult }>(endpoint, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  });
  return tokens(answer.AuthenticationResult);
}

/** REFRESH_TOKEN_AUTH returns no new refresh token: the old one stays. */
export async function refreshTokens(endpoint: string, clientId: string, refreshToken: string): Promise<AuthTokens> {
  const answer = await call<{ AuthenticationResult?: AuthenticationResult }>(endpoint, 'InitiateAuth', {
    AuthFlow: 'REFRESH_TOKEN_AUTH',
    ClientId: clientId,
    AuthParameters: { REFRESH_TOKEN: refreshToken },
  });
  return tokens(answer.AuthenticationResult, refreshToken);
}

/**
 * Ends this session only (Cognito's RevokeToken): its refresh token, and the access tokens issued
 * with it, stop working at once; the user's sessions on other devices go on.
 */
export async function revokeSession(endpoint: string, clientId: string, refreshToken: string, signal?: AbortSignal): Promise<void> {
  await call(endpoint, 'RevokeToken', { ClientId: clientId, Token: refreshToken }, signal);
}

export interface Claims {
  sub: string;
  email: string;
  name: string;
  groups: string[];
  tenantId: string | null;
  /** Epoch ms. */
  exp: number;
}

/** The ID token's claims, for routing and display only: the API verifies the token. */
export function decodeClaims(idToken: string): Claims {
  const part = idToken.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
  const claims = JSON.parse(decodeURIComponent(escape(json))) as Record<string, unknown>;
  const groups = claims['cognito:groups'];
  return {
    sub: String(claims.sub ?? ''),
    email: String(claims.email ?? ''),
    name: String(claims.name ?? claims.email ?? ''),
    groups: Array.isArray(groups) ? groups.map(String) : typeof groups === 'string' ? groups.split(',') : [],
    tenantId: typeof claims['custom:tenant_id'] === 'string' ? claims['custom:tenant_id'] : null,
    exp: Number(claims.exp ?? 0) * 1000,
  };
}
